"""Reference pipeline: text -> base (guided, optionally inpainting) -> upsampler.

The TypeScript engine implements the same steps; test fixtures are produced with these.
"""
import numpy as np
import torch

from .diffusion.gaussian import Diffusion
from .diffusion.samplers import SAMPLERS
from .diffusion.schedule import aug_alpha_bar
from .diffusion.transforms import (classifier_free_guidance, compose_x0, dynamic_threshold, low_res_consistency,
                                   reimpose_known, static_clip)


def quantize_8bit(x):
    """Round [-1, 1] images to the 256 levels of the training data."""
    return torch.round((x.clamp(-1, 1) + 1) * 127.5) / 127.5 - 1


def _x0_fn(threshold, known_image, known_mask):
    thr = (lambda x0: dynamic_threshold(x0, threshold)) if threshold else static_clip
    known = reimpose_known(known_image, known_mask) if known_mask is not None else None
    return compose_x0(thr, known)


@torch.no_grad()
def sample_base(net, cfg, tokens, mask, uncond_tokens, uncond_mask, x_T, sampler="dpmpp2m", respacing="ddim20",
                guidance=3.0, threshold=0.995, inpaint_image=None, inpaint_mask=None, noises=None, eta=0.0,
                callback=None, init_image=None, strength=1.0):
    """tokens/mask: [B, L] (cond), uncond_*: [B, L] (empty or negative prompt); x_T [B,3,S,S];
    threshold: a dynamic-thresholding percentile, or None (or 0) for static clipping.
    init_image [1 or B,3,S,S] with strength < 1: an img2img start (image_start) from that picture,
    x_T then being the unit noise added to it."""
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps, respacing)
    if init_image is not None:
        diffusion, start = image_start(diffusion, strength, init_image.expand_as(x_T), x_T)
        if start is not None:
            x_T = start
    xf_proj, xf_out = net.get_text_emb(torch.cat([tokens, uncond_tokens]), torch.cat([mask, uncond_mask]))
    B, S = x_T.shape[0], cfg.image_size
    if inpaint_mask is None:
        img2, m2 = torch.zeros(2 * B, 3, S, S), torch.zeros(2 * B, 1, S, S)
    else:
        img2, m2 = torch.cat([inpaint_image, inpaint_image]), torch.cat([inpaint_mask, inpaint_mask])

    def net2(x2, t2):
        return net.denoise(x2, t2, xf_proj, xf_out, inpaint_image=img2, inpaint_mask=m2)

    denoise = classifier_free_guidance(net2, guidance)
    x0_fn = _x0_fn(threshold, inpaint_image, inpaint_mask)
    kw = {"process_x0": x0_fn, "callback": callback}
    if sampler == "ddpm":
        return SAMPLERS["ddpm"](diffusion, denoise, x_T, noises, **kw)
    if sampler == "ddim":
        return SAMPLERS["ddim"](diffusion, denoise, x_T, eta=eta, noises=noises, **kw)
    return SAMPLERS[sampler](diffusion, denoise, x_T, **kw)


def augment_low_res(low_res, aug_level, aug_noise):
    """Imagen's conditioning augmentation at sampling time: quantise, then noise to aug_level."""
    a = aug_alpha_bar(aug_level)
    return float(np.sqrt(a)) * quantize_8bit(low_res) + float(np.sqrt(1 - a)) * aug_noise


# smooth corrections that make the enlargement an img2img upscale starts from (upsampler_start)
START_SMOOTH_PASSES = 4


def kept_steps(strength, steps):
    """How many of `steps` respaced steps an img2img start of `strength` in (0, 1] runs: the
    nearest whole number, at least 1 (floor(x + 0.5), as the engine's Math.round)."""
    if not 0 < strength <= 1:
        raise ValueError(f"strength must be in (0, 1], got {strength}")
    return max(1, min(steps, int(np.floor(strength * steps + 0.5))))


def image_start(diffusion, strength, x0, unit_noise):
    """An img2img start (SDEdit, Meng et al. 2022): keep the last m = kept_steps(strength, N)
    respaced steps and start at index m - 1 from x0 noised to that level,
    x = sqrt(abar) * x0 + sqrt(1 - abar) * unit_noise. Returns (diffusion, x_start); when every
    step is kept (strength 1, or near it with few steps) the start is pure noise: (diffusion, None)."""
    m = kept_steps(strength, diffusion.num_timesteps)
    if m == diffusion.num_timesteps:
        return diffusion, None
    short = diffusion.truncated(m)
    ab = float(short.abar[m - 1])
    return short, float(np.sqrt(ab)) * x0 + float(np.sqrt(1 - ab)) * unit_noise


def upsampler_start(diffusion, strength, low_res, unit_noise):
    """An img2img start for the upsampler (SDEdit, Meng et al. 2022): keep the last m =
    kept_steps(strength, N) respaced steps and start at index m - 1 from the smooth enlargement
    of low_res (zeros through low_res_consistency with START_SMOOTH_PASSES: a bicubic-like
    picture whose f x f block means are low_res) noised to that level,
    x = sqrt(abar) * enlargement + sqrt(1 - abar) * unit_noise. Returns (diffusion, x_start).
    A smaller strength keeps more of the input and calls the network fewer times; photographs,
    whose detail the emoji-trained network paints flat, come out more faithful. When every step
    is kept (strength 1, or near it with few steps) the start is pure noise: (diffusion, None)."""
    if kept_steps(strength, diffusion.num_timesteps) == diffusion.num_timesteps:
        return diffusion, None  # no enlargement needed
    return image_start(diffusion, strength, low_res_consistency(low_res, START_SMOOTH_PASSES)(torch.zeros_like(unit_noise)),
                       unit_noise)


@torch.no_grad()
def sample_upsampler(net, cfg, low_res, aug_noise, noise, aug_level=0.15, temperature=0.997, sampler="ddim",
                     respacing="ddim10", noises=None, known_image=None, known_mask=None, callback=None,
                     consistency=False, consistency_passes=0, strength=1.0):
    """consistency: re-impose the (un-augmented) low_res on every predicted x0 (see low_res_consistency),
    after consistency_passes smooth corrections. strength < 1: start from the noised enlargement of
    low_res and run only that share of the steps (upsampler_start); temperature then does not apply."""
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps, respacing)
    B = low_res.shape[0]
    low = augment_low_res(low_res, aug_level, aug_noise)
    aug = torch.full((B,), float(aug_level))

    def denoise(x, t):
        return net.denoise(x, t, low_res=low, aug_level=aug)

    known = reimpose_known(known_image, known_mask) if known_mask is not None else None
    x0_fn = compose_x0(static_clip, known, low_res_consistency(low_res, consistency_passes) if consistency else None)
    kw = {"process_x0": x0_fn, "callback": callback}
    diffusion, x_T = upsampler_start(diffusion, strength, low_res, noise)
    if x_T is None:
        x_T = noise * temperature
    if sampler == "ddpm":
        return SAMPLERS["ddpm"](diffusion, denoise, x_T, noises, **kw)
    if sampler == "ddim":
        return SAMPLERS["ddim"](diffusion, denoise, x_T, eta=0.0, noises=noises, **kw)
    return SAMPLERS[sampler](diffusion, denoise, x_T, **kw)
