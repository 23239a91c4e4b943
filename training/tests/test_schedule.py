import math

import numpy as np
import pytest

from training.diffusion.gaussian import Diffusion
from training.diffusion.schedule import aug_alpha_bar, betas_for, respaced_betas, space_timesteps


def test_linear_endpoints():
    b = betas_for("linear", 1000)
    assert b[0] == pytest.approx(1e-4) and b[-1] == pytest.approx(0.02)
    assert np.allclose(np.diff(b), (0.02 - 1e-4) / 999)


def test_cosine_closed_form():
    T = 1000
    abar = np.cumprod(1 - betas_for("squaredcos_cap_v2", T))
    f = lambda t: math.cos((t / T + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
    for t in (0, 10, 500, 900):  # abar_t = f(t+1)/f(0) while betas are uncapped
        assert abar[t] == pytest.approx(f(t + 1) / f(0), rel=1e-9)
    assert betas_for("squaredcos_cap_v2", T)[-1] == 0.999  # capped


def test_fast27_matches_glide():
    steps = sorted(space_timesteps(1000, "fast27"))
    assert steps == [0, 22, 44, 66, 88, 111, 133, 155, 177, 199, 200, 222, 244, 266, 288, 311, 333, 355, 377, 399,
                     400, 500, 599, 600, 799, 800, 997]


def test_ddim_and_sections():
    assert sorted(space_timesteps(1000, "ddim50")) == list(range(0, 1000, 20))
    assert sorted(space_timesteps(1000, "ddim25")) == list(range(0, 1000, 40))
    assert sorted(space_timesteps(100, "10")) == [0, 11, 22, 33, 44, 55, 66, 77, 88, 99]
    with pytest.raises(ValueError):
        space_timesteps(1000, "ddim999")


def test_respacing_preserves_alpha_bar():
    abar = np.cumprod(1 - betas_for("squaredcos_cap_v2", 1000))
    use = space_timesteps(1000, "ddim25")
    betas, tmap = respaced_betas(abar, use)
    d = Diffusion(betas, tmap)
    assert np.allclose(d.abar, abar[sorted(use)], rtol=1e-12)
    assert list(tmap) == sorted(use)


def test_posterior_variance_closed_form():
    d = Diffusion.from_schedule("linear", 1000)
    t = 100
    expect = d.betas[t] * (1 - d.abar[t - 1]) / (1 - d.abar[t])
    assert d.posterior_variance[t] == pytest.approx(expect)
    assert d.posterior_log_variance_clipped[0] == pytest.approx(math.log(d.posterior_variance[1]))


def test_aug_alpha_bar_bounds():
    assert aug_alpha_bar(0.0) == 1.0
    assert aug_alpha_bar(1.0) < 1e-4
