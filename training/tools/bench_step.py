"""Time one training step of the base on synthetic batches, without the data pipeline.

Tells whether a GPU run is bound by the network (compare with train.py's images/s) and how
the step time scales with the batch size. Prints one JSON line per (batch, cudnn.benchmark).
    PYTHONPATH=. python3 training/tools/bench_step.py --batches 512,1024,2048 --config s
"""
import argparse
import json
import time

import torch

from training.configs import cascade
from training.diffusion.gaussian import Diffusion
from training.diffusion.losses import hybrid_loss, min_snr_weight
from training.nn.build import build_net


def step_seconds(net, opt, diffusion, B, S, ctx, dev, steps, amp):
    x0 = torch.rand(B, 3, S, S, device=dev) * 2 - 1
    tokens = torch.randint(1, 4000, (B, ctx), device=dev)  # any ids below the vocabulary size: timing only
    tmask = torch.ones(B, ctx, device=dev)
    mask = (torch.rand(B, 1, S, S, device=dev) > 0.5).float()

    def one():
        t = torch.randint(0, diffusion.num_timesteps, (B,), device=dev)
        noise = torch.randn_like(x0)
        x_t = diffusion.q_sample(x0, t, noise)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
            out = net(x_t, t.float(), tokens, tmask, inpaint_image=x0, inpaint_mask=mask)
        loss, _, _ = hybrid_loss(diffusion, out.float(), x0, x_t, t, noise, mse_weight=min_snr_weight(diffusion, t, 5))
        opt.zero_grad(set_to_none=True)
        loss.mean().backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        one()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.time()
    for _ in range(steps):
        one()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return (time.time() - t0) / steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="s")
    ap.add_argument("--batches", default="512")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = ap.parse_args()
    dev = torch.device(a.device)
    cfg = cascade(a.config, n_vocab=4858).base  # the emoji dataset's vocabulary (4,857 tokens + padding)
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps)
    for bench in ([False, True] if dev.type == "cuda" else [False]):
        torch.backends.cudnn.benchmark = bench
        for B in [int(b) for b in a.batches.split(",")]:
            net = build_net(cfg).to(dev).train()
            opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
            s = step_seconds(net, opt, diffusion, B, cfg.image_size, cfg.text_ctx, dev, a.steps, dev.type == "cuda")
            print(json.dumps({"batch": B, "cudnn_benchmark": bench, "ms_per_step": round(s * 1000, 1),
                              "img_per_s": round(B / s)}), flush=True)


if __name__ == "__main__":
    main()
