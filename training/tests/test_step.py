"""The training step train.py and the step bench share: it learns, on both stages, leaves
frozen parameters alone, and gives the same result in channels-last memory order."""
import copy

import numpy as np
import pytest
import torch

from training import checkpoint
from training.configs import cascade
from training.diffusion.gaussian import Diffusion
from training.nn.build import build_net
from training.step import StepSettings, for_speed, train_step


def _setup(stage):
    torch.manual_seed(0)
    cc = cascade("s", n_vocab=50)
    cfg = cc.base if stage == "base" else cc.upsampler
    net = build_net(cfg).train()
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps)
    B, S = 4, (cfg.image_size if stage == "base" else 16)  # the upsampler is convolutional: small crops
    g = torch.Generator().manual_seed(1)
    batch = {"x0": torch.rand(B, 3, S, S, generator=g) * 2 - 1}
    if stage == "base":
        batch["tokens"] = torch.randint(1, 49, (B, cfg.text_ctx), generator=g)
        batch["token_mask"] = torch.ones(B, cfg.text_ctx)
        batch["inpaint_mask"] = torch.zeros(B, 1, S, S)
    else:
        batch["low_res"] = torch.nn.functional.avg_pool2d(batch["x0"], S // 4)
    return net, diffusion, batch


def _repeat(net, diffusion, batch, settings, steps, lr=2e-3):
    """Steps on one batch with the same timesteps and noise each time: the loss must fall."""
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.0)
    out = []
    for _ in range(steps):
        torch.manual_seed(5)  # the same noise
        loss, mse = train_step(net, opt, diffusion, batch, np.random.default_rng(7), settings)  # the same t
        assert loss.dim() == 0 and not loss.requires_grad
        out.append((float(loss), float(mse)))
    return out


@pytest.mark.parametrize("stage", ["base", "upsampler"])
def test_repeated_steps_on_one_batch_lower_its_loss(stage):
    net, diffusion, batch = _setup(stage)
    hist = _repeat(net, diffusion, batch, StepSettings(stage, amp=False, min_snr=5), steps=12)
    (l0, m0), (l1, m1) = hist[0], hist[-1]
    # a step that did not reach the optimizer, or a loss detached from the weights, leaves these level
    assert l1 < 0.7 * l0 and m1 < 0.7 * m0, hist


def test_frozen_parameters_stay_unchanged():
    net, diffusion, batch = _setup("base")
    frozen = [p for n, p in net.named_parameters() if n.startswith("token_embedding")]
    assert frozen
    for p in frozen:
        p.requires_grad_(False)
    trained = [p for p in net.parameters() if p.requires_grad]
    before, trained_before = [p.clone() for p in frozen], [p.clone() for p in trained]
    # 4 steps: GLIDE's zero-initialised output layers let gradients reach one block further back per step
    _repeat(net, diffusion, batch, StepSettings("base", amp=False), steps=4)
    assert all(torch.equal(a, b) for a, b in zip(before, frozen))
    changed = sum(not torch.equal(a, b) for a, b in zip(trained_before, trained))
    assert changed > len(trained) // 2, (changed, len(trained))


@pytest.mark.parametrize("stage", ["base", "upsampler"])
def test_channels_last_steps_match_the_default_memory_order(stage, tmp_path):
    # NHWC is a memory layout only: the loss and the updated weights must be NCHW's to float rounding
    runs = []
    for channels_last in (False, True):
        net, diffusion, batch = _setup(stage)
        ema = copy.deepcopy(net)
        model = for_speed(net, ema, channels_last, compile_net=False)
        if channels_last:
            conv = next(p for p in net.parameters() if p.dim() == 4)
            assert conv.is_contiguous(memory_format=torch.channels_last) and not conv.is_contiguous()
        hist = _repeat(model, diffusion, batch, StepSettings(stage, amp=False, channels_last=channels_last), steps=3)
        runs.append((hist, [p.detach().clone() for p in net.parameters()]))
    (h0, w0), (h1, w1) = runs
    assert np.allclose(h0, h1, rtol=1e-4), (h0, h1)
    # Adam moves each weight by about lr (2e-3) a step whatever the gradient's size, so rounding in a
    # near-zero gradient can show as 1e-4; a layout mix-up would move weights by whole steps
    assert max(float((a - b).abs().max()) for a, b in zip(w0, w1)) < 2e-4
    # checkpoints keep the default order, whatever the run trained in
    path = str(tmp_path / "net.pt")
    cc = cascade("s", n_vocab=50)
    checkpoint.save(path, net, cc.base if stage == "base" else cc.upsampler, "s", [], ema=ema)
    saved = checkpoint.load_file(path)
    assert all(v.is_contiguous() for part in ("model", "ema") for v in saved[part].values())
    assert torch.equal(saved["model"][next(n for n, p in net.named_parameters() if p.dim() == 4)],
                       next(p for p in net.parameters() if p.dim() == 4).detach())
