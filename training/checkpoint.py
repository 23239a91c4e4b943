"""Checkpoints: one file per network with its config, compact vocabulary and training state."""
import os

import torch

from .configs import NetConfig, cascade
from .nn.build import build_net


def save(path, net, cfg: NetConfig, cascade_name, vocab, ema=None, opt=None, step=0, extra=None):
    tmp = path + ".tmp"
    torch.save({"cascade": cascade_name, "config": cfg.to_dict(), "vocab": vocab, "step": step,
                "model": net.state_dict(), "ema": ema.state_dict() if ema is not None else None,
                "opt": opt.state_dict() if opt is not None else None, "extra": extra or {}}, tmp)
    os.replace(tmp, path)  # never leave a half-written checkpoint behind


def config_from_dict(d):
    d = dict(d)
    for k in ("channel_mult", "attention_ds"):
        d[k] = tuple(d[k])
    return NetConfig(**d)


def load_net(path, use_ema=True):
    ck = torch.load(path, map_location="cpu")
    cfg = config_from_dict(ck["config"])
    net = build_net(cfg)
    state = ck["ema"] if use_ema and ck.get("ema") else ck["model"]
    net.load_state_dict(state, strict=True)
    return net.eval(), cfg, ck


def load_cascade(base_path, up_path=None, base_ema=True, up_ema=True):
    base, bcfg, bck = load_net(base_path, base_ema)
    up, ucfg, _ = load_net(up_path or base_path.replace("base", "upsampler"), up_ema)
    cc = cascade(bck["cascade"], bcfg.n_vocab)
    cc = type(cc)(name=cc.name, base=bcfg, upsampler=ucfg)
    return base, up, cc, bck["vocab"], bck.get("extra", {})
