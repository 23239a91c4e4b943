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

    def draw_weights(self, power, focus=None, focus_share=0.0):
        """`p` for rng.choice over self.index: None at power 0 with no focus, else
        concept_weights(power), with `focus_share` of the draws moved onto the `focus` labels (see
        focus_weights). None rather than uniform weights because numpy draws a different stream
        whenever it is given a `p`, even a uniform one, so runs without balancing keep the stream
        they always had."""
        if focus and focus_share > 0:
            return self.focus_weights(self.concept_weights(power), focus, focus_share)
        return self.concept_weights(power) if power else None

    def focus_weights(self, p, labels, share):
        """Moves `share` of the draws onto the concepts whose label is in `labels`, spread over
        those concepts alike (each concept's images keep their proportions), the rest drawn by `p`.
        A small network cannot learn 1,950 subjects equally well; this lets it learn the subjects
        people ask for most first (training/everyday_subjects.txt). Unknown labels are an error,
        so that a typo does not silently drop a subject."""
        if not 0 < share < 1:
            raise ValueError(f"focus share {share}: give a share between 0 and 1")
        wanted = set(labels)
        known = {self.records[i]["label"] for i in self.index}
        missing = sorted(wanted - known)
        if missing:
            raise ValueError(f"focus subjects not in the {self.split} split: {', '.join(missing)}")
        inside = np.array([self.records[i]["label"] in wanted for i in self.index])
        concepts = [self.records[i]["concept"] for i in self.index]
        _, inverse, counts = np.unique(concepts, return_inverse=True, return_counts=True)
        in_concepts = np.unique(inverse[inside])
        focus = np.where(inside, 1.0 / counts[inverse], 0.0) / len(in_concepts)
        return (1 - share) * np.asarray(p, dtype=np.float64) + share * focus

    def vocab(self):
        """Compact vocabulary: every r50k id used by this split's captions, plus the pad id."""
        ids = {PAD_ID}
        for i in self.index:
            for t in self.records[i]["tokens"]:
                ids.update(t)
        return sorted(ids)


def read_labels(path):
    """One label per line; blank lines and text after '#' are left out."""
    with open(path, encoding="utf-8") as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return [line for line in lines if line]
