"""training/content.py: analytic cases, an independent float implementation, and the shares the
engine's test (test/unit/content.test.ts) checks src/inference/content.ts against."""
import numpy as np
import pytest

from training.content import GRAPHIC_MIN_FLAT_SHARE, content_kind, flat_share


def naive_share(img, tol=2):
    """Block means in floats and a padded 3 x 3 window: the statement of the test, opaque pictures only."""
    a = np.asarray(img, dtype=np.float64)
    H, W = a.shape[:2]
    f = max(1, min(H, W) // 32)
    H, W = H // f, W // f
    a = a[:H * f, :W * f].reshape(H, f, W, f, 3).mean((1, 3))
    p = np.pad(a, ((1, 1), (1, 1), (0, 0)), mode="edge")
    win = np.stack([p[dy:dy + H, dx:dx + W] for dy in range(3) for dx in range(3)])
    return float(((win.max(0) - win.min(0)).max(-1) <= tol + 1e-9).mean())


def formula(w, h, alpha):
    """Steps of flat colour with grain in the left third; alpha: opaque disc, half-transparent ring."""
    y, x = np.mgrid[0:h, 0:w]
    ch = [np.minimum((x // 12 * 50 + y // 15 * 30 + c * 70) % 256 + np.where(3 * x < w, (x * 31 + y * 17 + c * 7) % 7, 0), 255)
          for c in range(3)]
    if alpha:
        r2 = (2 * x - w) ** 2 + (2 * y - h) ** 2
        m = min(w, h)
        ch.append(np.where(r2 <= int(0.8 * m) ** 2, 255, np.where(r2 <= m * m, 128, 0)))
    return np.stack(ch, -1).astype(np.uint8)


def test_analytic_cases():
    assert flat_share(np.full((40, 50, 3), 77, np.uint8)) == 1.0
    ramp = np.broadcast_to(np.arange(32, dtype=np.uint8)[None, :, None], (32, 32, 3))
    assert flat_share(ramp) == 1.0  # 1 level a pixel: 2 over a neighbourhood
    assert flat_share(np.floor(1.5 * ramp).astype(np.uint8)) == 2 / 32  # only the edge columns
    halves = np.zeros((64, 64, 3), np.uint8)
    halves[:, 32:] = 255
    assert flat_share(halves) == pytest.approx(30 / 32, abs=1e-15)  # 32 x 32 blocks, two columns see both


def test_transparency_counts_for_neither_kind():
    rng = np.random.default_rng(0)
    img = np.concatenate([rng.integers(0, 256, (64, 64, 3)), np.zeros((64, 64, 1))], -1).astype(np.uint8)
    img[16:48, 16:48, 3] = 255
    assert flat_share(img) == 0.0  # grain cut out on transparency
    img[16:48, 16:48, :3] = 40
    assert flat_share(img) == 1.0  # flat colour with grain hidden under transparency
    img[..., 3] = 128
    assert flat_share(img) == 1.0  # nothing opaque


@pytest.mark.parametrize("size", [(32, 32), (45, 80), (96, 64), (130, 257)])
def test_matches_a_float_implementation(size):
    rng = np.random.default_rng(size[0] * size[1])
    # flat patches with grain of a few levels in some of them, so shares fall in between
    base = rng.integers(0, 256, (size[0] // 8 + 1, size[1] // 8 + 1, 3)).repeat(8, 0).repeat(8, 1)[:size[0], :size[1]]
    grain = rng.integers(0, 4, (*size, 3)) * (rng.random((size[0] // 8 + 1, size[1] // 8 + 1)) < 0.5).repeat(8, 0).repeat(8, 1)[:size[0], :size[1], None]
    img = np.clip(base + grain, 0, 255).astype(np.uint8)
    share = flat_share(img)
    assert 0 < share < 1
    assert share == pytest.approx(naive_share(img), abs=1e-12)


def test_shares_the_engine_test_checks():
    cases = [((40, 33, False), 0.46136363636363636), ((100, 70, False), 0.37885714285714284),
             ((130, 128, False), 0.107421875), ((130, 128, True), 0.08280254777070063),
             ((97, 200, True), 0.2936344969199179)]
    for args, share in cases:
        assert flat_share(formula(*args)) == pytest.approx(share, abs=1e-15)


def test_kind_threshold():
    img = np.full((32, 32, 3), 10, np.uint8)
    img[:, :20] = np.random.default_rng(1).integers(100, 160, (32, 20, 3))
    assert flat_share(img) == 11 / 32 and content_kind(img) == "graphic"
    img[:, :26] = np.random.default_rng(1).integers(100, 160, (32, 26, 3))
    assert flat_share(img) == 5 / 32 < GRAPHIC_MIN_FLAT_SHARE and content_kind(img) == "photo"
