"""eval_fill's measures against values worked out by hand."""
import numpy as np

from training.tools.eval_fill import core, edge_step, psnr


def test_edge_step_is_the_colour_step_across_the_selection_edge():
    inside = np.zeros((8, 8), bool)
    inside[2:6, 2:6] = True
    flat = np.full((8, 8, 3), 100.0)
    assert edge_step(flat, inside) == 0
    stepped = flat.copy()
    stepped[inside] += 12  # a fill 12 levels lighter than the picture around it
    assert abs(edge_step(stepped, inside) - 12) < 1e-9
    # a step inside the fill, away from the edge, is not a seam
    inner = flat.copy()
    inner[3:5, 3:5] += 50
    assert edge_step(inner, inside) == 0


def test_psnr_counts_the_selected_pixels_only():
    inside = np.zeros((4, 4), bool)
    inside[:2] = True
    a = np.zeros((4, 4, 3))
    b = a.copy()
    b[inside] = 255 / 10  # an error of a tenth of the range: 20 dB
    b[~inside] = 255
    assert abs(psnr(a, b, inside) - 20) < 1e-9


def test_core_is_the_mask_less_a_band_of_a_quarter_of_its_shorter_side():
    inside = np.zeros((30, 40), bool)
    inside[5:17, 10:30] = True  # 12 x 20: a band of 3
    mid = core(inside)
    ys, xs = np.nonzero(mid)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (8, 13, 13, 26)
    assert mid.sum() == 6 * 14
