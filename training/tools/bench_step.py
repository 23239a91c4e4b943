"""Time one training step of the base on synthetic batches, without the data pipeline.

Tells whether a GPU run is bound by the network (compare with train.py's images/s), how
the step time scales with the batch size, and what train.py's --channels-last and --compile
buy. Prints one JSON line per (variant, batch, cudnn.benchmark).
    PYTHONPATH=. python3 training/tools/bench_step.py --batches 512,1024,2048 --config s
    PYTHONPATH=. python3 training/tools/bench_step.py --variants plain,channels_last,compile,channels_last+compile
"""
import argparse
import copy
import json
import time

import numpy as np
import torch

from training.configs import cascade
from training.diffusion.gaussian import Diffusion
from training.nn.build import build_net
from training.step import StepSettings, for_speed, train_step


def step_seconds(net, opt, diffusion, B, S, ctx, dev, steps, amp, channels_last=False):
    """Seconds per training step (train.step.train_step, the one train.py runs) on one fixed
    synthetic batch with Min-SNR 5 and half the pixels masked, after 3 warm-up steps (which
    also absorb a compile)."""
    batch = {
        "x0": torch.rand(B, 3, S, S, device=dev) * 2 - 1,
        # any ids below the vocabulary size: timing only
        "tokens": torch.randint(1, 4000, (B, ctx), device=dev),
        "token_mask": torch.ones(B, ctx, device=dev),
        "inpaint_mask": (torch.rand(B, 1, S, S, device=dev) > 0.5).float(),
    }
    settings = StepSettings("base", amp, min_snr=5, channels_last=channels_last)
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
    ap.add_argument("--variants", default="plain",
                    help="comma-separated: plain, channels_last, compile, channels_last+compile")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = ap.parse_args()
    dev = torch.device(a.device)
    cfg = cascade(a.config, n_vocab=4858).base  # the emoji dataset's vocabulary (4,857 tokens + padding)
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps)
    variants = a.variants.split(",")
    for v in variants:
        if not set(v.split("+")) <= {"plain", "channels_last", "compile"}:
            raise SystemExit(f"unknown variant {v!r}")
    for v in variants:
        cl, comp = "channels_last" in v, "compile" in v
        for bench in ([False, True] if dev.type == "cuda" else [False]):
            torch.backends.cudnn.benchmark = bench
            for B in [int(b) for b in a.batches.split(",")]:
                net = build_net(cfg).to(dev).train()
                opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
                model = for_speed(net, copy.deepcopy(net), cl, comp)
                t0 = time.time()
                s = step_seconds(model, opt, diffusion, B, cfg.image_size, cfg.text_ctx, dev, a.steps,
                                 dev.type == "cuda", channels_last=cl)
                print(json.dumps({"variant": v, "batch": B, "cudnn_benchmark": bench, "ms_per_step": round(s * 1000, 1),
                                  "img_per_s": round(B / s), "total_s": round(time.time() - t0, 1)}), flush=True)

if __name__ == "__main__":
    main()
