"""Weight-space blends of two checkpoints of one network (WiSE-FT, Wortsman et al. 2022).

A fine-tuned network and the network it was tuned from lie in one basin of the loss: the
straight line between their weights often keeps most of what the tuning taught while
getting back much of what it cost elsewhere. Here the tuning is the sheet focus (a share
of every batch on a few subjects), which taught rockets and rainbows and cost the other
subjects top-5 points (docs/training.md, issue 5). A blend costs no training, only evals.

    out = (1 - alpha) * start + alpha * tuned     (every floating-point tensor, EMA and raw)

A layer-wise blend gives some tensors their own alpha (`--alpha-for REGEX=ALPHA`, the first
rule whose pattern a tensor name contains wins): e.g. the attention layers at 1 and the rest at
0.5, to ask which layers hold what the tuning taught and which hold what it cost.

Integer tensors (none in our nets today) and the metadata come from the tuned checkpoint;
the two must share config, vocabulary and tensor names, or the blend is refused."""
import argparse
import os
import re

import torch

from .checkpoint import load_file, load_slim, slim

PARTS = ("model", "ema")


def load_any(path, stage="base"):
    """A full checkpoint file, or the float16 copy in a folder (train.py's --resume-slim form)."""
    if os.path.isdir(path):
        ck = load_slim(path, stage)
        if ck is None:
            raise FileNotFoundError(f"{path} holds no {stage}.model.pt / {stage}.ema.pt")
        return ck
    return load_file(path)


def _check_alpha(alpha):
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha {alpha} is outside 0..1: a blend stays between its two checkpoints")


def parse_rule(text):
    """"REGEX=ALPHA" -> (compiled pattern, alpha); the pattern is searched for in a tensor's name."""
    pattern, sep, value = text.rpartition("=")
    if not sep or not pattern:
        raise ValueError(f"rule {text!r}: expected REGEX=ALPHA, e.g. 'encoder_kv|qkv|proj_out=1'")
    try:
        alpha = float(value)
    except ValueError:
        raise ValueError(f"rule {text!r}: {value!r} is not a number") from None
    _check_alpha(alpha)
    return re.compile(pattern), alpha


def alpha_of(name, alpha, rules):
    """The alpha of one tensor: the first rule whose pattern its name contains, else `alpha`."""
    return next((a for pattern, a in rules if pattern.search(name)), alpha)


def blend(start, tuned, alpha, rules=()):
    """The checkpoint dict (float32, no optimizer) at `alpha` of the way from `start` to `tuned`;
    `rules` ((pattern, alpha) pairs, parse_rule) give matching tensors their own alpha."""
    _check_alpha(alpha)
    for _, a in rules:
        _check_alpha(a)
    if start["config"] != tuned["config"]:
        raise ValueError("the two checkpoints have different network configs; only one network's "
                         "checkpoints can be blended")
    if start["vocab"] != tuned["vocab"]:
        raise ValueError("the two checkpoints have different vocabularies")
    out = {k: tuned.get(k) for k in ("cascade", "config", "vocab", "step", "extra")}
    record = {"alpha": alpha, "start_step": start["step"], "tuned_step": tuned["step"]}
    if rules:
        record["rules"] = [[pattern.pattern, a] for pattern, a in rules]
    out["extra"] = {**(tuned.get("extra") or {}), "blend": record}
    # every rule must name some tensor: a typo in a pattern would silently blend at `alpha`
    for pattern, _ in rules:
        if not any(pattern.search(k) for k in start["ema"]):
            raise ValueError(f"rule {pattern.pattern!r} matches no tensor of the network")
    for part in PARTS:
        a, b = start[part], tuned[part]
        if a is None or b is None:
            raise ValueError(f"a checkpoint lacks its {part} weights")
        if a.keys() != b.keys():
            missing = sorted(set(a) ^ set(b))[:3]
            raise ValueError(f"the {part} weights name different tensors (e.g. {', '.join(missing)})")
        mixed = {}
        for k, va in a.items():
            vb = b[k]
            if va.shape != vb.shape:
                raise ValueError(f"{part}.{k}: shapes {tuple(va.shape)} and {tuple(vb.shape)} differ")
            if va.is_floating_point():
                mixed[k] = torch.lerp(va.float(), vb.float(), alpha_of(k, alpha, rules))
            else:
                mixed[k] = vb.clone()
        out[part] = mixed
    out["opt"] = None
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Blend two checkpoints of one network in weight space "
                                             "(WiSE-FT): (1 - alpha) * start + alpha * tuned.")
    ap.add_argument("start", help="the checkpoint tuned from (a full .pt, or a folder of float16 copies)")
    ap.add_argument("tuned", help="the tuned checkpoint (same forms)")
    ap.add_argument("--alpha", type=float, required=True, help="0 = start, 1 = tuned")
    ap.add_argument("--alpha-for", action="append", default=[], metavar="REGEX=ALPHA",
                    help="tensors whose name contains REGEX get this alpha instead (repeatable; the "
                         "first matching rule wins), e.g. 'encoder_kv|qkv|proj_out=1'")
    ap.add_argument("--stage", default="base", choices=["base", "upsampler"])
    ap.add_argument("--out", required=True, help="the full checkpoint to write (e.g. checkpoints/blend/base.pt)")
    ap.add_argument("--slim", metavar="DIR", help="also write the committable float16 copy here")
    a = ap.parse_args(argv)
    rules = [parse_rule(r) for r in a.alpha_for]
    ck = blend(load_any(a.start, a.stage), load_any(a.tuned, a.stage), a.alpha, rules)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.save(ck, a.out)
    print(f"{a.out}: alpha {a.alpha} between steps {ck['extra']['blend']['start_step']} and "
          f"{ck['extra']['blend']['tuned_step']}"
          + "".join(f"; {pattern.pattern} at {alpha}" for pattern, alpha in rules))
    if a.slim:
        for w in slim(a.out, a.slim):
            print(f"{w}: {os.path.getsize(w) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
