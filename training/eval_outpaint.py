"""Outpainting (the engine's Expand) on validation images: keep a rectangle of each picture (an
outpainting frame as training draws them, from a fixed seed, so every checkpoint gets the same
ones), let the base fill the rest, and compare the filled pixels with the real ones.

    python3 -m training.eval_outpaint --checkpoint training/checkpoints/s-text2 --out docs/eval-outpaint.json

Reported per row (sampler:respacing:guidance[:threshold], with an empty prompt as Expand uses by
default, and with the picture's caption naming its background): PSNR of the filled pixels
against the real ones, the same for a plain fill with the kept picture's edge colour (what a
flat background continues as; emoji are drawn on one), and the share of images where the model
beats that plain fill.
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from . import checkpoint
from .data import EmojiData
from .eval import inpaint_seeds, parse_spec
from .masks import frame
from .nn.build import build_net
from .scorer import tokens_for

BACKGROUND_CAPTION = 2  # "<label>, <style> emoji, on a <colour> background"


def load_base(path, use_ema=True):
    """A base network from a training checkpoint file or a folder of its float16 copies."""
    if not os.path.isdir(path):
        return checkpoint.load_net(path, use_ema)
    ck = checkpoint.load_slim(path, "base")
    if ck is None:
        raise FileNotFoundError(f"{path}: no base.model.pt / base.ema.pt")
    cfg = checkpoint.config_from_dict(ck["config"])
    net = build_net(cfg)
    net.load_state_dict(ck["ema" if use_ema else "model"], strict=True)
    return net.eval(), cfg, ck


def frame_masks(n, size, seed=0):
    """[n, 1, S, S] keep-masks (1 = the kept picture), the same for a given seed."""
    rng = np.random.default_rng(seed)
    return torch.from_numpy(np.stack([frame(rng, size) for _ in range(n)])[:, None])


def edge_fill(images, keep):
    """The baseline: each filled pixel takes the median colour of the kept rectangle's outermost
    ring. images [B, 3, S, S], keep [B, 1, S, S] with one kept rectangle each."""
    out = images.clone()
    for b in range(images.shape[0]):
        ys, xs = torch.nonzero(keep[b, 0], as_tuple=True)
        y0, y1, x0, x1 = int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())
        ring = torch.ones(y1 - y0 + 1, x1 - x0 + 1, dtype=torch.bool)
        ring[1:-1, 1:-1] = False
        colour = images[b, :, y0:y1 + 1, x0:x1 + 1][:, ring].median(dim=1).values
        out[b] = torch.where(keep[b] > 0, images[b], colour[:, None, None])
    return out


def edge_extend(images, keep):
    """Each filled pixel takes the colour of the nearest pixel of the kept rectangle (its edges
    stretched outward, as Expand's start picture). images [B, 3, S, S], keep [B, 1, S, S]."""
    out = images.clone()
    S = images.shape[-1]
    for b in range(images.shape[0]):
        ys, xs = torch.nonzero(keep[b, 0], as_tuple=True)
        rows = torch.arange(S).clamp(int(ys.min()), int(ys.max()))
        cols = torch.arange(S).clamp(int(xs.min()), int(xs.max()))
        out[b] = images[b][:, rows][:, :, cols]
    return out


STARTS = {"edges": edge_extend, "edge-colour": edge_fill}


def psnr_filled(pred, real, keep):
    """Per image PSNR (dB, images in [-1, 1] read as [0, 1]) over the filled pixels (keep == 0)."""
    fill = 1 - keep
    se = ((pred - real) / 2) ** 2 * fill
    mse = se.sum(dim=(1, 2, 3)) / (3 * fill.sum(dim=(1, 2, 3))).clamp(min=1)
    return 10 * torch.log10(1 / mse.clamp(min=1e-10))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Outpainting on validation images: fill a frame around a kept picture.")
    ap.add_argument("--checkpoint", default="training/checkpoints/s-text2",
                    help="a base checkpoint file, or a folder with its float16 copies")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--images", type=int, default=192)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--configs", default="dpmpp2m:ddim20:5:static")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--weights", choices=["ema", "raw"], default="ema")
    ap.add_argument("--out", default="docs/eval-outpaint.json")
    ap.add_argument("--start", choices=sorted(STARTS), default=None,
                    help="start the fill from a picture (img2img at --strength): the kept rectangle's edges "
                         "stretched outward, or its edge colour")
    ap.add_argument("--strength", type=float, default=1.0)
    ap.add_argument("--prompts", default="empty,caption")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    net, cfg, ck = load_base(a.checkpoint, a.weights == "ema")
    vocab, S = ck["vocab"], cfg.image_size
    val = EmojiData(a.data, "val")
    idx = np.sort(np.random.default_rng(0).choice(val.index, size=min(a.images, len(val.index)), replace=False))
    real = torch.from_numpy(val.batch_images(idx, S))
    keep = frame_masks(len(idx), S)
    plain = psnr_filled(edge_fill(real, keep), real, keep)
    start = STARTS[a.start](real, keep) if a.start else None
    res = {"checkpoint": a.checkpoint, **checkpoint.provenance(ck), "weights": a.weights, "images": len(idx),
           "seeds": a.seeds, "kept_share": float(keep.mean()), "psnr_edge_fill": float(plain.mean()),
           "start": a.start, "strength": a.strength, "rows": []}
    if start is not None:
        res["psnr_start"] = float(psnr_filled(start, real, keep).mean())
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}), flush=True)
    caption_t, caption_m = tokens_for(val, idx, vocab, cfg.text_ctx, variant=BACKGROUND_CAPTION)
    empty_t = torch.full_like(caption_t, vocab.index(50256))
    empty_m = torch.zeros_like(caption_m)
    for spec in filter(None, a.configs.split(",")):
        sampler, respacing, g, th = parse_spec(spec)
        prompts = {"empty": (empty_t, empty_m), "caption": (caption_t, caption_m)}
        for prompt in a.prompts.split(","):
            toks, masks = prompts[prompt]
            t0 = time.time()
            outs = inpaint_seeds(net, cfg, toks, masks, empty_t, empty_m, (sampler, respacing, g, th), real, keep,
                                 a.seeds, first_seed=200, start=start, strength=a.strength)
            p = torch.stack([psnr_filled(out, real, keep) for out in outs])
            row = {"sampler": sampler, "respacing": respacing, "guidance": g, "threshold": th, "prompt": prompt,
                   "psnr": float(p.mean()), "beats_edge_fill": float((p > plain).float().mean()),
                   "seconds": round(time.time() - t0, 1)}
            print(json.dumps(row), flush=True)
            res["rows"].append(row)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
