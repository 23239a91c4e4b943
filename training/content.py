"""Photograph or flat-coloured art? The same test as the engine's src/inference/content.ts
(docs/model-pack.md, sampling semantics 9), for measuring what an upscale strength chosen by
content does (eval_upsampler's "P/G" strength rows).

The picture is averaged over f x f blocks, f = max(1, min(H, W) // ANALYSIS_SIDE), so the share
does not depend on its size; a block is flat when no channel of its 3 x 3 neighbourhood (inside
the picture, opaque blocks only) spans more than FLAT_TOLERANCE levels. Block sums are compared
in integers, so both implementations agree exactly.
"""
import numpy as np

ANALYSIS_SIDE = 32
FLAT_TOLERANCE = 2
GRAPHIC_MIN_FLAT_SHARE = 0.2


def flat_share(img):
    """uint8 [H, W, 3] (opaque) or [H, W, 4] (straight alpha) -> share of flat opaque blocks in
    [0, 1]; 1 when no block is opaque."""
    a = np.asarray(img)
    if a.dtype != np.uint8 or a.ndim != 3 or a.shape[2] not in (3, 4):
        raise ValueError(f"want uint8 [H, W, 3|4], got {a.dtype} {a.shape}")
    h, w = a.shape[:2]
    f = max(1, min(h, w) // ANALYSIS_SIDE)
    H, W = h // f, w // f
    blocks = a[:H * f, :W * f].astype(np.int64).reshape(H, f, W, f, a.shape[2])
    sums = blocks[..., :3].sum(axis=(1, 3))  # [H, W, 3]
    opaque = (blocks[..., 3] == 255).all(axis=(1, 3)) if a.shape[2] == 4 else np.ones((H, W), bool)
    if not opaque.any():
        return 1.0
    # neighbourhood min / max over opaque blocks: transparent ones are given values that never win
    big = np.iinfo(np.int64).max
    lo_src = np.where(opaque[..., None], sums, big)
    hi_src = np.where(opaque[..., None], sums, -big)
    lo = np.full_like(sums, big)
    hi = np.full_like(sums, -big)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            ys = slice(max(0, dy), H + min(0, dy))  # neighbour rows
            yd = slice(max(0, -dy), H + min(0, -dy))  # the blocks they neighbour
            xs = slice(max(0, dx), W + min(0, dx))
            xd = slice(max(0, -dx), W + min(0, -dx))
            lo[yd, xd] = np.minimum(lo[yd, xd], lo_src[ys, xs])
            hi[yd, xd] = np.maximum(hi[yd, xd], hi_src[ys, xs])
    flat = ((hi - lo) <= FLAT_TOLERANCE * f * f).all(axis=-1) & opaque
    return float(flat.sum() / opaque.sum())


def content_kind(img):
    """'graphic' when at least GRAPHIC_MIN_FLAT_SHARE of the blocks are flat, else 'photo'."""
    return "graphic" if flat_share(img) >= GRAPHIC_MIN_FLAT_SHARE else "photo"
