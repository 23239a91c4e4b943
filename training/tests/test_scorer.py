"""The contrastive scorer learns to tell captions apart, with concept-balanced draws and a cooldown."""
import json

import numpy as np
import torch

from training.scorer import load, tokens_for, train
from training.tests.test_batches import _dataset


def test_scorer_trained_with_balanced_draws_retrieves_each_image_by_its_caption(tmp_path):
    data = _dataset(tmp_path)  # six random-coloured emoji, each on white and on navy
    recs = [dict(r, concept="a" if r["image_id"] in ("e0", "e1", "e2") else r["image_id"]) for r in data.records]
    with open(tmp_path / "manifest.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in recs)
    out = tmp_path / "scorer.pt"
    train(str(tmp_path), str(out), data.vocab(), minutes=0.1, batch=8, ctx=4, size=16, seed=0, threads=1,
          balance_concepts=1.0, lr=3e-3, lr_end=3e-4)
    model, ck = load(str(out))
    assert ck["steps"] > 10
    idx = data.index
    with torch.no_grad():
        ie = model.image(torch.from_numpy(data.batch_images(idx, 16)))
        te = model.text(*tokens_for(data, idx, ck["vocab"], 4, variant=0))  # "thing <e>": no background word
    # each caption's best image is one of its own emoji's two renders (chance: 1 in 6)
    best = (te @ ie.T).argmax(dim=1).numpy()
    own = np.array([data.records[i]["image_id"] for i in idx])
    assert (own[best] == own).mean() >= 0.9
