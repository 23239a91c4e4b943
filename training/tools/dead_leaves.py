"""Synthetic photo-like pictures (a dead-leaves model) in the dataset layout, for the upsampler.

    python3 training/tools/dead_leaves.py --out data/deadleaves --n 6000
    python3 -m training.train --stage upsampler ... --extra-data data/deadleaves --extra-fraction 0.25

The upsampler learnt from emoji and clip art only, so on photographs it paints smooth areas
(sky, bokeh, skin) flat and banded. Photo collections with a licence that allows training here
are not at hand, so this draws pictures with the statistics that matter instead: the dead-leaves
model (Matheron; Lee, Mumford and Huang 2001) stacks random shapes whose sizes follow a power law
(density ~ r^-3, the scale invariance of natural images), which gives edges at every scale and
occlusions. Each shape here is shaded with a linear gradient and sometimes a smooth texture, and
the stack is drawn in depth layers, each blurred before the next is laid over it (depth of field),
so the pictures hold long smooth ramps next to sharp edges: the content the upsampler gets wrong.
Nothing in them comes from anyone's picture, so they carry no licence terms.

Pictures are drawn at twice the largest size and area-averaged down (anti-aliased edges), and
every smaller size is the area mean of the largest, as the emoji builder makes its sizes. Writes
manifest.jsonl (the last --val pictures in the 'val' split) and images_<size>.u8, which
training.data.EmojiData reads unchanged.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageFilter

try:  # run as a script (the documented command) or imported as training.tools.dead_leaves
    from photo_crops import area_downsample, parse_sizes
except ImportError:
    from training.tools.photo_crops import area_downsample, parse_sizes

SUPERSAMPLE = 2


def leaf_radius(rng, r_min, r_max):
    """A radius with density ~ r^-3 on [r_min, r_max] (inverse CDF), the scale-invariant law."""
    u = rng.random()
    return (r_min ** -2 - u * (r_min ** -2 - r_max ** -2)) ** -0.5


def leaf_colour(rng, key=0.5, contrast=0.5):
    """An RGB colour in [0, 1] around the picture's key tone, muted more often than saturated, as
    in photographs (whose neighbouring surfaces differ less than random colours would)."""
    grey = key + rng.normal(0.0, contrast)
    tint = rng.normal(0.0, 0.25 * rng.random(), size=3)
    return np.clip(grey + tint, 0.0, 1.0)


def palette_colour(rng, palette):
    """A colour near one of the picture's palette colours: a photograph's colours come from a few
    materials under one light, not from the whole RGB cube."""
    base = palette[rng.integers(len(palette))]
    return np.clip(base + rng.normal(0.0, 0.08, size=3), 0.0, 1.0)


def smooth_field(rng, size, cells):
    """A smooth random field in [-1, 1] of size x size: `cells` x `cells` noise, bicubic-enlarged."""
    small = Image.fromarray(rng.uniform(0, 255, size=(cells, cells)).astype(np.uint8))
    return np.asarray(small.resize((size, size), Image.BICUBIC), dtype=np.float32) / 127.5 - 1.0


def draw_leaf(canvas, rng, texture, r_min, palette):
    """Paints one shaded ellipse or rectangle onto canvas ([S, S, 3] float32, in place)."""
    S = canvas.shape[0]
    r = leaf_radius(rng, r_min, S / 2)
    cy, cx = rng.uniform(-r, S + r, size=2)
    aspect = np.exp(rng.normal(0.0, 0.4))
    ry, rx = r * aspect ** 0.5, r / aspect ** 0.5
    reach = max(ry, rx)
    y0, y1 = max(0, int(cy - reach)), min(S, int(cy + reach) + 1)
    x0, x1 = max(0, int(cx - reach)), min(S, int(cx + reach) + 1)
    if y0 >= y1 or x0 >= x1:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dy, dx = yy - cy, xx - cx
    angle = rng.uniform(0, np.pi)
    u = (dx * np.cos(angle) + dy * np.sin(angle)) / rx
    v = (-dx * np.sin(angle) + dy * np.cos(angle)) / ry
    inside = (u * u + v * v <= 1.0) if rng.random() < 0.7 else (np.abs(u) <= 0.8) & (np.abs(v) <= 0.8)
    if not inside.any():
        return
    # shading: a linear ramp across the leaf (up to about +-0.35 from edge to edge), so smooth
    # gradients appear at every scale, and on some leaves a smooth texture
    ramp = rng.normal(0.0, 0.18, size=(3, 1)) * u[inside] + rng.normal(0.0, 0.18, size=(3, 1)) * v[inside]
    colour = palette_colour(rng, palette)[:, None] + ramp * rng.random()
    if rng.random() < 0.3:
        colour = colour + rng.uniform(0.02, 0.15) * texture[y0:y1, x0:x1][inside][None, :]
    canvas[y0:y1, x0:x1][inside] = np.clip(colour.T, 0.0, 1.0)


def blur(canvas, sigma):
    """Gaussian blur of an [S, S, 3] float image in [0, 1] (through 8-bit PIL, per channel)."""
    if sigma <= 0:
        return canvas
    img = Image.fromarray(np.round(canvas * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(sigma))
    return np.asarray(img, dtype=np.float32) / 255.0


def dead_leaves(rng, size):
    """One [size, size, 3] uint8 picture."""
    S = size * SUPERSAMPLE
    texture = smooth_field(rng, S, int(rng.integers(4, 24)))
    # the backdrop: a smooth two-colour ramp, like sky or a wall out of focus
    key, contrast = rng.uniform(0.15, 0.85), rng.uniform(0.05, 0.3)
    t = np.clip(0.5 + 0.5 * smooth_field(rng, S, 2), 0, 1)[..., None]
    canvas = (leaf_colour(rng, key, contrast) * (1 - t) + leaf_colour(rng, key, contrast) * t).astype(np.float32)
    palette = [leaf_colour(rng, key, contrast) for _ in range(int(rng.integers(2, 7)))]
    # the smallest leaf sets how busy a picture is: from fine clutter to a few large shapes
    r_min = np.exp(rng.uniform(np.log(2), np.log(16))) * SUPERSAMPLE
    layers = int(rng.integers(1, 4))
    sigmas = sorted(rng.uniform(0, 6 * SUPERSAMPLE, size=layers), reverse=True)
    sigmas[-1] *= rng.random() < 0.3  # the nearest layer is in focus most of the time
    for sigma in sigmas:
        for _ in range(int(rng.integers(10, 200))):
            draw_leaf(canvas, rng, texture, r_min, palette)
        canvas = blur(canvas, sigma)
    canvas = canvas + rng.normal(0.0, rng.uniform(0, 0.01), size=canvas.shape)  # sensor grain
    img = np.round(np.clip(canvas, 0, 1) * 255).astype(np.uint8)
    return area_downsample(img, SUPERSAMPLE)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=6000, help="pictures in all")
    ap.add_argument("--val", type=int, default=64, help="of them, held out for measuring")
    ap.add_argument("--sizes", default="32,128", help="output sizes; each must divide the largest")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    sizes = parse_sizes(ap, a.sizes)
    big = sizes[-1]
    if not 0 <= a.val < a.n:
        ap.error("--val must be at least 0 and less than --n")
    os.makedirs(a.out, exist_ok=True)
    files = {s: open(os.path.join(a.out, f"images_{s}.u8"), "wb") for s in sizes}
    with open(os.path.join(a.out, "manifest.jsonl"), "w") as manifest:
        for i in range(a.n):
            img = dead_leaves(np.random.default_rng([a.seed, i]), big)
            for s in sizes:
                files[s].write((img if s == big else area_downsample(img, big // s)).tobytes())
            split = "val" if i >= a.n - a.val else "train"
            manifest.write(json.dumps({"index": i, "id": f"deadleaves/{a.seed}/{i}", "split": split,
                                       "source": "synthetic (dead leaves)", "license": "none"}) + "\n")
    for f in files.values():
        f.close()
    print(f"wrote {a.n} dead-leaves pictures ({a.val} val) to {a.out}")


if __name__ == "__main__":
    main()
