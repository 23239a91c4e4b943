"""Object-insertion examples for the inpainting base: a captioned emoji pasted into another image,
with the hole over it, so the network learns to put *the prompted object* into a selection.

Random masks over a whole-image caption (masks.py) teach seamless filling but not this: the
caption names the whole picture, so a hole is filled with whatever continues it. Here the caption
names only what is inside the hole, at the scale the engine crops a selection to (the selection
plus a 25 % margin each side fills about two thirds of the network's input).

The dataset renders every emoji twice, on white and on one plain colour, so each emoji's alpha
matte is exact: with C_w = a F + (1 - a) w and C_c = a F + (1 - a) c,
(1 - a) = (C_w - C_c) . (w - c) / |w - c|^2 and a F = C_w - (1 - a) w. Area downsampling is linear,
so the matte of a downsampled pair is the downsampled matte.
"""
import glob
import os
import re

import numpy as np
import torch
import torch.nn.functional as F

# the object's side as a fraction of the network's input (the engine's 25 % margin gives 0.67)
SCALE_RANGE = (0.45, 0.9)
# images with the most of these many 1/255 steps of difference from white count as background
WHITE_TOLERANCE = 2


def solve_matte(on_white, on_colour):
    """uint8 [H,W,3] renders of one image on white and on a plain colour -> (premultiplied
    foreground float32 [H,W,3] in [0,1], alpha float32 [H,W,1]). The colour is read from the
    pixels that are white in the first render; an image without any (it fills its square) gets
    alpha 1 everywhere."""
    cw = on_white.astype(np.float32) / 255.0
    cc = on_colour.astype(np.float32) / 255.0
    bg = (on_white >= 255 - WHITE_TOLERANCE).all(axis=-1)
    if not bg.any():
        return cw, np.ones(cw.shape[:2] + (1,), np.float32)
    colour = np.median(cc[bg], axis=0)
    d = 1.0 - colour
    d2 = float(d @ d)
    if d2 < 1e-4:  # a white "colour": the pair carries no alpha
        return cw, np.ones(cw.shape[:2] + (1,), np.float32)
    one_minus_a = np.clip(((cw - cc) @ d) / d2, 0.0, 1.0)[..., None]
    alpha = 1.0 - one_minus_a
    fg = np.clip(cw - one_minus_a, 0.0, alpha)  # premultiplied, w = 1
    return fg, alpha


class Inserter:
    """Builds insertion examples from an EmojiData split."""

    def __init__(self, data, scale_range=SCALE_RANGE, hole_margin=(0.0, 0.0)):
        """`scale_range`: the pasted square's side as a share of the input; `hole_margin`: how much
        the hole reaches past the square on each side, a share of its side, drawn per example (0: the
        object fills the hole, so the base learns to fill a selection edge to edge)."""
        self.data = data
        self.scale_range, self.hole_margin = tuple(scale_range), tuple(hole_margin)
        by_image = {}
        for i in data.index:
            r = data.records[i]
            by_image.setdefault(r["image_id"], {})[r["background"]] = i
        self.white_of, self.colour_of = {}, {}
        for pair in by_image.values():
            white = pair.get("white")
            colour = next((v for k, v in pair.items() if k != "white"), None)
            if white is None or colour is None:
                continue
            for i in pair.values():
                self.white_of[i], self.colour_of[i] = white, colour
        self.usable = np.array(sorted(self.white_of), dtype=np.int64)
        names = glob.glob(os.path.join(data.root, "images_*.u8"))
        self.sizes = sorted(int(re.search(r"images_(\d+)\.u8$", n).group(1)) for n in names)

    def matte(self, i, size):
        imgs = self.data.images(size)
        return solve_matte(np.asarray(imgs[self.white_of[i]]), np.asarray(imgs[self.colour_of[i]]))

    def background(self, rng, S):
        """[3,S,S] in [0,1]: another training image, whole or a zoomed-in crop of its largest render."""
        j = int(rng.choice(self.data.index))
        if rng.random() < 0.5:
            return torch.from_numpy(np.asarray(self.data.images(S)[j], np.float32) / 255.0).permute(2, 0, 1)
        big_size = self.sizes[-1]
        big = torch.from_numpy(np.asarray(self.data.images(big_size)[j], np.float32) / 255.0).permute(2, 0, 1)
        c = int(rng.integers(max(S, big_size // 4), big_size + 1))  # never upsampled: crops >= S
        y, x = rng.integers(0, big_size - c + 1, size=2)
        return F.interpolate(big[None, :, y:y + c, x:x + c], size=(S, S), mode="area")[0]

    def example(self, rng, i, S, background=None, place=None):
        """x0 [3,S,S] in [-1,1] with record i's emoji pasted into a background ([3,S,S] in [0,1];
        a random one by default) as a k x k square at (y, x) (place = (y, x, k); random by default),
        and the mask [S,S] (1 keep, 0 fill) whose hole covers the whole pasted square."""
        k = int(round(rng.uniform(*self.scale_range) * S)) if place is None else place[2]
        src = min((s for s in self.sizes if s >= k), default=self.sizes[-1])
        fg, alpha = self.matte(i, src)
        fga = torch.from_numpy(np.concatenate([fg, alpha], axis=-1)).permute(2, 0, 1)[None]
        fga = F.interpolate(fga, size=(k, k), mode="area")[0]  # premultiplied: area averaging is exact
        bg = self.background(rng, S) if background is None else background
        y, x = (int(v) for v in rng.integers(0, S - k + 1, size=2)) if place is None else place[:2]
        out = bg.clone()
        a = fga[3:4]
        out[:, y:y + k, x:x + k] = fga[:3] + (1 - a) * bg[:, y:y + k, x:x + k]
        mask = np.ones((S, S), np.float32)
        grow = int(rng.integers(0, 3)) + int(round(rng.uniform(*self.hole_margin) * k))
        if rng.random() < 0.5:
            mask[max(0, y - grow):y + k + grow, max(0, x - grow):x + k + grow] = 0
        else:  # an ellipse through the square's corners (plus the growth) covers it
            yy, xx = np.mgrid[0:S, 0:S] + 0.5
            cy, cx, r = y + k / 2, x + k / 2, k / 2 * np.sqrt(2) + grow
            mask[((yy - cy) ** 2 + (xx - cx) ** 2) <= r * r] = 0
        return out * 2 - 1, mask
