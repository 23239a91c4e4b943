"""Fill (the engine's inpaint, through the command line) on held-out pictures: a box or an ellipse
of each is masked, filled, and compared with the real pixels.

    PYTHONPATH=. python3 training/tools/eval_fill.py --out docs/eval-fill-context0.75.json -- --context 0.75

Arguments after `--` go to every `diffusion-layers inpaint` call (e.g. `--context 0.25 --blend
feather` for the old paste-back). The set, the same on every run: 24 emoji validation pictures
(each filled with an empty prompt, as a removal, and with its caption), 24 crops of the public
domain photographs (empty prompt), all 128 px, one mask each of 28-51 px (seed 0), seed 1.

With `--job insert` each picture's mask is filled with an object it does not show (a red heart,
a cat face, a sun, ... in turn), twice: with `--blend feather`, whose middle is the model's fill as
drawn, and with the arguments after `--`. Reported: the edge step of each, and how far the second
moved the middle of the object (the mask less a band of a quarter of its shorter side) from the
drawing, in levels: a seamless blend that reaches the whole fill tints an object with the colours
around it.

With `--job expand` the same pictures are cut to their centred 80 x 80 and grown back to 128 by
`diffusion-layers expand --by 0.6` (all sides); the new border is what is compared.

Reported per set and prompt: PSNR of the filled pixels against the real ones, and the edge step:
the mean colour step across the mask's edge in the result less that in the real picture (0: as
smooth as the picture there; a seam shows as a positive step).
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

DIRS = [(-1, 0), (1, 0), (0, -1), (0, 1)]


def pictures(data, n_emoji=24, n_photo=24, seed=0):
    """[(set, picture uint8 [128,128,3], caption, mask uint8 [128,128])], the same for a seed."""
    rng = np.random.default_rng(seed)
    out = []
    for name, n in (("emoji", n_emoji), ("pdphotos", n_photo)):
        man = [json.loads(line) for line in open(os.path.join(data, name, "manifest.jsonl"))]
        pool = [m for m in man if m.get("split") == "val"] if name == "emoji" else man
        arr = np.memmap(os.path.join(data, name, "images_128.u8"), dtype=np.uint8, mode="r").reshape(-1, 128, 128, 3)
        for i in rng.choice(len(pool), n, replace=False):
            m = pool[i]
            caption = m["captions"][2] if name == "emoji" else ""
            out.append((name, np.array(arr[m["index"]]), caption))
    result = []
    for k, (name, img, caption) in enumerate(out):
        w, h = rng.integers(28, 52, 2)
        x, y = rng.integers(8, 120 - w), rng.integers(8, 120 - h)
        mask = np.zeros((128, 128), np.uint8)
        if k % 2 == 0:
            mask[y:y + h, x:x + w] = 255
        else:
            yy, xx = np.mgrid[0:128, 0:128]
            mask[((xx - x - w / 2) / (w / 2)) ** 2 + ((yy - y - h / 2) / (h / 2)) ** 2 <= 1] = 255
        result.append((name, img, caption, mask))
    return result


def shifted(a, dy, dx):
    p = np.pad(a, ((1, 1), (1, 1)) + ((0, 0),) * (a.ndim - 2), mode="edge")
    return p[1 + dy:1 + dy + a.shape[0], 1 + dx:1 + dx + a.shape[1]]


def edge_step(img, inside):
    """Mean colour step between each unselected pixel and its selected 4-neighbours."""
    steps = []
    for dy, dx in DIRS:
        pair = (~inside) & shifted(inside, dy, dx)
        steps.append(np.abs(shifted(img, dy, dx)[pair] - img[pair]).mean(1))
    return float(np.concatenate(steps).mean())


def psnr(a, b, inside):
    e = float(((a[inside] - b[inside]) ** 2).mean())
    return 10 * np.log10(255 ** 2 / max(e, 1e-9))


INSERT_PROMPTS = ["a red heart", "a cat face", "a sun", "a blue heart", "a green apple", "a dog face"]


def core(inside):
    """The mask less a band of a quarter of its shorter side along its edge (4-neighbour erosion)."""
    ys, xs = np.nonzero(inside)
    band = max(1, round(0.25 * min(np.ptp(ys) + 1, np.ptp(xs) + 1)))
    out = inside.copy()
    for _ in range(band):
        out = out & shifted(out, 1, 0) & shifted(out, -1, 0) & shifted(out, 0, 1) & shifted(out, 0, -1)
    return out


def insert_rows(a, pics, tmp):
    rows = {}
    for k, (name, img, _caption, mask) in enumerate(pics):
        src, msk = os.path.join(tmp, f"{k}.png"), os.path.join(tmp, f"{k}-mask.png")
        Image.fromarray(img).save(src)
        Image.fromarray(mask).convert("RGB").save(msk)
        prompt = INSERT_PROMPTS[k % len(INSERT_PROMPTS)]
        inside = mask > 127
        real = img.astype(np.float64)
        res = {}
        for kind, extra in (("drawn", ["--blend", "feather"]), ("blend", a.cli_args)):
            out = os.path.join(tmp, f"{k}-{kind}.png")
            subprocess.run(["node", "bin/diffusion-layers.js", "inpaint", "--image", src, "--mask", msk, "-q", "--model", a.model,
                            "--threads", str(a.threads), "--prompt", prompt, "--seed", "1", "--detail", "1", "--out", out, *extra],
                           check=True, stdout=subprocess.DEVNULL)
            res[kind] = np.asarray(Image.open(out).convert("RGB")).astype(np.float64)
        mid = core(inside)
        moved = float(np.abs(res["blend"][mid] - res["drawn"][mid]).mean())
        rows.setdefault(f"{name}/insert", []).append(
            (edge_step(res["drawn"], inside) - edge_step(real, inside), edge_step(res["blend"], inside) - edge_step(real, inside), moved))
    report = {}
    for key, r in rows.items():
        v = np.array(r)
        report[key] = {"pictures": len(r), "edge_step_drawn": round(float(v[:, 0].mean()), 2), "edge_step": round(float(v[:, 1].mean()), 2),
                       "middle_moved": round(float(v[:, 2].mean()), 2)}
        print(f"{key:18s} n={len(r):2d} edge step {v[:, 0].mean():+.1f} as drawn, {v[:, 1].mean():+.1f} blended; middle moved {v[:, 2].mean():.1f} levels")
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="data")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--job", choices=["inpaint", "expand", "insert"], default="inpaint")
    ap.add_argument("cli_args", nargs="*", help="after --: more arguments for every inpaint call")
    a = ap.parse_args()
    rows = {}
    if a.job == "insert":
        with tempfile.TemporaryDirectory() as tmp:
            report = {"job": a.job, "args": a.cli_args, "model": a.model, "rows": insert_rows(a, pictures(a.data), tmp)}
        with open(a.out, "w") as f:
            json.dump(report, f, indent=1)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, img, caption, mask) in enumerate(pictures(a.data)):
            src, msk = os.path.join(tmp, f"{k}.png"), os.path.join(tmp, f"{k}-mask.png")
            if a.job == "expand":
                # the border around the centred 80 px is filled; the mask drawn above is not used
                mask = np.full((128, 128), 255, np.uint8)
                mask[24:104, 24:104] = 0
                Image.fromarray(img[24:104, 24:104]).save(src)
                job = ["expand", "--image", src, "--by", "0.6"]
            else:
                Image.fromarray(img).save(src)
                Image.fromarray(mask).convert("RGB").save(msk)
                job = ["inpaint", "--image", src, "--mask", msk]
            inside = mask > 127
            for prompt_kind, prompt in (("empty", ""), ("caption", caption)):
                if prompt_kind == "caption" and not caption:
                    continue
                out = os.path.join(tmp, f"{k}-{prompt_kind}.png")
                subprocess.run(["node", "bin/diffusion-layers.js", *job, "-q", "--model", a.model, "--threads", str(a.threads),
                                "--prompt", prompt, "--seed", "1", "--detail", "1", "--out", out, *a.cli_args],
                               check=True, stdout=subprocess.DEVNULL)
                res = np.asarray(Image.open(out).convert("RGB")).astype(np.float64)
                assert res.shape == img.shape, f"{out}: {res.shape}, expected {img.shape}"
                real = img.astype(np.float64)
                rows.setdefault(f"{name}/{prompt_kind}", []).append((psnr(res, real, inside), edge_step(res, inside) - edge_step(real, inside)))
    report = {"job": a.job, "args": a.cli_args, "model": a.model, "rows": {}}
    for key, r in rows.items():
        v = np.array(r)
        report["rows"][key] = {"pictures": len(r), "psnr": round(float(v[:, 0].mean()), 2), "edge_step": round(float(v[:, 1].mean()), 2)}
        print(f"{key:18s} n={len(r):2d} PSNR {v[:, 0].mean():.2f} dB, edge step {v[:, 1].mean():+.1f}")
    with open(a.out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
