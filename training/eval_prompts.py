"""Are the sample sheet's prompts recognisable? An independent judge names what it sees.

    python3 -m training.eval_prompts --checkpoint B.pt --judge J.pt --scorer S.pt --card models/card.json \
        --seeds 8 --out docs/eval-prompts.json

For each prompt of the sample sheet (grid.PROMPTS) the base draws seeds x candidates images with the
card's sampler settings. The judge (a scorer trained apart from the shipped one) ranks every training
subject, as "a <subject>", against each image; the rank of the prompt's subject among about 1,950 says
how recognisable the image is (top 1, 5 and 20 rates, median rank). Reported per prompt for every single draw and
for the reranker's pick among each group of `candidates` draws (what the engine shows), next to the
same ranks for the subject's real training pictures (what the judge can see at all). The
R-precision of eval.py asks "which of 100 captions fits this image"; this asks "what is this image
of", over all subjects, for the few prompts the product is judged by.
"""
import argparse
import json
import time

import numpy as np
import torch

from . import checkpoint, scorer as scorer_mod
from .data import EmojiData, read_labels
from .eval import best_of_seeds
from .grid import PROMPTS, card_sampling
from .pack import PAD_ID
from .sample import sample_base
from .subjects import read_subjects
from .tokens import batch as token_batch

# the emojibase subject each prompt names (its label: "fox" is the fox face emoji's)
PROMPT_SUBJECTS = {
    "a red heart": "red heart",
    "a fox face": "fox",
    "a slice of pizza": "pizza",
    "a rocket": "rocket",
    "a rainbow": "rainbow",
    "a smiling face with sunglasses": "smiling face with sunglasses",
    "a green apple": "green apple",
    "a cat face, 3d emoji": "cat face",
}
TOP = (1, 5, 20)


def subject_caption(subject):
    """A training caption's form: the builder's fourth variant ("a <label>" / "an <label>"), lower case."""
    s = subject.lower()
    return f"{'an' if s[:1] in 'aeiou' else 'a'} {s}"


def subject_ranks(judge, images, subject_emb, target):
    """1-based rank of subject `target` among all subjects for each image (1 = the judge's first guess)."""
    with torch.no_grad():
        sims = judge.image(images) @ subject_emb.T  # [N, subjects]
    return (sims > sims[:, target:target + 1]).sum(1).add(1).tolist()


def rates(ranks):
    return {f"top{k}": round(float(np.mean([r <= k for r in ranks])), 3) for k in TOP} | {
        "median_rank": float(np.median(ranks)), "n": len(ranks)}


def real_pictures(data, subject):
    """Training records of the subject without a skin tone, on white: one per style."""
    return np.array([i for i in data.index if data.records[i]["label"] == subject
                     and data.records[i]["background"] == "white"], dtype=np.int64)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", required=True, help="base checkpoint")
    ap.add_argument("--judge", required=True, help="the independent scorer that names the pictures")
    ap.add_argument("--scorer", default=None, help="the pack's reranker, which picks among --candidates")
    ap.add_argument("--card", default=None, help="the pack's card: sampler settings and candidates (else pack.DEFAULTS)")
    ap.add_argument("--candidates", type=int, default=None, help="default: the card's, else 1")
    ap.add_argument("--guidance", type=float, default=None, help="default: the card's")
    ap.add_argument("--data", default="data/emoji", help="the subjects and their real pictures (training split)")
    ap.add_argument("--seeds", type=int, default=8, help="images each prompt shows (each the best of its candidates)")
    ap.add_argument("--prompts", default=None, help="comma-separated subset of the sheet's prompts")
    ap.add_argument("--subjects", default=None, metavar="FILE",
                    help="instead of the sheet's prompts: training subjects (labels, one per line), each "
                         "prompted as its caption's \"a <label>\"")
    ap.add_argument("--weights", choices=["ema", "raw"], default="ema")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    d, k = card_sampling(ap, a)
    if a.guidance is not None:
        d["guidance"] = a.guidance
    if a.subjects and a.prompts:
        ap.error("give --prompts or --subjects, not both")
    prompt_subjects = ({subject_caption(s): s for s in read_labels(a.subjects)} if a.subjects
                       else PROMPT_SUBJECTS)
    prompts = a.prompts.split(",") if a.prompts else list(prompt_subjects) if a.subjects else PROMPTS
    unknown = [p for p in prompts if p not in prompt_subjects]
    if unknown:
        ap.error(f"no subject known for {unknown}; known: {sorted(prompt_subjects)}")
    th = None if d["dynamicThreshold"] is None else float(d["dynamicThreshold"])  # None: static clipping
    respacing = str(d["steps"]) if d["sampler"] == "ddpm" else f"ddim{d['steps']}"

    net, cfg, ck = checkpoint.load_net(a.checkpoint, use_ema=a.weights == "ema")
    judge, jck = scorer_mod.load(a.judge)
    sc = scorer_mod.load(a.scorer)[0] if a.scorer else None
    data = EmojiData(a.data, "train")
    subjects = read_subjects(a.data)
    index = {s: i for i, s in enumerate(subjects)}
    missing = [prompt_subjects[p] for p in prompts if prompt_subjects[p] not in index]
    if missing:
        raise SystemExit(f"not training subjects of {a.data}: {missing}")
    st, sm = token_batch([subject_caption(s) for s in subjects], jck["ctx"], jck["vocab"])
    with torch.no_grad():
        subject_emb = judge.text(torch.from_numpy(st), torch.from_numpy(sm))

    vocab, S, L = ck["vocab"], cfg.image_size, cfg.text_ctx
    res = {**checkpoint.provenance(ck), "weights": a.weights, "judge": a.judge, "subjects": len(subjects),
           "sampler": d["sampler"], "steps": d["steps"], "guidance": d["guidance"], "threshold": th,
           "seeds": a.seeds, "candidates": k, "prompts": {}}
    for p_i, prompt in enumerate(prompts):
        t0 = time.time()
        subject = prompt_subjects[prompt]
        target = index[subject]
        toks, masks = (torch.from_numpy(x) for x in token_batch([prompt], L, vocab))
        n = a.seeds * k  # candidate-major: candidate c of shown image i at c * seeds + i
        g = torch.Generator().manual_seed(1000 + p_i)
        x_T = torch.randn(n, 3, S, S, generator=g)
        noises = torch.randn(d["steps"], n, 3, S, S, generator=g) if d["sampler"] == "ddpm" else None
        all_t, all_m = toks.repeat(n, 1), masks.repeat(n, 1)
        imgs = sample_base(net, cfg, all_t, all_m, torch.full_like(all_t, vocab.index(PAD_ID)),
                           torch.zeros_like(all_m), x_T, d["sampler"], respacing, d["guidance"], th, noises=noises)
        row = {"subject": subject, "draws": rates(subject_ranks(judge, imgs, subject_emb, target))}
        if k > 1:
            shown = imgs[best_of_seeds(sc, imgs, toks.repeat(a.seeds, 1), masks.repeat(a.seeds, 1), k)]
            row["shown"] = rates(subject_ranks(judge, shown, subject_emb, target))
        real = real_pictures(data, subject)
        if len(real):
            row["real"] = rates(subject_ranks(judge, torch.from_numpy(data.batch_images(real, S)), subject_emb, target))
        row["seconds"] = round(time.time() - t0, 1)
        print(json.dumps({prompt: row}), flush=True)
        res["prompts"][prompt] = row
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
