"""Checks shared by the tests of tools that write the dataset layout (images_<size>.u8)."""
import numpy as np


def assert_small_sizes_are_area_means(data, n, big=128, small=32):
    """`data` (training.data.EmojiData) holds n distinct pictures at both sizes, the small one the
    block mean of the big one (to rounding), computed here independently of the tools."""
    f = big // small
    large, little = data.images(big), data.images(small)
    assert large.shape == (n, big, big, 3) and little.shape == (n, small, small, 3)
    for i in range(n):
        want = large[i].astype(np.float64).reshape(small, f, small, f, 3).mean(axis=(1, 3))
        assert np.abs(little[i] - want).max() <= 0.5
    assert len({large[i].tobytes() for i in range(n)}) == n
