"""Reads the dataset written by training/dataset/build.mjs (docs/dataset.md)."""
import json
import os

import numpy as np

from .pack import PAD_ID


class EmojiData:
    def __init__(self, root, split="train"):
        self.root = root
        with open(os.path.join(root, "manifest.jsonl")) as f:
            self.records = [json.loads(line) for line in f if line.strip()]
        self.index = np.array([r["index"] for r in self.records if r["split"] == split], dtype=np.int64)
        self.split = split
        self._images = {}

    def images(self, size):
        if size not in self._images:
            path = os.path.join(self.root, f"images_{size}.u8")
            n = os.path.getsize(path) // (size * size * 3)
            self._images[size] = np.memmap(path, dtype=np.uint8, mode="r", shape=(n, size, size, 3))
        return self._images[size]

    def batch_images(self, idx, size):
        """uint8 [B,S,S,3] -> float32 [B,3,S,S] in [-1, 1]."""
        a = np.asarray(self.images(size)[np.sort(idx)][np.argsort(np.argsort(idx))], dtype=np.float32)
        return a.transpose(0, 3, 1, 2) / 127.5 - 1.0

    def concept_weights(self, power):
        """Sampling probabilities over self.index: each image weighted by 1 / (images of its
        concept) ** power. 0 samples images uniformly; 1 samples concepts uniformly, so that a
        concept drawn in five skin tones and two backgrounds (people and hands are 60 % of the
        images but 20 % of the concepts) gets no more steps than "pizza"."""
        concepts = [self.records[i]["concept"] for i in self.index]
        _, inverse, counts = np.unique(concepts, return_inverse=True, return_counts=True)
        w = counts[inverse].astype(np.float64) ** -float(power)
        return w / w.sum()

    def draw_weights(self, power):
        """`p` for rng.choice over self.index: None at power 0, else concept_weights(power). None
        rather than uniform weights because numpy draws a different stream whenever it is given a
        `p`, even a uniform one, so runs without balancing keep the stream they always had."""
        return self.concept_weights(power) if power else None

    def vocab(self):
        """Compact vocabulary: every r50k id used by this split's captions, plus the pad id."""
        ids = {PAD_ID}
        for i in self.index:
            for t in self.records[i]["tokens"]:
                ids.update(t)
        return sorted(ids)
