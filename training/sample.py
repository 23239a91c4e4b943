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
                callback=None):
    """tokens/mask: [B, L] (cond), uncond_*: [B, L] (empty or negative prompt); x_T [B,3,S,S];
    threshold: a dynamic-thresholding percentile, or None (or 0) for static clipping."""
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps, respacing)
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


@torch.no_grad()
def sample_upsampler(net, cfg, low_res, aug_noise, noise, aug_level=0.15, temperature=0.997, sampler="ddim",
                     respacing="ddim10", noises=None, known_image=None, known_mask=None, callback=None,
                     consistency=False, consistency_passes=0):
    """consistency: re-impose the (un-augmented) low_res on every predicted x0 (see low_res_consistency),
    after consistency_passes smooth corrections."""
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps, respacing)
    B = low_res.shape[0]
    low = augment_low_res(low_res, aug_level, aug_noise)
    aug = torch.full((B,), float(aug_level))

    def denoise(x, t):
        return net.denoise(x, t, low_res=low, aug_level=aug)

    known = reimpose_known(known_image, known_mask) if known_mask is not None else None
    x0_fn = compose_x0(static_clip, known, low_res_consistency(low_res, consistency_passes) if consistency else None)
    kw = {"process_x0": x0_fn, "callback": callback}
    x_T = noise * temperature
    if sampler == "ddpm":
        return SAMPLERS["ddpm"](diffusion, denoise, x_T, noises, **kw)
    if sampler == "ddim":
        return SAMPLERS["ddim"](diffusion, denoise, x_T, eta=0.0, noises=noises, **kw)
    return SAMPLERS[sampler](diffusion, denoise, x_T, **kw)
