"""Evaluation metrics against closed forms and invariants."""
import numpy as np
import torch

from training.configs import cascade
from training.eval import frechet, text_gap
from training.nn.build import build_net


def test_frechet_of_gaussians_matches_closed_form():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20000, 3))
    b = rng.standard_normal((20000, 3)) * 2.0 + 1.0
    # N(0, I) vs N(1, 4I) in 3-D: |mu|^2 + tr(I + 4I - 2 * 2I) = 3 + 3 = 6
    assert abs(frechet(a, b) - 6.0) < 0.15
    assert abs(frechet(a, a)) < 1e-6


def test_text_gap_is_zero_for_the_same_prompt_and_positive_for_another():
    torch.manual_seed(0)
    cfg = cascade("tiny", n_vocab=10).base
    net = build_net(cfg).eval()
    with torch.no_grad():  # GLIDE zero-initialises output layers: give every weight a value
        for p in net.parameters():
            p.normal_(0.0, 0.1)
    L = cfg.text_ctx
    toks = torch.tensor([[1, 2, 3] + [9] * (L - 3)] * 2)
    mask = torch.tensor([[1.0] * 3 + [0.0] * (L - 3)] * 2)
    empty, emask = torch.full_like(toks, 9), torch.zeros_like(mask)
    same = text_gap(net, empty, emask, empty, emask, cfg.image_size, timesteps=(999, 10))
    assert all(v == 0.0 for v in same.values())
    other = text_gap(net, toks, mask, empty, emask, cfg.image_size, timesteps=(999, 10))
    assert all(v > 0.0 for v in other.values())
