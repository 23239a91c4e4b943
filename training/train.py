"""Train one network of a cascade, resumable.

    python3 -m training.train --stage base --config s --data data/emoji --out checkpoints/s --minutes 60
    python3 -m training.train --stage upsampler --config s --data data/emoji --out checkpoints/s --minutes 60

Checkpoints (`<out>/<stage>.pt`, model + EMA + optimizer) are written every --save-minutes and
at the end; running the same command again resumes from them. Base: caption dropout (empty
prompt) for classifier-free guidance, random inpainting masks (half the batch plain by default)
and, with --insert-fraction, object-insertion examples (composite.py).
Upsampler: Imagen's conditioning augmentation, aug_level ~ U(0, --max-aug).
"""
import argparse
import copy
import dataclasses
import json
import os
import time

import numpy as np
import torch

from . import checkpoint
from .batches import BaseBatches, UpsamplerBatches, batch_loader
from .composite import Inserter
from .configs import cascade
from .data import EmojiData, read_labels
from .diffusion.gaussian import Diffusion
from .lr import cooldown_lr, warmup_factor
from .nn.build import build_net, count_params
from .step import StepSettings, for_speed, train_step
from .text_init import TEXT_PARAMS, init_text_from_scorer


def share_range(text):
    """"LO,HI" -> (lo, hi): two shares with 0 <= lo <= hi <= 1."""
    try:
        lo, hi = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO,HI (two numbers), got {text!r}") from None
    if not 0 <= lo <= hi <= 1:
        raise argparse.ArgumentTypeError(f"expected 0 <= LO <= HI <= 1, got {text!r}")
    return lo, hi


def mixed_precision(choice, dev):
    """'bf16' when bfloat16 autocast should run, else None.

    On the 2-core AVX-512 training machine bf16 autocast trained the `s` base at 45-47 images/s
    sustained instead of 32-34 (a 1-thread micro-benchmark: 29 vs 16), with the predicted noise
    0.4 % away from float32's and the gradient's cosine to float32's 0.999996; weights, optimizer,
    EMA and loss stay float32, so checkpoints are unchanged. Without native bfloat16 (older CPUs)
    autocast is emulated and slower."""
    if choice == "off":
        return None
    if choice == "bf16":
        return "bf16"
    if dev.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else None
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return None
    return "bf16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else None


def main(argv=None):
    ap = argparse.ArgumentParser(description="Train a base or upsampler network.")
    ap.add_argument("--stage", choices=["base", "upsampler"], required=True)
    ap.add_argument("--config", default="s")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--out", default="checkpoints/s")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--save-minutes", type=float, default=5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--warmup-steps", type=int, default=0,
                    help="raise the rate linearly over this many steps at the start of the run (for runs whose "
                         "optimizer restarts, e.g. from the float16 copy at a GPU's large batch; see lr.warmup_factor)")
    ap.add_argument("--lr-end", type=float, default=None,
                    help="cooldown: lower the rate linearly from --lr to this over the run's --minutes "
                         "(default: constant --lr)")
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--caption-dropout", type=float, default=0.1)
    ap.add_argument("--inpaint-fraction", type=float, default=0.5,
                    help="base: share of each batch trained with an inpainting mask (the rest: plain generation, "
                         "where the caption is the only guide)")
    ap.add_argument("--insert-fraction", type=float, default=0.0,
                    help="base: share of each batch that is an object-insertion example (composite.py): the "
                         "captioned emoji pasted into another image with the hole over it; of the rest, "
                         "--inpaint-fraction get random masks")
    ap.add_argument("--insert-scale", type=share_range, default=(0.45, 0.9),
                    help="base: the pasted object's side as a share of the input, LO,HI (the engine's 0.75 context "
                         "makes a box selection 0.4 of it; docs/training.md, What to try next 7)")
    ap.add_argument("--insert-hole-margin", type=share_range, default=(0.0, 0.0),
                    help="base: how far the insertion hole reaches past the object on each side, a share of its side, "
                         "LO,HI (0: the object fills the hole)")
    ap.add_argument("--max-aug", type=float, default=0.5)
    ap.add_argument("--crop", type=int, default=0, help="upsampler: train on random crops of this size (high res)")
    ap.add_argument("--extra-data", action="append", default=[],
                    help="upsampler: another data set in the same layout (e.g. data/deadleaves) for its "
                         "--extra-fraction of each batch; repeat both for several, paired in order")
    ap.add_argument("--extra-fraction", action="append", type=float, default=[])
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--workers", type=int, default=0,
                    help="build batches in this many worker processes (on a GPU; 0: inline, as on the CPU)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--amp", choices=["auto", "bf16", "off"], default="auto",
                    help="bfloat16 autocast for the forward pass (weights, optimizer, EMA and loss stay float32); "
                         "auto: on where the device has bfloat16 arithmetic (see mixed_precision)")
    ap.add_argument("--channels-last", action="store_true",
                    help="image tensors in NHWC memory order (for cuDNN; see step.for_speed)")
    ap.add_argument("--compile", action="store_true",
                    help="torch.compile the network's forward (PyTorch 2.0+; see step.for_speed)")
    ap.add_argument("--xf-pool", choices=["last", "mean"], default=None,
                    help="override the config's pooled text vector (see NetConfig.xf_pool)")
    ap.add_argument("--resume-slim", default=None,
                    help="when --out has no checkpoint, resume from the committed float16 copy in this folder "
                         "(default: training/checkpoints/<config>)")
    ap.add_argument("--text-init", default=None, metavar="SCORER_PT",
                    help="base only: copy the scorer's text encoder into the network (and its EMA) before training, "
                         "also over a resumed one (see training/text_init.py)")
    ap.add_argument("--balance-concepts", type=float, default=0.0, metavar="POWER",
                    help="base only: draw each image with weight 1 / (images of its concept) ** POWER; "
                         "0 = every image alike, 1 = every concept alike (see EmojiData.concept_weights)")
    ap.add_argument("--focus-subjects", default=None, metavar="FILE",
                    help="base only: labels (one per line) whose concepts get --focus-share of the draws, "
                         "e.g. training/everyday_subjects.txt (see EmojiData.focus_weights)")
    ap.add_argument("--focus-share", type=float, default=0.0, metavar="SHARE",
                    help="base only: the share of draws for --focus-subjects (0 < SHARE < 1)")
    ap.add_argument("--min-snr", type=float, default=0.0, metavar="GAMMA",
                    help="weight each sample's noise MSE by min(SNR, GAMMA) / SNR (Min-SNR weighting; 0 = off, "
                         "5 is the paper's choice); the logged mse stays unweighted (see losses.min_snr_weight)")
    ap.add_argument("--freeze-text", action="store_true", help="base only: do not train the text encoder")
    a = ap.parse_args(argv)
    if len(a.extra_data) != len(a.extra_fraction):
        ap.error(f"{len(a.extra_data)} --extra-data but {len(a.extra_fraction)} --extra-fraction: give one of each per data set")
    if bool(a.focus_subjects) != (a.focus_share > 0):
        ap.error("--focus-subjects and --focus-share go together")
    focus = read_labels(a.focus_subjects) if a.focus_subjects else None
    if a.threads:
        torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, f"{a.stage}.pt")
    data = EmojiData(a.data, "train")
    resume = checkpoint.load_file(path) if os.path.exists(path) else None
    if resume is None:
        slim_dir = a.resume_slim or os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoints", a.config)
        resume = checkpoint.load_slim(slim_dir, a.stage)
        if resume is not None:
            print(f"no {path}: resuming from the float16 copy in {slim_dir} (optimizer state restarts)")
    vocab = resume["vocab"] if resume else data.vocab()
    cc = cascade(a.config, n_vocab=len(vocab) + 1)
    cfg = cc.base if a.stage == "base" else cc.upsampler
    if cfg.xf_width:  # a resumed network keeps the pooling it was trained with unless told otherwise
        pool = a.xf_pool or ((resume.get("config") or {}).get("xf_pool", "last") if resume else cfg.xf_pool)
        cfg = dataclasses.replace(cfg, xf_pool=pool)
    dev = torch.device(a.device)
    net = build_net(cfg).to(dev)
    ema = copy.deepcopy(net).eval()
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=0.0)
    step = 0
    if resume:
        net.load_state_dict(resume["model"])
        ema.load_state_dict(resume["ema"])
        if resume.get("opt"):
            opt.load_state_dict(resume["opt"])
        step = resume["step"]
        print(f"resumed {path} at step {step}")
        was = (resume.get("config") or {}).get("norm_groups", 32)
        if was != cfg.norm_groups:  # same parameters, different normalisation: the run adapts them
            print(f"note: the checkpoint was trained with norm_groups={was}; continuing with {cfg.norm_groups}")
    if a.text_init and a.stage == "base":
        from .scorer import load as load_scorer

        scorer, sck = load_scorer(a.text_init)
        if sck["vocab"] != vocab:
            raise SystemExit(f"--text-init {a.text_init}: its vocabulary differs from the network's")
        for m in (net, ema):
            names = init_text_from_scorer(m, scorer, vocab)
        print(f"text encoder from {a.text_init}: {len(names)} tensors", flush=True)
    if a.freeze_text and a.stage == "base":
        for n, p in net.named_parameters():
            if n.startswith(TEXT_PARAMS):
                p.requires_grad_(False)
    for p in ema.parameters():
        p.requires_grad_(False)
    amp = mixed_precision(a.amp, dev)
    settings = StepSettings(a.stage, amp is not None, a.min_snr, a.max_aug, channels_last=a.channels_last)
    model = for_speed(net, ema, a.channels_last, a.compile)
    diffusion = Diffusion.from_schedule(cfg.schedule, cfg.diffusion_steps)
    rng = np.random.default_rng(a.seed + step)
    inserter = (Inserter(data, a.insert_scale, a.insert_hole_margin)
                if a.stage == "base" and a.insert_fraction > 0 else None)
    torch.manual_seed(a.seed + step)
    S = cfg.image_size
    print(f"{a.stage} {a.config}: {count_params(net):,} params, {len(data.index)} train images, vocab {len(vocab)}, "
          f"{S}px, device {dev}, threads {torch.get_num_threads()}, autocast {amp or 'off'}"
          f"{', channels-last' if a.channels_last else ''}{', compiled' if a.compile else ''}", flush=True)
    log = open(os.path.join(a.out, f"{a.stage}.log.jsonl"), "a")
    t0, seen, losses = time.time(), 0, []  # seen // a.batch: the steps of this run
    t_end = t0 + a.minutes * 60
    t_save = t0 + a.save_minutes * 60
    net.train()
    ema_params, net_params = list(ema.parameters()), [p.detach() for p in net.parameters()]
    if a.stage == "base":
        make = BaseBatches(data, vocab, S, cfg.text_ctx, a.batch, a.inpaint_fraction, a.insert_fraction,
                           a.caption_dropout, inserter,
                           p=data.draw_weights(a.balance_concepts, focus, a.focus_share))
    else:
        extras = [(EmojiData(d, "train"), f) for d, f in zip(a.extra_data, a.extra_fraction)]
        make = UpsamplerBatches(data, S, cfg.low_res_size, a.batch, a.crop, extras)
    if a.workers:  # batches from worker processes (a GPU outruns one core's masks and insertions)
        loader = batch_loader(make, a.seed + step, a.workers, pin_memory=dev.type == "cuda")
        next_batch = lambda: next(loader)  # noqa: E731
    else:
        next_batch = lambda: make(rng)  # noqa: E731
    while True:
        # set every step, which also replaces the rate a resumed optimizer state brought with it
        lr = cooldown_lr(a.lr, a.lr_end, (time.time() - t0) / (a.minutes * 60))
        lr *= warmup_factor(seen // a.batch, a.warmup_steps)
        for g in opt.param_groups:
            g["lr"] = lr
        batch = {k: v.to(dev, non_blocking=True) for k, v in next_batch().items()}
        loss_mean, mse_mean = train_step(model, opt, diffusion, batch, rng, settings)
        with torch.no_grad():  # one fused update over all tensors (per-tensor calls cost GPU launches)
            torch._foreach_mul_(ema_params, a.ema)
            torch._foreach_add_(ema_params, net_params, alpha=1 - a.ema)
        step += 1
        seen += a.batch
        losses.append(torch.stack([loss_mean, mse_mean]))  # no per-step GPU sync
        now = time.time()
        if step % 50 == 0 or seen <= 3 * a.batch:
            l, m_ = torch.stack(losses).mean(0).tolist()
            rec = {"step": step, "loss": round(float(l), 5), "mse": round(float(m_), 5),
                   "img_per_s": round(seen / (now - t0), 1), "lr": float(f"{lr:.3g}"), "time": int(now)}
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            losses = []
        if now >= t_save or now >= t_end:
            checkpoint.save(path, net, cfg, a.config, vocab, ema=ema, opt=opt, step=step)
            t_save = now + a.save_minutes * 60
            if now >= t_end:
                print(f"saved {path} at step {step}; stopping", flush=True)
                return


if __name__ == "__main__":
    main()
