"""Object-insertion examples: the alpha matte from two renders, and the hole over the pasted object."""
import numpy as np
import torch

from training.composite import Inserter, solve_matte


def _render(fg, alpha, colour):
    """What the dataset builder writes: the premultiplied foreground over a plain colour, as uint8."""
    return np.round((fg + (1 - alpha) * np.asarray(colour, np.float32)) * 255).astype(np.uint8)


def test_matte_from_white_and_colour_renders_recovers_alpha_and_foreground():
    rng = np.random.default_rng(0)
    H = 24
    alpha = np.zeros((H, H, 1), np.float32)
    alpha[4:20, 6:18] = rng.uniform(0.0, 1.0, size=(16, 12, 1))
    alpha[8:16, 8:16] = 1.0
    fg = rng.uniform(0, 1, size=(H, H, 3)).astype(np.float32) * alpha  # premultiplied
    for colour in ([120 / 255, 70 / 255, 30 / 255], [235 / 255, 220 / 255, 190 / 255], [0.0, 0.0, 0.0]):
        got_fg, got_alpha = solve_matte(_render(fg, alpha, [1, 1, 1]), _render(fg, alpha, colour))
        # uint8 rounding (half a step per channel) over |white - colour| (>= 76 steps for the palette)
        assert np.abs(got_alpha - alpha).max() < 0.02
        assert np.abs(got_fg - fg).max() < 0.03
        # compositing the matte back onto a third colour matches compositing the truth
        third = np.array([0.2, 0.6, 0.3], np.float32)
        assert np.abs((got_fg + (1 - got_alpha) * third) - (fg + (1 - alpha) * third)).max() < 0.03


def test_matte_of_an_image_that_fills_its_square_is_opaque():
    rng = np.random.default_rng(1)
    full = rng.integers(0, 250, size=(8, 8, 3)).astype(np.uint8)
    fg, alpha = solve_matte(full, full)
    assert (alpha == 1).all() and np.allclose(fg, full / 255.0)


class _TinyData:
    """Two emoji, each rendered on white and on a colour, at 8 and 16 px."""

    def __init__(self, root):
        self.root = root
        rng = np.random.default_rng(2)
        self.records, imgs = [], {8: [], 16: []}
        for e in range(2):
            alpha = np.zeros((16, 16, 1), np.float32)
            alpha[3:13, 3:13] = 1.0
            fg = rng.uniform(0, 1, size=(16, 16, 3)).astype(np.float32) * alpha
            for bg, colour in (("white", [1, 1, 1]), ("navy", [20 / 255, 30 / 255, 90 / 255])):
                img16 = _render(fg, alpha, colour)
                imgs[16].append(img16)
                imgs[8].append(img16.reshape(8, 2, 8, 2, 3).mean(axis=(1, 3)).round().astype(np.uint8))
                self.records.append({"image_id": f"e{e}", "background": bg})
        self.index = np.arange(len(self.records))
        self._imgs = {s: np.stack(v) for s, v in imgs.items()}
        for s, v in self._imgs.items():  # the Inserter finds the sizes from the file names
            v.tofile(f"{root}/images_{s}.u8")

    def images(self, size):
        return self._imgs[size]


def test_insertion_example_keeps_the_background_outside_the_hole(tmp_path):
    data = _TinyData(str(tmp_path))
    ins = Inserter(data)
    assert sorted(ins.white_of) == [0, 1, 2, 3] and ins.white_of[1] == 0 and ins.colour_of[0] == 1
    rng = np.random.default_rng(3)
    S = 8
    background = torch.full((3, S, S), 0.25)
    background[1] = 0.75
    for _ in range(30):
        x0, mask = ins.example(rng, 3, S, background=background)
        assert x0.shape == (3, S, S) and mask.shape == (S, S) and set(np.unique(mask)) <= {0.0, 1.0}
        keep = torch.from_numpy(mask).bool()
        # outside the hole: exactly the background; the object (alpha > 0 somewhere) only inside it
        assert torch.equal(x0[:, keep], background[:, keep] * 2 - 1)
        changed = (x0 - (background * 2 - 1)).abs().amax(0) > 1e-6
        assert changed.any() and not (changed & keep).any()
        # the hole is at least the smallest pasted square
        assert (~keep).sum() >= round(0.45 * S) ** 2
    x0, _ = ins.example(np.random.default_rng(4), 0, S)  # a random background: still a valid image
    assert x0.min() >= -1 - 1e-6 and x0.max() <= 1 + 1e-6


def test_a_hole_margin_leaves_background_around_the_object_inside_the_hole(tmp_path):
    data = _TinyData(str(tmp_path))
    S = 32
    background = torch.full((3, S, S), 0.25)
    ins = Inserter(data, scale_range=(0.3, 0.3), hole_margin=(0.25, 0.25))
    for seed in range(10):
        rng = np.random.default_rng(seed)
        x0, mask = ins.example(rng, 3, S, background=background, place=(10, 10, 10))
        hole = ~torch.from_numpy(mask).bool()
        changed = (x0 - (background * 2 - 1)).abs().amax(0) > 1e-6
        # the object only inside its 10 px square; the hole (a square or an ellipse) reaches 2-4 px past
        # it (a quarter of 10, plus 0-2), and not much further
        assert not changed[:10].any() and not changed[20:].any() and not changed[:, :10].any() and not changed[:, 20:].any()
        assert hole[8:22, 8:22].all() and not hole[:3].any() and not hole[:, 29:].any()
        # background is inside the hole around the object: the base sees it must draw some
        assert (hole & ~changed).sum() > 0


def test_insertion_ranges_are_checked_on_the_command_line():
    import argparse

    import pytest

    from training.train import share_range
    assert share_range("0.3,0.9") == (0.3, 0.9)
    for bad in ("0.9,0.3", "1.5,2", "x", "0.3"):
        with pytest.raises(argparse.ArgumentTypeError):
            share_range(bad)
