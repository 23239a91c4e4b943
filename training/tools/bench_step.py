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


FLAGS = {"channels_last": "--channels-last", "compile": "--compile"}


def pick(rows, seconds):
    """The train.py flags of the variant that trains the most images in `seconds`: its images/s
    times what is left after its setup (a compile can cost more than it saves in a short run).
    Rows with errors never win, nor rows timed with cudnn.benchmark (train.py leaves it off);
    bench one batch size, the run's. With no usable row, no flags (the plain step)."""
    best, best_images = "plain", -1.0
    for r in rows:
        if "error" in r or r["cudnn_benchmark"]:
            continue
        images = r["img_per_s"] * max(0.0, seconds - r["setup_s"])
        if images > best_images:
            best, best_images = r["variant"], images
    return [FLAGS[part] for part in best.split("+") if part in FLAGS]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="s")
    ap.add_argument("--batches", default="512")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--variants", default="plain",
                    help="comma-separated: plain, channels_last, compile, channels_last+compile")
    ap.add_argument("--cudnn-benchmark", choices=["both", "off", "on"], default="both",
                    help="on CUDA: time with torch.backends.cudnn.benchmark off, on or both (train.py: off)")
    ap.add_argument("--pick-for-minutes", type=float, default=0,
                    help="last, print 'flags: ...': the train.py flags of the variant that trains the most "
                         "images in a run this long (see pick); gpu_session.sh SPEED=auto reads it")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = ap.parse_args()
    dev = torch.device(a.device)
    cfg = cascade(a.config, n_vocab=4858).base  # the emoji dataset's vocabulary (4,857 tokens + padding)
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps)
    variants = a.variants.split(",")
    for v in variants:
        if not set(v.split("+")) <= {"plain", "channels_last", "compile"}:
            raise SystemExit(f"unknown variant {v!r}")
    rows = []
    for v in variants:
        cl, comp = "channels_last" in v, "compile" in v
        benches = {"both": [False, True], "off": [False], "on": [True]}[a.cudnn_benchmark]
        for bench in (benches if dev.type == "cuda" else [False]):
            torch.backends.cudnn.benchmark = bench
            for B in [int(b) for b in a.batches.split(",")]:
                row = {"variant": v, "batch": B, "cudnn_benchmark": bench}
                net = build_net(cfg).to(dev).train()
                opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
                t0 = time.time()
                try:  # a variant this machine cannot run (no compiler for torch.compile, say) is a row, not the end
                    model = for_speed(net, copy.deepcopy(net), cl, comp)
                    s = step_seconds(model, opt, diffusion, B, cfg.image_size, cfg.text_ctx, dev, a.steps,
                                     dev.type == "cuda", channels_last=cl)
                except (Exception, SystemExit) as e:
                    rows.append({**row, "error": f"{type(e).__name__}: {e}"[:300]})
                    print(json.dumps(rows[-1]), flush=True)
                    continue
                # setup_s: what the variant costs before its timed steps (building, warm-up steps, a compile)
                rows.append({**row, "ms_per_step": round(s * 1000, 1), "img_per_s": round(B / s),
                             "setup_s": round(time.time() - t0 - a.steps * s, 1)})
                print(json.dumps(rows[-1]), flush=True)
    if a.pick_for_minutes:
        print("flags:", " ".join(pick(rows, a.pick_for_minutes * 60)), flush=True)


if __name__ == "__main__":
    main()
