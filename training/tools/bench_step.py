"""Time one training step of the base on synthetic batches, without the data pipeline.

Tells whether a GPU run is bound by the network (compare with train.py's images/s) and how
the step time scales with the batch size. Prints one JSON line per (batch, cudnn.benchmark).
    PYTHONPATH=. python3 training/tools/bench_step.py --batches 512,1024,2048 --config s
"""
import argparse
import json
import time

import numpy as np
import torch

from training.configs import cascade
from training.diffusion.gaussian import Diffusion
from training.nn.build import build_net
from training.step import StepSettings, train_step


def step_seconds(net, opt, diffusion, B, S, ctx, dev, steps, amp):
    """Seconds per training step (train.step.train_step, the one train.py runs) on one fixed
    synthetic batch with Min-SNR 5 and half the pixels masked, after 3 warm-up steps."""
    batch = {
        "x0": torch.rand(B, 3, S, S, device=dev) * 2 - 1,
        # any ids below the vocabulary size: timing only
        "tokens": torch.randint(1, 4000, (B, ctx), device=dev),
        "token_mask": torch.ones(B, ctx, device=dev),
        "inpaint_mask": (torch.rand(B, 1, S, S, device=dev) > 0.5).float(),
    }
    settings = StepSettings("base", amp, min_snr=5)
    rng = np.random.default_rng(0)
    for _ in range(3):
        train_step(net, opt, diffusion, batch, rng, settings)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.time()
    for _ in range(steps):
        train_step(net, opt, diffusion, batch, rng, settings)
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
