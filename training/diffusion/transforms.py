"""Wrappers around the denoiser and its predicted x0: guidance, thresholding, inpainting.

Each is a small function; the samplers compose them (STYLE: guidance and inpainting are
wrappers, not new samplers).
"""
import functools

import numpy as np
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


@functools.lru_cache(maxsize=8)
def cubic_upsample_matrix(low: int, high: int) -> torch.Tensor:
    """[high, low] float32: 1-D bicubic enlargement as src/inference/resize.ts does it (Keys' kernel
    with a = -0.5, pixel centres aligned, edges replicated, each row's weights normalised), so the
    engine and this reference smooth alike. Enlarge a plane P [.., low, low] as M @ P @ M.T.
    Cached: every sampling step asks for the same one; callers must not modify it."""
    a = -0.5

    def keys(x):
        t = abs(x)
        if t < 1:
            return ((a + 2) * t - (a + 3)) * t * t + 1
        return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a if t < 2 else 0.0

    m = torch.zeros(high, low, dtype=torch.float64)
    for i in range(high):
        c = (i + 0.5) * low / high - 0.5
        first = int(np.floor(c)) - 1
        for j in range(first, first + 4):
            m[i, min(max(j, 0), low - 1)] += keys(c - j)
        m[i] /= m[i].sum()
    return m.float()


def low_res_consistency(low_res, smooth_passes: int = 0):
    """Upsampler: make the predicted x0 agree with its low-res input (ILVR, Choi et al. 2021).

    x0 <- clip(x0 + nearest_up(low_res - area_down(x0)), -1, 1), with the area average over
    f x f blocks (f = output size / input size) that made the training data's low-res images.
    Before the final clip, area_down(x0) == low_res exactly: colours and layout come from the
    input, the network only adds detail. Small, briefly trained upsamplers otherwise drift in
    colour when they start from pure noise.

    The nearest-neighbour correction is constant over each f x f block, so where the network
    is off by a little in a smooth area it leaves f-pixel steps (banding in skies and blurred
    backgrounds). `smooth_passes` first adds the residual enlarged bicubically that many times
    (x0 <- x0 + cubic_up(low_res - area_down(x0)); each pass shrinks what is left, fastest for
    smooth residuals), so the final block-wise step only has a small remainder to carry.
    """

    def fn(x0):
        f = x0.shape[-1] // low_res.shape[-1]
        up = cubic_upsample_matrix(low_res.shape[-1], x0.shape[-1]).to(x0.dtype) if smooth_passes else None
        for _ in range(smooth_passes):
            x0 = x0 + up @ (low_res - F.avg_pool2d(x0, f)) @ up.T
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
