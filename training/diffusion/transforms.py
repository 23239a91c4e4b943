"""Wrappers around the denoiser and its predicted x0: guidance, thresholding, inpainting.

Each is a small function; the samplers compose them (STYLE: guidance and inpainting are
wrappers, not new samplers).
"""
import torch
import torch.nn.functional as F


def classifier_free_guidance(net, scale: float):
    """Classifier-free guidance (Ho & Salimans 2022) as GLIDE applies it.

    `net(x2, t2)` evaluates the batch [cond; uncond] in one call and returns [2B, 6, ...].
    eps = eps_u + s * (eps_c - eps_u) on the epsilon channels; the variance channels are the
    conditional half's.
    """

    def denoise(x, t):
        out = net(torch.cat([x, x]), torch.cat([t, t]))
        cond, uncond = out.chunk(2)
        eps = uncond[:, :3] + scale * (cond[:, :3] - uncond[:, :3])
        return torch.cat([eps, cond[:, 3:]], dim=1)

    return denoise


def dynamic_threshold(x0, p: float = 0.995):
    """Imagen (Saharia et al. 2022, sec. 2.3): s = max(1, quantile_p |x0|); x0 <- clip(x0, -s, s) / s.

    The quantile is torch.quantile's linear interpolation over each sample's flattened values.
    """
    s = torch.quantile(x0.abs().reshape(x0.shape[0], -1), p, dim=1)
    s = torch.clamp(s, min=1.0).view(-1, *([1] * (x0.dim() - 1)))
    return torch.maximum(torch.minimum(x0, s), -s) / s


def static_clip(x0):
    return x0.clamp(-1, 1)


def reimpose_known(image, mask):
    """Inpainting: keep the known region (mask 1 = keep) of the predicted x0 equal to the image."""

    def fn(x0):
        return x0 * (1 - mask) + image * mask

    return fn


def low_res_consistency(low_res):
    """Upsampler: make the predicted x0 agree with its low-res input (ILVR, Choi et al. 2021).

    x0 <- clip(x0 + nearest_up(low_res - area_down(x0)), -1, 1), with the area average over
    f x f blocks (f = output size / input size) that made the training data's low-res images.
    Before the final clip, area_down(x0) == low_res exactly: colours and layout come from the
    input, the network only adds detail. Small, briefly trained upsamplers otherwise drift in
    colour when they start from pure noise.
    """

    def fn(x0):
        f = x0.shape[-1] // low_res.shape[-1]
        r = low_res - F.avg_pool2d(x0, f)
        return (x0 + r.repeat_interleave(f, dim=-2).repeat_interleave(f, dim=-1)).clamp(-1, 1)

    return fn


def compose_x0(threshold=None, known=None, consistency=None):
    """x0 post-processing order: threshold, low-res consistency, then put the known region back."""

    def fn(x0):
        if threshold is not None:
            x0 = threshold(x0)
        if consistency is not None:
            x0 = consistency(x0)
        if known is not None:
            x0 = known(x0)
        return x0

    return fn
