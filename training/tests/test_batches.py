"""Training batches: what each stage's builder returns, inline and from worker processes."""
import json
import pathlib

import numpy as np
import pytest
import torch

from training.batches import BaseBatches, UpsamplerBatches, batch_loader
from training.composite import Inserter
from training.data import EmojiData, read_labels
from training.pack import PAD_ID
from training.tokens import remap, remap_array

BACKGROUND_WORD = 999  # token id that only the caption variants naming a background carry


def _dataset(root, n_images=6):
    """n_images emoji, each rendered on white and on navy, at 4, 8 and 16 px, with two caption
    variants: the label alone, and the label with a background."""
    rng = np.random.default_rng(0)
    records, imgs = [], {4: [], 8: [], 16: []}
    for e in range(n_images):
        alpha = np.zeros((16, 16, 1), np.float32)
        alpha[2:14, 3:13] = 1.0
        fg = rng.uniform(0, 1, size=(16, 16, 3)).astype(np.float32) * alpha
        for bg, colour in (("white", [1, 1, 1]), ("navy", [20 / 255, 30 / 255, 90 / 255])):
            img = np.round((fg + (1 - alpha) * np.asarray(colour, np.float32)) * 255).astype(np.uint8)
            imgs[16].append(img)
            imgs[8].append(img.reshape(8, 2, 8, 2, 3).mean(axis=(1, 3)).round().astype(np.uint8))
            imgs[4].append(img.reshape(4, 4, 4, 4, 3).mean(axis=(1, 3)).round().astype(np.uint8))
            records.append({"index": len(records), "image_id": f"e{e}", "background": bg, "split": "train",
                            "captions": [f"thing {e}", f"thing {e}, on a {bg} background"],
                            "tokens": [[100 + e], [100 + e, BACKGROUND_WORD]]})
    with open(root / "manifest.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    for s, v in imgs.items():
        np.stack(v).tofile(root / f"images_{s}.u8")
    return EmojiData(str(root), "train")


def _base(data, **kw):
    o = dict(inpaint_fraction=0.0, insert_fraction=0.0, caption_dropout=0.0, inserter=None)
    o.update(kw)
    return BaseBatches(data, data.vocab(), 8, 4, 5, **o)


def test_plain_generation_batches_are_the_dataset_images_with_the_all_zero_mask(tmp_path):
    data = _dataset(tmp_path)
    b = _base(data)(np.random.default_rng(1))
    assert b["x0"].shape == (5, 3, 8, 8) and b["inpaint_mask"].shape == (5, 1, 8, 8)
    assert (b["inpaint_mask"] == 0).all()
    # each image is one of the dataset's 8 px renders in [-1, 1]
    renders = torch.from_numpy(data.images(8).astype(np.float32)).permute(0, 3, 1, 2) / 127.5 - 1
    for x in b["x0"]:
        assert min(float((x - r).abs().max()) for r in renders) < 1e-6
    # every caption is a real one, remapped into the compact vocabulary, padded after it
    vocab = data.vocab()
    assert b["tokens"].dtype == torch.int64 and int(b["tokens"].max()) < len(vocab)
    assert (b["token_mask"].sum(1) >= 1).all()
    assert (b["tokens"][b["token_mask"] == 0] == vocab.index(PAD_ID)).all()


def test_insertion_batches_cut_a_hole_and_never_name_a_background(tmp_path):
    data = _dataset(tmp_path)
    make = _base(data, insert_fraction=1.0, inserter=Inserter(data))
    rng = np.random.default_rng(2)
    background = data.vocab().index(BACKGROUND_WORD)
    for _ in range(10):
        b = make(rng)
        holes = (b["inpaint_mask"] == 0).flatten(1).sum(1)
        assert (holes > 0).all()  # (at 8 px the circle through a large square's corners may take it all)
        assert not (b["tokens"] == background).any()


def test_caption_dropout_one_gives_empty_captions(tmp_path):
    data = _dataset(tmp_path)
    b = _base(data, caption_dropout=1.0)(np.random.default_rng(3))
    assert (b["token_mask"] == 0).all()


def test_upsampler_crops_keep_the_low_res_input_aligned(tmp_path):
    data = _dataset(tmp_path)
    rng = np.random.default_rng(4)
    b = UpsamplerBatches(data, 16, 4, 3, crop=8)(rng)
    assert b["x0"].shape == (3, 3, 8, 8) and b["low_res"].shape == (3, 3, 2, 2)
    # the low-res crop is the 4x area average of the high-res crop (up to the renders' uint8 rounding)
    pooled = torch.nn.functional.avg_pool2d(b["x0"], 4)
    assert float((pooled - b["low_res"]).abs().max()) <= 1.01 / 127.5


def test_worker_processes_deliver_distinct_full_batches(tmp_path):
    data = _dataset(tmp_path)
    loader = batch_loader(_base(data, inpaint_fraction=1.0), seed=5, workers=2)
    batches = [next(loader) for _ in range(4)]
    for b in batches:
        assert b["x0"].shape == (5, 3, 8, 8)
    # the loader takes batches from the workers in turn: the first two are each worker's first
    # draw, which would be identical if the workers shared a seed
    assert not torch.equal(batches[0]["inpaint_mask"], batches[1]["inpaint_mask"])


def test_remap_array_maps_like_the_table_with_unknown_ids_last():
    vocab = [5, PAD_ID, 7, 300]
    toks = np.array([[5, 7, 999, PAD_ID], [300, 0, 5, 5]])
    assert remap_array(toks, vocab).tolist() == [[0, 2, 4, 1], [3, 4, 0, 0]]
    assert remap_array(toks, vocab).tolist() == [remap(r, vocab) for r in toks.tolist()]


def test_concept_balancing_gives_every_concept_the_same_share_of_draws(tmp_path):
    data = _dataset(tmp_path, n_images=6)
    # concept "a": 4 images x 2 backgrounds = 8 records (like an emoji drawn in four skin tones);
    # "b" and "c": one image x 2 backgrounds each
    for r in data.records:
        e = int(r["image_id"][1:])
        r["concept"] = "a" if e < 4 else ("b" if e == 4 else "c")
    concept = np.array([data.records[i]["concept"] for i in data.index])
    uniform = data.concept_weights(0)
    assert np.allclose(uniform, 1 / 12)
    balanced = data.concept_weights(1)
    assert np.isclose(balanced.sum(), 1)
    for c in "abc":
        assert np.isclose(balanced[concept == c].sum(), 1 / 3)
    half = data.concept_weights(0.5)  # shares proportional to sqrt(images): 8 : 2 : 2 -> sqrt 8 : sqrt 2 : sqrt 2
    assert np.isclose(half[concept == "a"].sum() / half[concept == "b"].sum(), 2.0)
    # the batches follow the weights: draws of concept "a" fall from 2/3 to about 1/3 (one image
    # per batch: drawing 5 of 12 without replacement would flatten the shares; training draws 32
    # of ~26k)
    make = BaseBatches(data, data.vocab(), 8, 4, 1, 0.0, 0.0, 0.0, p=balanced)
    rng = np.random.default_rng(3)
    counts = {c: 0 for c in "abc"}
    renders = data.images(8).astype(np.float32).transpose(0, 3, 1, 2) / 127.5 - 1
    for _ in range(1500):
        for x in make(rng)["x0"].numpy():
            j = int(np.argmin(np.abs(renders - x).reshape(len(renders), -1).max(1)))
            counts[concept[j]] += 1
    share_a = counts["a"] / sum(counts.values())
    assert 0.29 < share_a < 0.38, counts  # uniform draws would give 8/12 = 0.67


def test_focus_moves_its_share_of_draws_onto_the_named_subjects(tmp_path):
    data = _dataset(tmp_path, n_images=6)
    # as above: "a" 8 records (label "heart"), "b" and "c" 2 each ("fox", "rocket")
    for r in data.records:
        e = int(r["image_id"][1:])
        r["concept"] = "a" if e < 4 else ("b" if e == 4 else "c")
        r["label"] = {"a": "heart", "b": "fox", "c": "rocket"}[r["concept"]]
    concept = np.array([data.records[i]["concept"] for i in data.index])
    p = data.draw_weights(1, ["fox", "rocket"], 0.4)
    assert np.isclose(p.sum(), 1)
    # 0.6 of the draws balanced over three concepts, 0.4 over the two focused ones
    assert np.isclose(p[concept == "a"].sum(), 0.6 / 3)
    assert np.isclose(p[concept == "b"].sum(), 0.6 / 3 + 0.4 / 2)
    assert np.isclose(p[concept == "c"].sum(), 0.6 / 3 + 0.4 / 2)
    # a focused concept's own images keep their proportions (here alike)
    assert np.allclose(p[concept == "b"], p[concept == "b"][0])
    # on top of image-uniform draws (power 0): "a" keeps 0.6 * 8/12
    assert np.isclose(data.draw_weights(0, ["heart"], 0.5)[concept == "a"].sum(), 0.5 * 8 / 12 + 0.5)
    with pytest.raises(ValueError, match="not in the train split: rainbow"):
        data.draw_weights(1, ["fox", "rainbow"], 0.4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        data.draw_weights(1, ["fox"], 1.0)
    assert data.draw_weights(0, None, 0.0) is None  # no balance, no focus: numpy's plain stream


def test_read_subjects_leaves_out_comments_and_blank_lines(tmp_path):
    path = tmp_path / "subjects.txt"
    path.write_text("# animals\nfox\n\n  cat face  # a comment\n", encoding="utf-8")
    assert read_labels(str(path)) == ["fox", "cat face"]


def test_everyday_subjects_are_emoji_labels_the_dataset_writes():
    """The committed focus list names only labels the dataset builder writes (emojibase's English
    labels), so that a run does not stop at its start over a typo."""
    subjects = read_labels("training/everyday_subjects.txt")
    assert len(subjects) == len(set(subjects)) > 100
    assert {"red heart", "fox", "pizza", "rocket", "rainbow"} <= set(subjects)
    source = pathlib.Path("training/node_modules/emojibase-data/en/data.json")
    if not source.exists():
        pytest.skip("the dataset builder's packages are not installed (npm --prefix training ci)")
    labels = {e["label"] for e in json.loads(source.read_text(encoding="utf-8"))}
    assert sorted(set(subjects) - labels) == []


def _plain_dataset(root, value, n_images=4):
    """Another data set in the same layout whose every pixel is `value` (0 black, 255 white)."""
    root.mkdir()
    with open(root / "manifest.jsonl", "w") as f:
        f.writelines(json.dumps({"index": i, "split": "train"}) + "\n" for i in range(n_images))
    for s in (4, 8, 16):
        np.full((n_images, s, s, 3), value, np.uint8).tofile(root / f"images_{s}.u8")
    return EmojiData(str(root), "train")


def test_upsampler_extra_data_supplies_its_share_of_each_batch(tmp_path):
    data, extra = _dataset(tmp_path), _plain_dataset(tmp_path / "extra", 0)
    make = UpsamplerBatches(data, 16, 4, 4, crop=8, extras=[(extra, 0.5)])
    for seed in range(3):
        b = make(np.random.default_rng(seed))
        assert b["x0"].shape == (4, 3, 8, 8) and b["low_res"].shape == (4, 3, 2, 2)
        black = [bool((x == -1).all()) for x in b["x0"]]
        assert black == [False, False, True, True]  # the emoji rows (never all black) come first
        assert [bool((x == -1).all()) for x in b["low_res"]] == black
    plain = UpsamplerBatches(data, 16, 4, 4)(np.random.default_rng(0))
    assert not any(bool((x == -1).all()) for x in plain["x0"])


def test_upsampler_several_extra_data_sets_each_supply_their_share_in_order(tmp_path):
    data = _dataset(tmp_path)
    black, white = _plain_dataset(tmp_path / "black", 0), _plain_dataset(tmp_path / "white", 255)
    make = UpsamplerBatches(data, 16, 4, 8, crop=8, extras=[(black, 0.25), (white, 0.5)])
    for seed in range(3):
        b = make(np.random.default_rng(seed))
        kind = ["black" if (x == -1).all() else "white" if (x == 1).all() else "main" for x in b["x0"]]
        assert kind == ["main"] * 2 + ["black"] * 2 + ["white"] * 4
    for bad in ([(black, 0.6), (white, 0.6)], [(black, -0.1)], [(black, 1.5)]):
        with pytest.raises(ValueError, match="extra fractions"):
            UpsamplerBatches(data, 16, 4, 8, extras=bad)
    with pytest.raises(ValueError, match="no room"):  # round(2 * 0.3) = 1 row each: 3 rows in a batch of 2
        UpsamplerBatches(data, 16, 4, 2, extras=[(black, 0.3), (white, 0.3), (black, 0.3)])
