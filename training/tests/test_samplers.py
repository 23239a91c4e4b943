"""Sampler sanity: a denoiser that knows the true x0 leads every sampler back to it."""
import math

import numpy as np
import pytest
import torch

from training.diffusion.gaussian import Diffusion
from training.diffusion.losses import hybrid_loss, min_snr_weight
from training.diffusion.samplers import ddim, ddpm, dpmpp_2m
from training.diffusion.transforms import classifier_free_guidance, compose_x0, dynamic_threshold, reimpose_known


def oracle(diffusion, x0_true):
    """eps that makes the predicted x0 exactly x0_true at every step; zero variance channels."""
    tmap = torch.as_tensor(diffusion.timestep_map)

    def denoise(x, t):
        i = torch.searchsorted(tmap, t.long())
        a = diffusion.at(diffusion.abar, i, x)
        eps = (x - a.sqrt() * x0_true) / (1 - a).sqrt()
        return torch.cat([eps, torch.zeros_like(eps)], dim=1)

    return denoise


@pytest.fixture
def setup():
    torch.manual_seed(0)
    d = Diffusion.from_schedule("squaredcos_cap_v2", 1000, "ddim20")
    x0 = torch.rand(2, 3, 8, 8) * 1.6 - 0.8
    return d, x0, torch.randn(2, 3, 8, 8, dtype=torch.float64).float()


def test_ddim_recovers_x0(setup):
    d, x0, xT = setup
    assert torch.allclose(ddim(d, oracle(d, x0), xT), x0, atol=1e-4)


def test_dpmpp2m_recovers_x0(setup):
    d, x0, xT = setup
    assert torch.allclose(dpmpp_2m(d, oracle(d, x0), xT), x0, atol=1e-4)


def test_ddpm_recovers_x0(setup):
    d, x0, xT = setup
    noises = torch.randn(d.num_timesteps, *x0.shape)
    out = ddpm(d, oracle(d, x0), xT, noises)
    # the last step adds no noise and its posterior mean is within beta_0 of x0
    assert torch.allclose(out, x0, atol=2e-2)


def test_guidance_with_equal_halves_is_identity():
    net = lambda x, t: torch.cat([x * 0.5, x * 0 + 0.25], dim=1)  # noqa: E731 (cond == uncond)
    x = torch.randn(2, 3, 4, 4)
    out = classifier_free_guidance(net, 7.0)(x, torch.zeros(2))
    assert torch.allclose(out[:, :3], x * 0.5) and torch.allclose(out[:, 3:], torch.full_like(x, 0.25))


def test_guidance_formula():
    def net(x, t):
        b = x.shape[0] // 2
        return torch.cat([torch.cat([torch.ones(b, 3, 2, 2), torch.zeros(b, 3, 2, 2)]),
                          torch.cat([torch.full((b, 3, 2, 2), 5.0), torch.full((b, 3, 2, 2), 9.0)])], dim=1)

    out = classifier_free_guidance(net, 3.0)(torch.zeros(1, 3, 2, 2), torch.zeros(1))
    assert torch.allclose(out[:, :3], torch.full((1, 3, 2, 2), 3.0))  # 0 + 3 * (1 - 0)
    assert torch.allclose(out[:, 3:], torch.full((1, 3, 2, 2), 5.0))  # conditional variance


def test_dynamic_threshold_analytic():
    x = torch.linspace(-3, 3, 1001).view(1, 1, 1, 1001)
    out = dynamic_threshold(x, 0.5)  # quantile of |x| at 0.5 is 1.5
    assert out.abs().max() == pytest.approx(1.0)
    assert out[0, 0, 0, 500 + 100].item() == pytest.approx(0.6 / 1.5, rel=1e-5)
    small = torch.full((1, 1, 2, 2), 0.3)
    assert torch.equal(dynamic_threshold(small), small)  # s clamps at 1: unchanged


def test_inpainting_keeps_known_region(setup):
    d, x0, xT = setup
    img = torch.rand_like(x0)
    mask = torch.zeros(2, 1, 8, 8)
    mask[..., :4] = 1
    out = ddim(d, oracle(d, x0), xT, process_x0=compose_x0(None, reimpose_known(img, mask)))
    assert torch.allclose(out[..., :4], img[..., :4], atol=1e-5)
    assert torch.allclose(out[..., 4:], x0[..., 4:], atol=1e-4)


def test_hybrid_loss_oracle_has_zero_mse():
    d = Diffusion.from_schedule("linear", 1000)
    x0 = torch.rand(4, 3, 8, 8) * 2 - 1
    noise = torch.randn_like(x0)
    t = torch.tensor([0, 10, 500, 999])
    x_t = d.q_sample(x0, t, noise)
    out = torch.cat([noise, -torch.ones_like(noise)], dim=1)  # v = -1: the true posterior variance
    loss, mse, vb = hybrid_loss(d, out, x0, x_t, t, noise)
    assert torch.allclose(mse, torch.zeros(4), atol=1e-10)
    assert (vb[1:].abs() < 1e-6).all()  # true mean and variance: KL = 0 for t >= 2
    assert torch.isfinite(loss).all()


def test_low_res_consistency_makes_the_area_average_equal_the_input():
    """Analytic invariant: without clipping, area_down(x0') == low_res; detail inside each block is kept."""
    import torch.nn.functional as F

    from training.diffusion.transforms import low_res_consistency

    g = torch.Generator().manual_seed(3)
    low = torch.rand(2, 3, 4, 4, generator=g) * 0.8 - 0.4
    x0 = torch.rand(2, 3, 16, 16, generator=g) * 0.8 - 0.4
    out = low_res_consistency(low)(x0)
    assert torch.allclose(F.avg_pool2d(out, 4), low, atol=1e-6)
    # the within-block deviations (the detail the network added) are untouched
    dev = lambda x: x - F.avg_pool2d(x, 4).repeat_interleave(4, -2).repeat_interleave(4, -1)  # noqa: E731
    assert torch.allclose(dev(out), dev(x0), atol=1e-6)
    # and the result stays in [-1, 1] even when the input is far off
    assert low_res_consistency(low)(x0 * 10).abs().max() <= 1
    # smooth passes keep the invariant (the final block-wise step makes it exact) where their
    # correction, which varies inside a block, does not reach the clip
    half = low_res_consistency(low / 2, 3)(x0 / 2)
    assert half.abs().max() < 1 and torch.allclose(F.avg_pool2d(half, 4), low / 2, atol=1e-6)


def test_cubic_upsample_matrix_keeps_constants_and_lines():
    from training.diffusion.transforms import cubic_upsample_matrix

    m = cubic_upsample_matrix(8, 32).double()
    assert torch.allclose(m.sum(dim=1), torch.ones(32, dtype=torch.float64), atol=1e-6)
    # Keys' kernel reproduces straight lines away from the replicated edges; pixel centres
    # aligned: output pixel i sits at (i + 0.5) / 4 - 0.5 in input pixels
    line = torch.arange(8, dtype=torch.float64) * 0.3 - 1
    want = ((torch.arange(32, dtype=torch.float64) + 0.5) / 4 - 0.5) * 0.3 - 1
    assert torch.allclose((m @ line)[6:26], want[6:26], atol=1e-6)


def test_smooth_consistency_turns_a_staircase_into_the_ramp():
    """A flat prediction under a low-res ramp: the block-wise correction alone leaves a staircase
    (f-pixel steps, the banding seen on photographs); the smooth passes give the ramp itself,
    whose block means are the low-res values (a line's mean over a block is its centre value)."""
    from training.diffusion.transforms import low_res_consistency

    s, f = 8, 4
    centres = (torch.arange(s * f, dtype=torch.float32) + 0.5) / f - 0.5  # in low-res pixels
    ramp = (0.1 * centres - 0.3).view(1, 1, 1, -1).expand(1, 3, s * f, s * f)
    low = (0.1 * torch.arange(s, dtype=torch.float32) - 0.3).view(1, 1, 1, -1).expand(1, 3, s, s)
    flat = torch.zeros(1, 3, s * f, s * f)
    inner = (..., slice(2 * f, (s - 2) * f))
    stair = (low_res_consistency(low)(flat) - ramp)[inner].abs().max()
    smooth = (low_res_consistency(low, 4)(flat) - ramp)[inner].abs().max()
    assert stair > 0.035  # up to 3/8 of a step of 0.1
    assert smooth < 0.1 * stair


def test_min_snr_weight_matches_the_cosine_schedule():
    # independent reference: the cosine schedule's alpha-bar in closed form (Nichol & Dhariwal eq. 17)
    T, s, gamma = 1000, 0.008, 5.0
    f = lambda t: math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2  # noqa: E731
    d = Diffusion.from_schedule("squaredcos_cap_v2", T)
    t = torch.tensor([0, 100, 250, 500, 900])
    w = min_snr_weight(d, t, gamma)
    for i, ti in enumerate(t.tolist()):
        abar = f(ti + 1) / f(0)  # index i is the (i+1)-th step
        snr = abar / (1 - abar)
        assert abs(w[i].item() - min(snr, gamma) / snr) < 1e-4 * max(1.0, w[i].item())
    assert w[0] < 1e-3 and w[-1] == 1.0  # nearly clean steps weigh little, noisy ones fully


def test_hybrid_loss_weights_only_the_mse_inside_the_loss():
    d = Diffusion.from_schedule("linear", 1000)
    x0 = torch.rand(3, 3, 8, 8) * 2 - 1
    noise = torch.randn_like(x0)
    t = torch.tensor([5, 300, 900])
    x_t = d.q_sample(x0, t, noise)
    out = torch.cat([torch.zeros_like(noise), torch.zeros_like(noise)], dim=1)
    plain, mse, vb = hybrid_loss(d, out, x0, x_t, t, noise)
    w = torch.tensor([0.1, 0.5, 1.0])
    weighted, mse_w, vb_w = hybrid_loss(d, out, x0, x_t, t, noise, mse_weight=w)
    assert torch.allclose(mse_w, mse) and torch.allclose(vb_w, vb)  # logged parts unchanged
    assert torch.allclose(weighted, w * mse + vb)
    assert not torch.allclose(weighted, plain)


def test_kept_steps_rounds_half_up_and_keeps_at_least_one():
    from training.sample import kept_steps

    assert [kept_steps(s, 10) for s in (1.0, 0.6, 0.45, 0.4, 0.04, 0.01)] == [10, 6, 5, 4, 1, 1]
    assert kept_steps(0.6, 5) == 3
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError):
            kept_steps(bad, 10)


def test_truncated_diffusion_is_the_tail_of_the_schedule():
    d = Diffusion.from_schedule("linear", 1000, "ddim10")
    short = d.truncated(4)
    assert short.num_timesteps == 4 and list(short.timestep_map) == [0, 100, 200, 300]
    # abar at respaced index 3 is the 1000-step schedule's cumulative product up to t = 300
    betas = np.linspace(1e-4, 0.02, 1000)  # GLIDE's linear schedule (scaled for 1000 steps)
    assert math.isclose(short.abar[3], np.prod(1 - betas[:301]), rel_tol=1e-9)
    for k in ("betas", "abar_prev", "posterior_log_variance_clipped", "posterior_mean_coef1"):
        assert np.array_equal(getattr(short, k), getattr(d, k)[:4])
    with pytest.raises(ValueError):
        d.truncated(0)


def test_upsampler_start_noises_the_smooth_enlargement_to_the_kept_level():
    import torch.nn.functional as F

    from training.sample import upsampler_start

    d = Diffusion.from_schedule("linear", 1000, "ddim10")
    g = torch.Generator().manual_seed(5)
    low = torch.rand(1, 3, 4, 4, generator=g) * 0.8 - 0.4  # far enough from +-1 that nothing is clipped
    noise = torch.randn(1, 3, 16, 16, generator=g)
    short, x = upsampler_start(d, 0.4, low, noise)
    assert short.num_timesteps == 4 and short.timestep_map[-1] == 300
    a = float(d.abar[3])
    enlarged = upsampler_start(d, 0.4, low, torch.zeros_like(noise))[1] / math.sqrt(a)
    assert torch.allclose(x, math.sqrt(a) * enlarged + math.sqrt(1 - a) * noise, atol=1e-6)
    # the enlargement's 4 x 4 block means are the input, and it is smooth (no 4 px steps):
    # neighbouring pixels across a block edge differ far less than the blocks' own means do
    assert torch.allclose(F.avg_pool2d(enlarged, 4), low, atol=1e-5)
    step_edge = (enlarged[..., :, 4] - enlarged[..., :, 3]).abs().mean()
    step_blocks = (low[..., :, 1] - low[..., :, 0]).abs().mean()
    assert step_edge < 0.6 * step_blocks
    # keeping every step starts from noise, as strength 1 does
    assert upsampler_start(d, 0.96, low, noise) == (d, None)


def test_image_start_noises_the_picture_to_the_kept_level():
    from training.sample import image_start

    d = Diffusion.from_schedule("linear", 1000, "ddim10")
    g = torch.Generator().manual_seed(6)
    x0, noise = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1, torch.randn(2, 3, 8, 8, generator=g)
    short, x = image_start(d, 0.6, x0, noise)
    assert short.num_timesteps == 6 and short.timestep_map[-1] == 500
    a = float(np.prod(1 - np.linspace(1e-4, 0.02, 1000)[:501]))  # abar at t = 500, from the betas
    assert torch.allclose(x, math.sqrt(a) * x0 + math.sqrt(1 - a) * noise, atol=1e-6)
    assert image_start(d, 1.0, x0, noise) == (d, None)


def test_ddim_from_an_img2img_start_calls_the_network_at_the_kept_steps_only():
    d = Diffusion.from_schedule("linear", 1000, "ddim10")
    x0 = torch.rand(1, 3, 8, 8) * 1.6 - 0.8
    short = d.truncated(3)
    seen = []
    den = oracle(short, x0)

    def denoise(x, t):
        seen.append(int(t[0]))
        return den(x, t)

    x = math.sqrt(short.abar[2]) * x0 + math.sqrt(1 - short.abar[2]) * torch.randn(1, 3, 8, 8)
    assert torch.allclose(ddim(short, denoise, x), x0, atol=1e-4)
    assert seen == [200, 100, 0]
