"""A small CLIP-style scorer (Radford et al. 2021): image and caption encoders trained with a
symmetric contrastive loss on the training split only. Used for evaluation (R-precision,
Frechet distance of its embeddings) and shipped as the pack's optional reranker.

    python3 -m training.scorer --data data/emoji --out checkpoints/s/scorer.pt --minutes 8
"""
import argparse
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint
from .data import EmojiData
from .lr import cooldown_lr
from .nn.xf import LayerNorm, Transformer
from .tokens import pad_batch


class ImageEncoder(nn.Module):
    def __init__(self, dim=128, width=32):
        super().__init__()
        chans = [3, width, width * 2, width * 4, width * 8]
        layers = []
        for i in range(4):
            layers += [nn.Conv2d(chans[i], chans[i + 1], 3, stride=1 if i == 0 else 2, padding=1),
                       nn.GroupNorm(8, chans[i + 1]), nn.SiLU()]
        self.body = nn.Sequential(*layers)
        self.proj = nn.Linear(chans[-1], dim)

    def forward(self, x):
        return F.normalize(self.proj(self.body(x).mean(dim=(2, 3))), dim=-1)


class TextEncoder(nn.Module):
    def __init__(self, n_vocab, ctx, dim=128, width=128, layers=2):
        super().__init__()
        self.token_embedding = nn.Embedding(n_vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(ctx, width) * 0.01)
        self.transformer = Transformer(ctx, width, layers, max(1, width // 64))
        self.final_ln = LayerNorm(width)
        self.proj = nn.Linear(width, dim)

    def forward(self, tokens, mask):
        h = self.final_ln(self.transformer(self.token_embedding(tokens) + self.positional_embedding[None]))
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
        return F.normalize(self.proj(pooled), dim=-1)


class Scorer(nn.Module):
    def __init__(self, n_vocab, ctx=32, dim=128, image_size=32):
        super().__init__()
        self.image_size = image_size
        self.image = ImageEncoder(dim)
        self.text = TextEncoder(n_vocab, ctx, dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(10.0)))

    def forward(self, image, tokens, mask):
        """Cosine similarity of each image with its own caption: the reranker graph."""
        return (self.image(image) * self.text(tokens, mask)).sum(-1)


def tokens_for(data, idx, vocab, ctx, variant=None, rng=None):
    chosen = []
    for i in idx:
        v = data.records[i]["tokens"]
        chosen.append(v[variant if variant is not None else rng.integers(0, len(v))])
    toks, mask = pad_batch(chosen, ctx, vocab)
    return torch.from_numpy(toks), torch.from_numpy(mask)


def train(data_dir, out, vocab, minutes=8, batch=128, ctx=32, size=32, seed=0, threads=1,
          balance_concepts=0.0, lr=1e-3, lr_end=None):
    torch.set_num_threads(threads)
    data = EmojiData(data_dir, "train")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Scorer(len(vocab) + 1, ctx, image_size=size)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    p = data.draw_weights(balance_concepts)
    t0, step = time.time(), 0
    t_end = t0 + minutes * 60
    while time.time() < t_end:
        for g in opt.param_groups:
            g["lr"] = cooldown_lr(lr, lr_end, (time.time() - t0) / (minutes * 60))
        idx = rng.choice(data.index, size=batch, replace=False, p=p)
        img = torch.from_numpy(data.batch_images(idx, size))
        toks, mask = tokens_for(data, idx, vocab, ctx, rng=rng)
        logits = model.logit_scale.exp().clamp(max=100) * model.image(img) @ model.text(toks, mask).T
        # several records share one image (backgrounds) or one concept: mask exact duplicates of the caption
        target = torch.arange(batch)
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f"scorer step {step} loss {loss.item():.3f}", flush=True)
    torch.save({"model": model.state_dict(), "vocab": vocab, "ctx": ctx, "size": size, "steps": step}, out)
    return model


def load(path):
    ck = checkpoint.load_file(path)
    m = Scorer(len(ck["vocab"]) + 1, ck["ctx"], image_size=ck["size"])
    m.load_state_dict(ck["model"])
    return m.eval(), ck


def main(argv=None):
    ap = argparse.ArgumentParser(description="Train the CLIP-style scorer on the training split.")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--base-checkpoint", default="checkpoints/s/base.pt", help="vocabulary source")
    ap.add_argument("--out", default="checkpoints/s/scorer.pt")
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lr-end", type=float, default=None, help="lower the rate linearly to this over the run")
    ap.add_argument("--balance-concepts", type=float, default=0.0, metavar="POWER",
                    help="draw each image with weight 1 / (images of its concept) ** POWER (as train.py): at 1 "
                         "every concept alike, so single objects get as many contrastive steps as people and hands")
    ap.add_argument("--seed", type=int, default=0,
                    help="another seed gives an independent scorer (initialisation and batches), e.g. a judge "
                         "whose text encoder is not the one a --text-init base uses")
    a = ap.parse_args(argv)
    vocab = checkpoint.load_file(a.base_checkpoint)["vocab"]
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    train(a.data, a.out, vocab, a.minutes, batch=a.batch, seed=a.seed, threads=a.threads,
          balance_concepts=a.balance_concepts, lr=a.lr, lr_end=a.lr_end)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
