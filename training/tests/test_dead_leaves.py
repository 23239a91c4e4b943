"""Synthetic dead-leaves pictures for the upsampler: the size law, the layout, and photo-like content."""
import numpy as np

from training.data import EmojiData
from training.tests.layout import assert_small_sizes_are_area_means
from training.tools.dead_leaves import dead_leaves, leaf_radius, main


def test_leaf_radius_follows_the_inverse_cube_law():
    # density ~ r^-3 on [a, b] has CDF F(r) = (a^-2 - r^-2) / (a^-2 - b^-2); compare quantiles
    rng = np.random.default_rng(0)
    a, b = 2.0, 100.0
    r = np.array([leaf_radius(rng, a, b) for _ in range(50000)])
    assert r.min() >= a and r.max() <= b
    for q in (0.25, 0.5, 0.9, 0.97):
        analytic = (a ** -2 - q * (a ** -2 - b ** -2)) ** -0.5
        assert abs(np.quantile(r, q) / analytic - 1) < 0.03, q
    # scale invariance: most leaves are small, so the median is near a * sqrt(2)
    assert abs(np.median(r) - a * 2 ** 0.5) < 0.05


def test_main_writes_the_dataset_layout_with_area_mean_small_sizes_and_a_val_tail(tmp_path):
    out = tmp_path / "dl"
    main(["--out", str(out), "--n", "6", "--val", "2", "--sizes", "32,128"])
    train, val = EmojiData(str(out), "train"), EmojiData(str(out), "val")
    assert train.index.tolist() == [0, 1, 2, 3] and val.index.tolist() == [4, 5]
    assert_small_sizes_are_area_means(train, 6)
    # the same seed draws the same pictures; another seed others
    again = tmp_path / "again"
    main(["--out", str(again), "--n", "6", "--val", "2"])
    assert (out / "images_128.u8").read_bytes() == (again / "images_128.u8").read_bytes()
    other = tmp_path / "other"
    main(["--out", str(other), "--n", "6", "--val", "2", "--seed", "1"])
    assert (out / "images_128.u8").read_bytes() != (other / "images_128.u8").read_bytes()


def test_pictures_hold_smooth_ramps_and_sharp_edges():
    # what the upsampler gets wrong on photographs: across many pictures, many neighbouring
    # pixel steps are small (smooth areas, grain included) and a heavy tail are edges. For
    # scale: 72 crops of nature photos at 64 px have 62 % of steps <= 4 and 2.6 % >= 40
    # (kurtosis 28); these pictures 55 % and 7 % (kurtosis 24); pure noise would have none small
    steps = []
    for i in range(24):
        img = dead_leaves(np.random.default_rng([0, i]), 64).astype(np.float64)
        steps.append(np.abs(np.diff(img, axis=1)).max(axis=2).ravel())
    steps = np.concatenate(steps)
    assert np.mean(steps <= 4) > 0.4
    assert np.mean(steps >= 40) > 0.01
    # a kurtosis far above a Gaussian's 3: the heavy-tailed derivative statistics of natural images
    d = steps - steps.mean()
    assert (d ** 4).mean() / (d ** 2).mean() ** 2 > 6
