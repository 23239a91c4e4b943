"""Training batches, built on the CPU from a numpy Generator.

One function per stage builds a whole batch. train.py calls it inline (the 2-core CPU run,
where the network is the bottleneck), or through `batch_loader`, which runs it in DataLoader
worker processes (`--workers N`) so that a GPU is not starved by the per-image Python work
(random masks, object insertion, caption choice).
"""
import numpy as np
import torch

from .masks import random_mask
from .tokens import pad_batch


def caption_batch(data, idx, vocab, ctx, rng, p_drop, object_only=()):
    """Tokens of one random caption variant per image (empty with probability p_drop); for the
    batch positions in object_only, only variants that do not name a background (the image was
    pasted onto another one)."""
    chosen = []
    for b, i in enumerate(idx):
        if rng.random() < p_drop:
            chosen.append([])  # empty caption: the unconditional model
            continue
        variants = data.records[i]["tokens"]
        if b in object_only:
            variants = [t for t, c in zip(variants, data.records[i]["captions"]) if "background" not in c]
        chosen.append(variants[rng.integers(0, len(variants))])
    toks, mask = pad_batch(chosen, ctx, vocab)
    return torch.from_numpy(toks), torch.from_numpy(mask)


class BaseBatches:
    """Base-stage batches: images, inpainting masks (random masks, object insertion, or the
    all-zero mask of plain generation) and caption tokens."""

    def __init__(self, data, vocab, size, ctx, batch, inpaint_fraction, insert_fraction, caption_dropout, inserter=None,
                 p=None):
        self.data, self.vocab, self.size, self.ctx, self.batch = data, vocab, size, ctx, batch
        self.p = p  # sampling probabilities over data.index (None: uniform; see EmojiData.concept_weights)
        self.inpaint_fraction, self.insert_fraction = inpaint_fraction, insert_fraction
        self.caption_dropout, self.inserter = caption_dropout, inserter

    def __call__(self, rng):
        S = self.size
        idx = rng.choice(self.data.index, size=self.batch, replace=False, p=self.p)
        x0 = torch.from_numpy(self.data.batch_images(idx, S))
        masks, inserted = [], set()
        for b, i in enumerate(idx):
            if self.inserter is not None and rng.random() < self.insert_fraction and i in self.inserter.white_of:
                x0[b], m_b = self.inserter.example(rng, i, S)
                inserted.add(b)
            else:
                m_b = random_mask(rng, S, p_plain=1 - self.inpaint_fraction)
            masks.append(m_b)
        toks, tmask = caption_batch(self.data, idx, self.vocab, self.ctx, rng, self.caption_dropout, inserted)
        return {"x0": x0, "inpaint_mask": torch.from_numpy(np.stack(masks)[:, None]), "tokens": toks, "token_mask": tmask}


class UpsamplerBatches:
    """Upsampler batches: the high-res target (or a random crop of it: the network is
    convolutional, and crops train it several times cheaper per image) and its low-res input.
    `extras`, pairs (data set in the same layout, fraction), each supply their fraction of every
    batch (e.g. dead leaves and photo crops beside the emoji): the upsampler is not
    text-conditioned, so any picture teaches it. The main data set fills the rest."""

    def __init__(self, data, size, low_size, batch, crop=0, extras=()):
        fractions = [f for _, f in extras]
        if any(not 0.0 <= f <= 1.0 for f in fractions) or sum(fractions) > 1.0 + 1e-9:
            raise ValueError(f"extra fractions {fractions} must each be in [0, 1] and sum to at most 1")
        self.data, self.size, self.low_size, self.batch, self.crop = data, size, low_size, batch, crop
        self.extras = [(d, int(round(batch * f))) for d, f in extras]
        self.n_main = batch - sum(n for _, n in self.extras)
        if self.n_main < 0:  # rounding of several fractions can overshoot by one
            raise ValueError(f"extra fractions {fractions} leave no room in a batch of {batch}")

    def _draw(self, data, n, rng):
        idx = rng.choice(data.index, size=n, replace=False)
        return data.batch_images(idx, self.size), data.batch_images(idx, self.low_size)

    def __call__(self, rng):
        parts = [self._draw(self.data, self.n_main, rng)]
        parts += [self._draw(d, n, rng) for d, n in self.extras if n]
        x0 = torch.from_numpy(np.concatenate([p[0] for p in parts]))
        low = torch.from_numpy(np.concatenate([p[1] for p in parts]))
        if self.crop:
            f = self.size // self.low_size
            oy, ox = (rng.integers(0, (self.size - self.crop) // f + 1, size=2) * f).tolist()
            x0 = x0[..., oy:oy + self.crop, ox:ox + self.crop].contiguous()
            low = low[..., oy // f:(oy + self.crop) // f, ox // f:(ox + self.crop) // f].contiguous()
        return {"x0": x0, "low_res": low}


class _Stream(torch.utils.data.IterableDataset):
    """Endless batches from `make`; each worker draws from its own seed, so no two repeat."""

    def __init__(self, make, seed):
        super().__init__()
        self.make, self.seed = make, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([self.seed, info.id if info else 0])
        while True:
            yield self.make(rng)


def batch_loader(make, seed, workers, pin_memory=False):
    """An endless iterator of batches built by `workers` processes (batch_size=None: `make`
    already returns whole batches)."""
    return iter(torch.utils.data.DataLoader(_Stream(make, seed), batch_size=None, num_workers=workers,
                                            pin_memory=pin_memory, persistent_workers=True,
                                            prefetch_factor=4))
