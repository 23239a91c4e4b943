import numpy as np
import torch

from training.configs import cascade
from training.masks import frame, random_mask
from training.nn.build import build_net
from training.sample import augment_low_res, quantize_8bit, sample_base
from training.diffusion.schedule import aug_alpha_bar


def test_random_masks_are_binary_and_mixed():
    rng = np.random.default_rng(0)
    masks = [random_mask(rng, 32) for _ in range(200)]
    plain = sum(int(m.max() == 0) for m in masks)
    assert 70 < plain < 130  # about half are the all-zero (plain generation) mask
    for m in masks:
        assert set(np.unique(m)) <= {0.0, 1.0} and m.shape == (32, 32)
    assert any(0 < m.mean() < 1 for m in masks)


def test_frame_masks_keep_one_rectangle_and_fill_the_growing_sides():
    rng = np.random.default_rng(1)
    seen = set()
    for _ in range(300):
        m = frame(rng, 32)
        ys, xs = np.nonzero(m)
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        assert m[y0:y1, x0:x1].all() and m.sum() == (y1 - y0) * (x1 - x0)  # one kept rectangle
        assert 0 < m.mean() < 1
        grows = (x0 > 0, x1 < 32, y0 > 0, y1 < 32)
        seen.add(grows)
        # two growing sides of a dimension grow alike (within the odd pixel)
        if grows[0] and grows[1]:
            assert abs(x0 - (32 - x1)) <= 1
        if grows[2] and grows[3]:
            assert abs(y0 - (32 - y1)) <= 1
    # every direction an expand offers shows up: all, horizontal, vertical and each single side
    assert seen == {(True, True, True, True), (True, True, False, False), (False, False, True, True),
                    (True, False, False, False), (False, True, False, False), (False, False, True, False), (False, False, False, True)}


def test_quantize_and_augment():
    x = torch.linspace(-1, 1, 1000).view(1, 1, 1, 1000)
    q = quantize_8bit(x)
    assert torch.allclose((q + 1) * 127.5, ((q + 1) * 127.5).round(), atol=1e-4)
    n = torch.randn_like(x)
    a = aug_alpha_bar(0.3)
    assert torch.allclose(augment_low_res(x, 0.3, n), a**0.5 * q + (1 - a) ** 0.5 * n)


def test_inpaint_sampling_keeps_known_pixels():
    torch.manual_seed(0)
    cc = cascade("tiny", n_vocab=8)
    net = build_net(cc.base).eval()
    S, L = cc.base.image_size, cc.base.text_ctx
    tok, msk = torch.zeros(1, L, dtype=torch.long), torch.zeros(1, L)
    img = torch.rand(1, 3, S, S) * 2 - 1
    keep = torch.zeros(1, 1, S, S)
    keep[..., : S // 2, :] = 1
    out = sample_base(net, cc.base, tok, msk, tok, msk, torch.randn(1, 3, S, S), "dpmpp2m", "ddim5", 3.0, 0.995,
                      inpaint_image=img, inpaint_mask=keep)
    assert torch.allclose(out[..., : S // 2, :], img[..., : S // 2, :], atol=1e-5)
