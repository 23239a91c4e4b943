"""One optimisation step of a base or upsampler network, shared by train.py and the step bench.

Kept apart from the training loop so that tools/bench_step.py times exactly the step that
training runs (noising, autocast forward, hybrid loss with optional Min-SNR weighting,
backward, gradient clipping, AdamW) rather than a copy of it.
"""
from dataclasses import dataclass

import torch

from .diffusion.losses import hybrid_loss, min_snr_weight
from .diffusion.schedule import aug_alpha_bar


@dataclass
class StepSettings:
    stage: str  # "base" or "upsampler"
    amp: bool  # bfloat16 autocast for the forward pass
    min_snr: float = 0.0  # Min-SNR gamma; 0 = plain MSE
    max_aug: float = 0.5  # upsampler: conditioning augmentation level ~ U(0, max_aug)
    clip: float = 1.0  # gradient norm clip
    channels_last: bool = False  # image tensors in NHWC memory order (see for_speed)


def for_speed(net, ema, channels_last, compile_net):
    """The module train_step should call, after the optional speed-ups for a GPU run.

    channels_last: the networks' and batches' image tensors in NHWC order, which cuDNN's
    bfloat16 convolutions prefer; outputs match NCHW's to float rounding (tests/test_step.py).
    compile_net: torch.compile (PyTorch 2.0+) of the network's forward, i.e. of the base; the
    upsampler's denoise() is not its forward and stays eager. Parameters are shared, so the
    optimizer, EMA and checkpoints keep using `net`. Both are off by default: time them with
    tools/bench_step.py first (a compile costs time up front)."""
    if channels_last:
        net.to(memory_format=torch.channels_last)
        ema.to(memory_format=torch.channels_last)  # the EMA update runs tensor by tensor over both
    if not compile_net:
        return net
    if not hasattr(torch, "compile"):
        raise SystemExit(f"--compile needs PyTorch 2.0 or later; this is {torch.__version__}")
    return torch.compile(net)


def _randn(like):
    """Standard normal noise shaped like `like`, drawn in logical (NCHW) order whatever its memory
    order: randn_like would fill NHWC memory in order, giving channels-last runs other draws."""
    return torch.randn(like.shape, dtype=like.dtype, device=like.device).contiguous(
        memory_format=torch.channels_last if like.dim() == 4 and not like.is_contiguous() else torch.contiguous_format)


def train_step(net, opt, diffusion, batch, rng, s: StepSettings):
    """Run one step on `batch` (tensors already on the network's device); returns the step's
    (loss, unweighted mse) as 0-d tensors, left on the device so that callers need not sync.

    `rng` (numpy Generator) draws the timesteps and, for the upsampler, the augmentation levels,
    in that order, so that a resumed run with the same seed sees the same draws."""
    if s.channels_last:
        batch = {k: v.contiguous(memory_format=torch.channels_last) if v.dim() == 4 else v for k, v in batch.items()}
    x0 = batch["x0"]
    dev = x0.device
    n = x0.shape[0]
    t = torch.from_numpy(rng.integers(0, diffusion.num_timesteps, size=n)).to(dev)
    noise = _randn(x0)
    x_t = diffusion.q_sample(x0, t, noise)
    # autocast lowers only matrix products and convolutions; the element-wise input preparation
    # below stays float32
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=s.amp):
        if s.stage == "base":
            out = net(x_t, t.float(), batch["tokens"], batch["token_mask"], inpaint_image=x0,
                      inpaint_mask=batch["inpaint_mask"])
        else:
            low = batch["low_res"]
            level = rng.uniform(0, s.max_aug, size=n)
            ab = torch.tensor([aug_alpha_bar(v) for v in level], dtype=torch.float32, device=dev)[:, None, None, None]
            low = ab.sqrt() * low + (1 - ab).sqrt() * _randn(low)
            out = net.denoise(x_t, t.float(), low_res=low,
                              aug_level=torch.tensor(level, dtype=torch.float32, device=dev))
    out = out.float()  # the hybrid loss (log-variances, KL terms) in float32
    weight = min_snr_weight(diffusion, t, s.min_snr) if s.min_snr else None
    loss, mse, _ = hybrid_loss(diffusion, out, x0, x_t, t, noise, mse_weight=weight)
    opt.zero_grad(set_to_none=True)
    loss_mean = loss.mean()
    loss_mean.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), s.clip)
    opt.step()
    return loss_mean.detach(), mse.mean().detach()
