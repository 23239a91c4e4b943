"""Evaluation metrics against closed forms and invariants."""
import json

import numpy as np
import pytest
import torch

from training.configs import cascade
from training.diffusion.transforms import dynamic_threshold, static_clip
from training.data import EmojiData
from training.eval import DEFAULT_THRESHOLD, by_group, caption_records, frechet, parse_spec, text_gap
from training.nn.build import build_net


def test_frechet_of_gaussians_matches_closed_form():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20000, 3))
    b = rng.standard_normal((20000, 3)) * 2.0 + 1.0
    # N(0, I) vs N(1, 4I) in 3-D: |mu|^2 + tr(I + 4I - 2 * 2I) = 3 + 3 = 6
    assert abs(frechet(a, b) - 6.0) < 0.15
    assert abs(frechet(a, a)) < 1e-6


def test_text_gap_is_zero_for_the_same_prompt_and_positive_for_another():
    torch.manual_seed(0)
    cfg = cascade("tiny", n_vocab=10).base
    net = build_net(cfg).eval()
    with torch.no_grad():  # GLIDE zero-initialises output layers: give every weight a value
        for p in net.parameters():
            p.normal_(0.0, 0.1)
    L = cfg.text_ctx
    toks = torch.tensor([[1, 2, 3] + [9] * (L - 3)] * 2)
    mask = torch.tensor([[1.0] * 3 + [0.0] * (L - 3)] * 2)
    empty, emask = torch.full_like(toks, 9), torch.zeros_like(mask)
    same = text_gap(net, empty, emask, empty, emask, cfg.image_size, timesteps=(999, 10))
    assert all(v == 0.0 for v in same.values())
    other = text_gap(net, toks, mask, empty, emask, cfg.image_size, timesteps=(999, 10))
    assert all(v > 0.0 for v in other.values())


class _TableScorer:
    """A stand-in scorer whose embeddings are given rows of a table: image i and caption i of concept c
    get concept c's unit vector, so the true caption always wins unless the table says otherwise."""

    def __init__(self, image_rows, text_rows):
        self.image_rows, self.text_rows = image_rows, text_rows

    def image(self, images):
        return self.image_rows[images[:, 0, 0, 0].long()]

    def text(self, toks, masks):
        return self.text_rows[toks[:, 0]]


def test_r_precision_is_one_for_a_perfect_scorer_and_near_chance_for_a_blind_one():
    from training.eval import r_precision
    n = 300
    concepts = list(range(n))
    images = torch.arange(n, dtype=torch.float32).view(n, 1, 1, 1).expand(n, 3, 2, 2).contiguous()
    toks = torch.arange(n).view(n, 1)
    masks = torch.ones(n, 1)
    eye = torch.eye(n)
    perfect = _TableScorer(eye, eye)
    assert r_precision(perfect, images, toks, masks, concepts, np.random.default_rng(0)) == 1.0
    # a scorer whose image embeddings are random: the true caption is one of 100 equally likely winners
    blind = _TableScorer(torch.nn.functional.normalize(torch.randn(n, n, generator=torch.Generator().manual_seed(0)), dim=1), eye)
    rp = r_precision(blind, images, toks, masks, concepts, np.random.default_rng(0))
    assert rp < 0.05  # chance is 1 %; 300 trials put 5 % far outside it


def test_best_of_seeds_picks_each_captions_closest_variation():
    from training.eval import best_of_seeds
    # 3 captions x 2 seeds, seed-major; image value v looks up embedding row v
    image_rows = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6], [1.0, 0.0], [0.0, 1.0]])
    text_rows = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    images = torch.arange(6, dtype=torch.float32).view(6, 1, 1, 1).expand(6, 3, 2, 2).contiguous()
    toks, masks = torch.arange(3).view(3, 1), torch.ones(3, 1)
    picked = best_of_seeds(_TableScorer(image_rows, text_rows), images, toks, masks, seeds=2)
    # caption 0 wants (0,1): seed 0 gives (1,0), seed 1 gives (0.8,0.6) -> seed 1 (index 3)
    # caption 1 wants (1,0): seed 0 gives (0,1), seed 1 gives (1,0) -> seed 1 (index 4)
    # caption 2 wants (1,0): seed 0 gives (0.6,0.8), seed 1 gives (0,1) -> seed 0 (index 2)
    assert picked.tolist() == [3, 4, 2]


def test_best_of_curve_counts_a_caption_once_its_right_seed_is_among_the_first_k():
    from training.eval import best_of_curve
    n, seeds = 200, 4
    eye = torch.eye(n)
    # image value i -> concept i's vector (right); n + i -> its opposite (wrong: every other caption wins)
    image_rows = torch.cat([eye, -eye])
    right_seed = [1 if i < n // 2 else 3 for i in range(n)]  # half right at seed 1, half only at seed 3
    values = [[i if s == right_seed[i] else n + i for i in range(n)] for s in range(seeds)]
    images = torch.tensor(values, dtype=torch.float32).view(seeds * n, 1, 1, 1).expand(-1, 3, 2, 2).contiguous()
    toks, masks = torch.arange(n).view(n, 1), torch.ones(n, 1)
    perfect = _TableScorer(image_rows, eye)
    curve = best_of_curve(perfect, perfect, images, toks, masks, list(range(n)), seeds)
    assert curve == {"1": 0.0, "2": 0.5, "4": 1.0}


def test_parse_spec_reads_an_optional_threshold():
    assert parse_spec("ddpm:50:5") == ("ddpm", "50", 5.0, DEFAULT_THRESHOLD)
    assert parse_spec("ddim:ddim25:3:static") == ("ddim", "ddim25", 3.0, None)
    assert parse_spec("dpmpp2m:ddim20:2:0.99") == ("dpmpp2m", "ddim20", 2.0, 0.99)
    for bad in ("ddpm:50", "ddpm:50:5:1.5", "ddpm:50:5:0", "ddpm:50:5:dynamic", "a:b:c:d:e"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_dynamic_threshold_greys_a_white_background_that_static_clipping_keeps():
    # why the pack clips: an emoji on white has most pixels at +1; a 1 % overshoot to 1.25 makes the
    # 0.995 quantile 1.25, and dividing by it turns the white background into 0.8 (a light grey)
    x0 = torch.ones(1, 3, 20, 20)
    x0.view(-1)[:12] = 1.25
    bg = dynamic_threshold(x0, 0.995)[0, 2, 10, 10].item()
    assert abs(bg - 0.8) < 1e-6
    assert static_clip(x0)[0, 2, 10, 10].item() == 1.0


def test_caption_records_name_one_picture_on_white_per_image_or_per_concept_and_style(tmp_path):
    records = []
    for split in ("train", "val"):
        for concept in ("hand", "pizza"):
            tones = ("", "-1f3fb", "-1f3ff") if concept == "hand" else ("",)
            for style in ("flat", "3d"):
                for tone in tones:
                    for bg in ("navy", "white"):
                        records.append({"index": len(records), "split": split, "concept": concept, "style": style,
                                        "image_id": f"{style}/{concept}{tone}", "background": bg})
    with open(tmp_path / "manifest.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)

    def picked(split):
        data = EmojiData(str(tmp_path), split)
        idx = caption_records(data)
        assert all(data.records[i]["background"] == "white" and data.records[i]["split"] == split for i in idx)
        return sorted(data.records[i]["image_id"] for i in idx)

    # validation: every picture once (each skin tone is its own picture), as the table always was
    assert picked("val") == ["3d/hand", "3d/hand-1f3fb", "3d/hand-1f3ff", "3d/pizza",
                             "flat/hand", "flat/hand-1f3fb", "flat/hand-1f3ff", "flat/pizza"]
    # training: one picture per concept and style, so the hands do not outnumber the pizza
    assert picked("train") == ["3d/hand", "3d/pizza", "flat/hand", "flat/pizza"]


def test_by_group_averages_hits_per_group():
    assert by_group([1, 0, 1, 1, 0], ["flags", "flags", "food", "food", "people"]) == {
        "flags": [0.5, 2], "food": [1.0, 2], "people": [0.0, 1]}
