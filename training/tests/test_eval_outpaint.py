import torch

from training.eval_outpaint import edge_fill, frame_masks, psnr_filled


def test_frame_masks_repeat_for_a_seed():
    a, b = frame_masks(8, 32, seed=3), frame_masks(8, 32, seed=3)
    assert torch.equal(a, b) and a.shape == (8, 1, 32, 32)
    assert not torch.equal(a, frame_masks(8, 32, seed=4))


def test_edge_fill_takes_the_median_of_the_kept_rectangles_ring():
    img = torch.full((1, 3, 6, 6), -1.0)
    keep = torch.zeros(1, 1, 6, 6)
    keep[..., 1:5, 2:5] = 1  # a 4 x 3 kept rectangle
    img[..., 1:5, 2:5] = 0.5  # its ring (10 px) is 0.5 but for one pixel
    img[0, :, 1, 2] = 0.9
    img[0, :, 2:4, 3] = -0.3  # inside the ring: not looked at
    out = edge_fill(img, keep)
    assert torch.equal(out * keep, img * keep)  # kept pixels untouched
    assert torch.allclose(out[0, :, 0, 0], torch.tensor(0.5))
    assert torch.allclose(out[0, :, 5, 5], torch.tensor(0.5))


def test_psnr_counts_only_the_filled_pixels():
    real = torch.zeros(2, 3, 4, 4)
    keep = torch.zeros(2, 1, 4, 4)
    keep[..., :, :2] = 1
    pred = real.clone()
    pred[..., :, :2] = 1.0  # wrong only where kept: ignored
    pred[1, :, :, 2:] = 0.2  # an error of 0.1 in [0, 1] over the filled half: 20 dB
    p = psnr_filled(pred, real, keep)
    assert p[0] > 90 and abs(float(p[1]) - 20.0) < 1e-4
