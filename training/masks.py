"""Random inpainting masks for training (1 = keep, 0 = fill), as float32 [S, S]."""
import numpy as np


def box(rng, s):
    m = np.ones((s, s), np.float32)
    h, w = rng.integers(s // 4, s * 3 // 4 + 1, size=2)
    y, x = rng.integers(0, s - h + 1), rng.integers(0, s - w + 1)
    m[y:y + h, x:x + w] = 0
    return m


def ellipse(rng, s):
    yy, xx = np.mgrid[0:s, 0:s] + 0.5
    cy, cx = rng.uniform(s * 0.25, s * 0.75, size=2)
    ry, rx = rng.uniform(s * 0.15, s * 0.4, size=2)
    return (((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 > 1).astype(np.float32)


def brush(rng, s):
    m = np.ones((s, s), np.float32)
    yy, xx = np.mgrid[0:s, 0:s] + 0.5
    y, x = rng.uniform(0, s, size=2)
    r = rng.uniform(s * 0.06, s * 0.15)
    for _ in range(rng.integers(4, 12)):
        ny, nx = np.clip([y + rng.normal(0, s * 0.2), x + rng.normal(0, s * 0.2)], 0, s)
        for f in np.linspace(0, 1, 8):
            cy, cx = y + (ny - y) * f, x + (nx - x) * f
            m[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = 0
        y, x = ny, nx
    return m


# The sides an expand grows (src/inference/expand.ts EXPAND_DIRECTIONS): (left, right, top, bottom).
FRAME_SIDES = ((1, 1, 1, 1), (1, 1, 0, 0), (0, 0, 1, 1), (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1))


def frame(rng, s):
    """Outpainting, as the engine's Expand sees it: the picture kept as a rectangle, the new
    border on the growing sides to fill. Each growing dimension grows by 10-100 %, split evenly
    between two growing sides; at least one pixel is filled and one kept per dimension."""
    left, right, top, bottom = FRAME_SIDES[rng.integers(0, len(FRAME_SIDES))]
    m = np.zeros((s, s), np.float32)

    def kept(before, after):
        if not (before or after):
            return 0, s
        n = int(np.clip(round(s / (1 + rng.uniform(0.1, 1.0))), 1, s - 1))
        start = (s - n) // 2 if before and after else (s - n if before else 0)
        return start, start + n

    y0, y1 = kept(top, bottom)
    x0, x1 = kept(left, right)
    m[y0:y1, x0:x1] = 1
    return m


def random_mask(rng, s, p_plain=0.5):
    """All-zero mask (plain generation) with probability p_plain, else a box, ellipse, stroke or
    outpainting frame."""
    if rng.random() < p_plain:
        return np.zeros((s, s), np.float32)
    return (box, ellipse, brush, frame)[rng.integers(0, 4)](rng, s)
