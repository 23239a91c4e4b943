"""Checkpoints: one file per network with its config, compact vocabulary and training state."""
import os

import torch

from .configs import NetConfig, cascade
from .nn.build import build_net


def load_file(path):
    """One of our own checkpoint files, as saved (on the CPU).

    PyTorch 2.6 and later default to weights_only=True, and Debian's 1.13 has a weights-only reader
    that cannot read floats (our files hold the config's floats): saying weights_only=False gives
    the same result on both. Only load files this project wrote."""
    return torch.load(path, map_location="cpu", weights_only=False)


def _weights(m):
    # in the default memory order, whatever the run trained in (train.py --channels-last), so that
    # every reader of a checkpoint sees the same layout
    return {k: v.contiguous() for k, v in m.state_dict().items()}


def save(path, net, cfg: NetConfig, cascade_name, vocab, ema=None, opt=None, step=0, extra=None):
    tmp = path + ".tmp"
    torch.save({"cascade": cascade_name, "config": cfg.to_dict(), "vocab": vocab, "step": step,
                "model": _weights(net), "ema": _weights(ema) if ema is not None else None,
                "opt": opt.state_dict() if opt is not None else None, "extra": extra or {}}, tmp)
    os.replace(tmp, path)  # never leave a half-written checkpoint behind


def config_from_dict(d):
    d = dict(d)
    for k in ("channel_mult", "attention_ds"):
        d[k] = tuple(d[k])
    return NetConfig(**d)


def load_net(path, use_ema=True):
    ck = load_file(path)
    cfg = config_from_dict(ck["config"])
    net = build_net(cfg)
    state = ck["ema"] if use_ema and ck.get("ema") else ck["model"]
    net.load_state_dict(state, strict=True)
    return net.eval(), cfg, ck


def provenance(ck):
    """What an eval report says about the checkpoint it measured: its step, and for a weight-space
    blend (training/blend.py) the alpha and the two steps it lies between (the step alone would
    name the tuned checkpoint)."""
    out = {"step": int(ck.get("step", 0))}
    blend = (ck.get("extra") or {}).get("blend")
    if blend:
        out["blend"] = blend
    return out


def load_cascade(base_path, up_path=None, base_ema=True, up_ema=True):
    base, bcfg, bck = load_net(base_path, base_ema)
    up, ucfg, _ = load_net(up_path or base_path.replace("base", "upsampler"), up_ema)
    cc = cascade(bck["cascade"], bcfg.n_vocab)
    cc = type(cc)(name=cc.name, base=bcfg, upsampler=ucfg)
    return base, up, cc, bck["vocab"], bck.get("extra", {})


SLIM_PARTS = ("model", "ema")


def slim(path, out_dir):
    """A committable copy of a training checkpoint: one file each for the weights and their EMA,
    in float16, without the optimizer state (each file stays far below 16 MiB for config s).

    Resuming from it (train.py --resume-slim) restarts Adam's moments; the weights lose only
    float16 rounding.
    """
    ck = load_file(path)
    stage = os.path.splitext(os.path.basename(path))[0]
    meta = {k: ck.get(k) for k in ("cascade", "config", "vocab", "step", "extra")}
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for part in SLIM_PARTS:
        state = {k: v.half() if v.is_floating_point() else v for k, v in ck[part].items()}
        out = os.path.join(out_dir, f"{stage}.{part}.pt")
        torch.save({**meta, "state": state}, out)
        written.append(out)
    return written


def load_slim(directory, stage):
    """A checkpoint dict (float32 model and EMA, no optimizer) from slim files, or None."""
    paths = [os.path.join(directory, f"{stage}.{part}.pt") for part in SLIM_PARTS]
    if not all(os.path.exists(p) for p in paths):
        return None
    parts = [load_file(p) for p in paths]
    ck = {k: parts[0][k] for k in ("cascade", "config", "vocab", "step", "extra")}
    for part, loaded in zip(SLIM_PARTS, parts):
        ck[part] = {k: v.float() if v.is_floating_point() else v for k, v in loaded["state"].items()}
    ck["opt"] = None
    return ck


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Write the committable float16 copy of training checkpoints, "
                                             "or (--expand) full checkpoints from such copies.")
    ap.add_argument("checkpoints", nargs="*", help="full checkpoints, e.g. checkpoints/s/base.pt")
    ap.add_argument("--out", required=True, help="folder for <stage>.model.pt and <stage>.ema.pt (with --expand: "
                                                 "for <stage>.pt)")
    ap.add_argument("--expand", metavar="SLIM_DIR", help="write full checkpoints (float32, no optimizer state) of "
                                                        "every stage that has a float16 copy in SLIM_DIR")
    a = ap.parse_args()
    if a.expand:
        os.makedirs(a.out, exist_ok=True)
        for stage in ("base", "upsampler"):
            ck = load_slim(a.expand, stage)
            if ck is not None:
                torch.save(ck, os.path.join(a.out, f"{stage}.pt"))
                print(f"{os.path.join(a.out, stage + '.pt')}: step {ck['step']}")
    for c in a.checkpoints:
        for w in slim(c, a.out):
            print(f"{w}: {os.path.getsize(w) / 2**20:.1f} MiB")
