"""Evaluation of a trained cascade on the validation split.

    python3 -m training.eval --checkpoint checkpoints/s/base.pt --scorer checkpoints/s/scorer.pt \
        --captions 50 --seeds 4 --out docs/eval.json

--split train asks the same questions of captions the network was trained on (one picture per
concept and style): how much of its training set it has learnt, as opposed to how it generalises.

R-precision: top-1 of the true caption among 100 (1 true + 99 other validation captions of
other concepts), for real validation images and for generated ones (same captions).
FD: Frechet distance between scorer image embeddings (generated vs real validation), next to
the same distance between real training and real validation images.
"""
import argparse
import json
import time

import numpy as np
import torch

import torch.nn.functional as F

from . import checkpoint, scorer as scorer_mod
from .composite import Inserter
from .data import EmojiData
from .sample import sample_base

CAPTION_VARIANT = 4  # "a <label>, <style> emoji"
INSERT_SCALE = 2 / 3  # the engine's 25 % context margin puts a selection at 2/3 of the network's input


def frechet(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    c1, c2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # sqrt of c1 c2 through the eigenvalues of sqrt(c1) c2 sqrt(c1) (symmetric, PSD)
    w, v = np.linalg.eigh(c1)
    s1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    ev = np.linalg.eigvalsh(s1 @ c2 @ s1)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(c1) + np.trace(c2) - 2 * np.sqrt(np.clip(ev, 0, None)).sum())


def r_precision_hits(score_model, images, toks, masks, concept_ids, rng, n=100):
    """images[i] belongs with caption i; distractors are captions of other concepts. 1 where the
    true caption ranks first among n, else 0, per image."""
    with torch.no_grad():
        ie = score_model.image(images)
        te = score_model.text(toks, masks)
    hits = []
    for i in range(len(images)):
        others = [j for j in range(len(toks)) if concept_ids[j] != concept_ids[i]]
        pick = rng.choice(others, size=min(n - 1, len(others)), replace=False)
        cands = torch.cat([te[i:i + 1], te[pick]])
        hits.append(int((cands @ ie[i]).argmax().item() == 0))
    return hits


def r_precision(score_model, images, toks, masks, concept_ids, rng, n=100):
    """Share of images whose true caption ranks first among n (see r_precision_hits)."""
    return float(np.mean(r_precision_hits(score_model, images, toks, masks, concept_ids, rng, n)))


def by_group(hits, groups):
    """{emoji group: [R-precision, images]}: which kinds of picture are learnt."""
    out = {}
    for g in sorted(set(groups)):
        h = [x for x, y in zip(hits, groups) if y == g]
        out[g] = [round(float(np.mean(h)), 3), len(h)]
    return out


def best_of_seeds(score_model, images, toks, masks, seeds):
    """Index into `images` (seed-major: seed k's n images at k*n..k*n+n-1) of each caption's variation
    that `score_model` matches best with its caption: the one the engine shows first when the pack's
    reranker orders variations."""
    n = toks.shape[0]
    with torch.no_grad():
        sim = (score_model.image(images) * score_model.text(toks.repeat(seeds, 1), masks.repeat(seeds, 1))).sum(1)
    return sim.view(seeds, n).argmax(0) * n + torch.arange(n)


def best_of_curve(score_model, judge, images, toks, masks, concepts, seeds):
    """Judge R-precision of the reranker's pick among the first k seeds, for k = 1, 2, 4, ... <= seeds
    (k = 1 is seed 0 alone). Every k is scored with the same random distractors (rng seed 3)."""
    n = toks.shape[0]
    curve = {}
    k = 1
    while k <= seeds:
        best = best_of_seeds(score_model, images[: k * n], toks, masks, k)
        curve[str(k)] = r_precision(judge, images[best], toks, masks, concepts, np.random.default_rng(3))
        k *= 2
    return curve


@torch.no_grad()
def text_gap(net, tokens, mask, uncond_tokens, uncond_mask, image_size, timesteps=(999, 700, 400, 100), seed=0):
    """How much the prompt changes the network's epsilon: ||eps(prompt) - eps(empty)|| / ||eps(empty)||
    on the same noisy input, per timestep. Classifier-free guidance scales exactly this difference,
    so a gap near 0 means the text path is not used yet (guidance then cannot help)."""
    B = tokens.shape[0]
    x = torch.randn(B, 3, image_size, image_size, generator=torch.Generator().manual_seed(seed))
    zeros, zmask = torch.zeros_like(x), torch.zeros(B, 1, image_size, image_size)
    pc, oc = net.get_text_emb(tokens, mask)
    pu, ou = net.get_text_emb(uncond_tokens, uncond_mask)
    gap = {}
    for t in timesteps:
        ts = torch.full((B,), float(t))
        ec = net.denoise(x, ts, pc, oc, inpaint_image=zeros, inpaint_mask=zmask)[:, :3]
        eu = net.denoise(x, ts, pu, ou, inpaint_image=zeros, inpaint_mask=zmask)[:, :3]
        gap[str(t)] = float((ec - eu).norm() / eu.norm())
    return gap


# Imagen's dynamic thresholding percentile that every row used before the fourth spec field existed
DEFAULT_THRESHOLD = 0.995


def parse_threshold(text):
    """A dynamic-thresholding percentile in (0, 1], or "static" (clip x0 to [-1, 1]): returned as None."""
    if text == "static":
        return None
    p = float(text)
    if not 0 < p <= 1:
        raise ValueError(f"threshold {text}: neither a percentile in (0, 1] nor 'static'")
    return p


def parse_spec(spec):
    """"sampler:respacing:guidance[:threshold]" -> (sampler, respacing, guidance, threshold or None)."""
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise ValueError(f"sampler spec {spec!r}: expected sampler:respacing:guidance[:threshold]")
    sampler, respacing, g = parts[:3]
    return sampler, respacing, float(g), parse_threshold(parts[3]) if len(parts) == 4 else DEFAULT_THRESHOLD


def caption_records(data):
    """The records whose captions the evaluation uses, one picture on white each: per image on the
    validation split; per concept and style on the training split, where skin-tone variants would
    otherwise make people and hands 60 % of the captions (EmojiData.concept_weights)."""
    key = (lambda r: r["image_id"]) if data.split == "val" else (lambda r: (r["concept"], r["style"]))
    seen, out = set(), []
    for i in data.index:
        r = data.records[i]
        if r["background"] == "white" and key(r) not in seen:
            seen.add(key(r))
            out.append(i)
    return np.array(out)


def inpaint_seeds(net, cfg, toks, masks, empty_t, empty_m, spec, image, keep, seeds, first_seed, start=None, strength=1.0):
    """The base's inpainting of `image` where `keep` is 0, once per seed (first_seed, first_seed + 1, ...):
    a list of [B, 3, S, S]. spec: (sampler, respacing, guidance, threshold) as parse_spec gives it.
    start [B, 3, S, S] with strength < 1: an img2img start from that picture (sample.image_start)."""
    sampler, respacing, g, th = spec
    B, S = image.shape[0], cfg.image_size
    out = []
    for seed in range(seeds):
        gen = torch.Generator().manual_seed(first_seed + seed)
        x_T = torch.randn(B, 3, S, S, generator=gen)
        noises = torch.randn(100, B, 3, S, S, generator=gen) if sampler == "ddpm" else None
        out.append(sample_base(net, cfg, toks, masks, empty_t, empty_m, x_T, sampler, respacing, g, th,
                               inpaint_image=image, inpaint_mask=keep, noises=noises, init_image=start, strength=strength))
    return out


def insertion_rows(a, net, cfg, sc, val, records, toks, masks, empty_t, empty_m, concepts, judge=None):
    """Fill a centre hole in validation backgrounds with the captioned object; score what is in the hole
    (cropped and resized to the scorer's input) against the same 100-caption R-precision as above. The
    reference is the true object matted from its two renders and pasted into the same hole. With a judge,
    the same images are also scored by it (keys *_judge; its own draws leave the scorer's as they were):
    the scorer shares its text encoder with the base it was shipped with, so only the judge compares
    bases whose text encoders differ."""
    S = cfg.image_size
    k = round(INSERT_SCALE * S)
    y0 = (S - k) // 2
    ins = Inserter(val)
    brng = np.random.default_rng(1)
    backgrounds = torch.stack([ins.background(brng, S) for _ in records])  # [0,1], validation split only
    keep = torch.ones(len(records), 1, S, S)
    keep[..., y0:y0 + k, y0:y0 + k] = 0
    source = backgrounds * 2 - 1

    def hole(images):
        return F.interpolate(images[..., y0:y0 + k, y0:y0 + k], size=(S, S), mode="bilinear", align_corners=False)

    truth = torch.stack([ins.example(brng, int(r), S, background=backgrounds[n], place=(y0, y0, k))[0]
                         for n, r in enumerate(records)])
    rng = np.random.default_rng(2)
    out = {"hole": f"{k}x{k} of {S}x{S}, centred",
           "r_precision_pasted_truth": r_precision(sc, hole(truth), toks, masks, concepts, rng), "rows": []}
    judge_rng = np.random.default_rng(4)
    if judge is not None:
        out["r_precision_pasted_truth_judge"] = r_precision(judge, hole(truth), toks, masks, concepts, judge_rng)
    print(json.dumps({k: v for k, v in out.items() if k.startswith("r_precision")}), flush=True)
    for spec in a.insert.split(","):
        sampler, respacing, g, th = parse_spec(spec)
        t0 = time.time()
        gen_imgs = torch.cat(inpaint_seeds(net, cfg, toks, masks, empty_t, empty_m, (sampler, respacing, g, th),
                                           source, keep, a.seeds, first_seed=100))
        row = {"sampler": sampler, "respacing": respacing, "guidance": g, "threshold": th,
               "r_precision": r_precision(sc, hole(gen_imgs), toks.repeat(a.seeds, 1), masks.repeat(a.seeds, 1),
                                          concepts * a.seeds, rng),
               # outside the hole the sampler re-imposes the known pixels: this is their largest change
               "max_change_outside_hole": float(((gen_imgs - source.repeat(a.seeds, 1, 1, 1)).abs()
                                                 * keep.repeat(a.seeds, 1, 1, 1)).max()),
               "seconds": round(time.time() - t0, 1)}
        if judge is not None:
            row["r_precision_judge"] = r_precision(judge, hole(gen_imgs), toks.repeat(a.seeds, 1),
                                                   masks.repeat(a.seeds, 1), concepts * a.seeds, judge_rng)
        print(json.dumps({"insertion": row}), flush=True)
        out["rows"].append(row)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Evaluate a cascade on the validation split.")
    ap.add_argument("--checkpoint", default="checkpoints/s/base.pt")
    ap.add_argument("--scorer", default="checkpoints/s/scorer.pt")
    ap.add_argument("--judge", default=None, metavar="SCORER_PT",
                    help="a second, independent scorer that also scores the same generated images "
                         "(keys *_judge); the first scorer's numbers and draws are unchanged by it")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--split", choices=["val", "train"], default="val",
                    help="whose captions and real images: the held-out validation split, or the training split "
                         "(how much of what it saw the network has learnt)")
    ap.add_argument("--captions", type=int, default=50)
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--configs", default="dpmpp2m:ddim20:3,dpmpp2m:ddim20:1,dpmpp2m:ddim20:2,dpmpp2m:ddim20:5,"
                                         "ddim:ddim25:3,ddpm:100:3",
                    help="sampler:respacing:guidance[:threshold] rows; threshold is a dynamic-thresholding "
                         f"percentile or 'static' (default {DEFAULT_THRESHOLD})")
    ap.add_argument("--insert", default="",
                    help="sampler:respacing:guidance[:threshold] rows of object insertion: a centre hole (2/3 of the side) in "
                         "a validation background filled from the caption; R-precision of the hole's content, "
                         "next to the true object pasted into the same hole")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--weights", choices=["ema", "raw"], default="ema")
    ap.add_argument("--out", default="docs/eval.json")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    net, cfg, ck = checkpoint.load_net(a.checkpoint, use_ema=a.weights == "ema")
    vocab = ck["vocab"]
    sc, _ = scorer_mod.load(a.scorer)
    judge = scorer_mod.load(a.judge)[0] if a.judge else None
    judge_rng = np.random.default_rng(0)  # its own draws, so adding a judge leaves the scorer's rows as they were
    ref, train = EmojiData(a.data, a.split), EmojiData(a.data, "train")  # ref: whose captions
    rng = np.random.default_rng(0)
    cap_idx = caption_records(ref)
    S = cfg.image_size
    real = torch.from_numpy(ref.batch_images(cap_idx, S))
    toks, masks = scorer_mod.tokens_for(ref, cap_idx, vocab, cfg.text_ctx, variant=CAPTION_VARIANT)
    concepts = [ref.records[i]["concept"] for i in cap_idx]
    groups = [ref.records[i]["group"] or "none" for i in cap_idx]
    res = {"validation_images": len(cap_idx), "r_precision_real": r_precision(sc, real, toks, masks, concepts, rng)}
    with torch.no_grad():
        emb_real = sc.image(real).numpy()
    # drawn on either split, so the caption picks below are the same draws as ever
    tr_idx = rng.choice(train.index, size=min(2000, len(train.index)), replace=False)
    if a.split == "val":  # on the training split the two sets overlap: no reference distance
        with torch.no_grad():
            emb_train = sc.image(torch.from_numpy(train.batch_images(tr_idx, S))).numpy()
        res["fd_train_vs_val_real"] = frechet(emb_train, emb_real)
    if judge is not None:
        hits = r_precision_hits(judge, real, toks, masks, concepts, judge_rng)
        res["r_precision_real_judge"] = float(np.mean(hits))
        res["real_judge_by_group"] = by_group(hits, groups)
        with torch.no_grad():
            judge_real = judge.image(real).numpy()
    pick = rng.choice(len(cap_idx), size=min(a.captions, len(cap_idx)), replace=False)
    sel_t, sel_m = toks[pick], masks[pick]
    empty_t = torch.full_like(sel_t, vocab.index(50256))
    empty_m = torch.zeros_like(sel_m)
    sel_concepts = [concepts[i] for i in pick]
    sel_groups = [groups[i] for i in pick]
    res["text_gap"] = text_gap(net, sel_t, sel_m, empty_t, empty_m, S)
    print(json.dumps({"text_gap": res["text_gap"]}), flush=True)
    rows = []
    for spec in filter(None, a.configs.split(",")):
        sampler, respacing, g, th = parse_spec(spec)
        t0 = time.time()
        imgs = []
        for seed in range(a.seeds):
            gen = torch.Generator().manual_seed(seed)
            x_T = torch.randn(len(pick), 3, S, S, generator=gen)
            n = 1000
            noises = torch.randn(min(n, 1000 if respacing.isdigit() and int(respacing) > 100 else 100),
                                 len(pick), 3, S, S, generator=gen) if sampler == "ddpm" else None
            imgs.append(sample_base(net, cfg, sel_t, sel_m, empty_t, empty_m, x_T, sampler, respacing, g,
                                    th, noises=noises))
        gen_imgs = torch.cat(imgs)
        rp = r_precision(sc, gen_imgs, sel_t.repeat(a.seeds, 1), sel_m.repeat(a.seeds, 1),
                         sel_concepts * a.seeds, rng)
        with torch.no_grad():
            fd = frechet(sc.image(gen_imgs).numpy(), emb_real)
        row = {"sampler": sampler, "respacing": respacing, "guidance": g, "threshold": th, "r_precision": rp, "fd": fd,
               "seconds": round(time.time() - t0, 1)}
        if judge is not None:
            hits = r_precision_hits(judge, gen_imgs, sel_t.repeat(a.seeds, 1), sel_m.repeat(a.seeds, 1),
                                    sel_concepts * a.seeds, judge_rng)
            row["r_precision_judge"] = float(np.mean(hits))
            row["judge_by_group"] = by_group(hits, sel_groups * a.seeds)
            with torch.no_grad():
                row["fd_judge"] = frechet(judge.image(gen_imgs).numpy(), judge_real)
            if a.seeds > 1:  # what the user sees first: the shipped scorer (the pack's reranker) picks, the judge scores
                best = best_of_seeds(sc, gen_imgs, sel_t, sel_m, a.seeds)
                row["r_precision_judge_reranked"] = r_precision(judge, gen_imgs[best], sel_t, sel_m,
                                                                sel_concepts, np.random.default_rng(3))
                # the engine's `candidates` option: best of the first k seeds, k = 1, 2, 4, ...
                row["r_precision_judge_best_of"] = best_of_curve(sc, judge, gen_imgs, sel_t, sel_m, sel_concepts,
                                                                 a.seeds)
        print(json.dumps(row), flush=True)
        rows.append(row)
    res["generated"] = rows
    if a.insert:
        res["insertion"] = insertion_rows(a, net, cfg, sc, ref, cap_idx[pick], sel_t, sel_m, empty_t, empty_m,
                                          sel_concepts, judge)
    res.update(checkpoint.provenance(ck))
    res["weights"] = a.weights
    res["split"] = a.split
    res["captions"] = len(pick)
    res["seeds"] = a.seeds
    if judge is not None:
        res["judge"] = a.judge
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps({k: v for k, v in res.items() if k != "generated"}))


if __name__ == "__main__":
    main()
