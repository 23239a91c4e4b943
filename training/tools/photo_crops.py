"""Photo crops in the dataset layout, to measure the upsampler on photographs or to train it on them.

    apt-get install mate-backgrounds     # Debian: 12 nature photos (GPL-2+; used here only to measure)
    python3 training/tools/photo_crops.py --src /usr/share/backgrounds/mate/nature --out data/photos
    python3 -m training.eval_upsampler --data data/photos --n 64 --configs raw:ddim10:1:0.997:0.05

    # public-domain and CC0 photos (training/tools/pd_photos.json lists them), for training
    python3 training/tools/photo_crops.py --src <folder of them> --out data/pdphotos --split train \
        --licences training/tools/pd_photos.json --scales 0.75,0.5 --crops 150

Each photo is scaled (Lanczos) so that its shorter side is --side pixels, or by each of --scales
(fractions of its own size: downscaling only, so the crops are as sharp as the photo allows, and
JPEG blocks shrink away), and --crops squares of the largest size are cut at seeded random places
(per scale). Each smaller size is the area mean of the largest, as
the emoji builder makes its sizes (docs/dataset.md), so the upsampler sees a photo the way it sees an
emoji. Writes manifest.jsonl (every record in --split, 'val' unless told, with its source file) and
images_<size>.u8 like training/dataset/build.mjs, so training.data.EmojiData reads it unchanged.
Training crops need --licences: a JSON object naming each photo's licence and credit, which every
record then carries; a photo missing from it, or under a licence outside TRAINABLE_LICENCES, stops
the run before anything is written.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image

EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# what we train on: no ShareAlike, non-commercial, no-derivatives or copyleft terms (docs/dataset.md)
TRAINABLE_LICENCES = ("public domain", "CC0-1.0", "no known copyright restrictions", "CC-BY-4.0", "CC-BY-3.0")


def area_downsample(img, factor):
    """[S, S, 3] uint8 -> [S/f, S/f, 3] uint8: the mean of each f x f block, rounded."""
    s = img.shape[0] // factor
    blocks = img.astype(np.float64).reshape(s, factor, s, factor, 3).mean(axis=(1, 3))
    return np.round(blocks).astype(np.uint8)


def parse_sizes(ap, text):
    """'32,128' -> [32, 128], ascending; an argparse error unless each divides the largest (the
    smaller sizes are area means of the largest)."""
    sizes = sorted({int(s) for s in text.split(",")})
    if any(sizes[-1] % s for s in sizes):
        ap.error(f"--sizes: each must divide {sizes[-1]}")
    return sizes


def licences_for(ap, path, files, split):
    """{file: {"license", "credit"}} for every photo, read from --licences; an argparse error for
    training crops without one, or with a photo it does not list or whose licence we cannot train on."""
    if path is None:
        if split == "train":
            ap.error("--split train needs --licences: every training photo's licence must be known")
        return {}
    with open(path) as fh:
        table = json.load(fh)
    missing = [f for f in files if f not in table]
    if missing:
        ap.error(f"--licences {path} does not list: {', '.join(missing)}")
    if split == "train":
        bad = [f"{f} ({table[f].get('license')})" for f in files if table[f].get("license") not in TRAINABLE_LICENCES]
        if bad:
            ap.error(f"not trainable ({', '.join(TRAINABLE_LICENCES)} only): {', '.join(bad)}")
    return {f: {"license": table[f].get("license"), "credit": table[f].get("credit")} for f in files}


def crops_of(photo, side, size, n, rng, scale=None):
    """n random size x size crops of `photo` (PIL, RGB) after scaling its shorter side to `side`,
    or by `scale` where given."""
    w, h = photo.size
    scale = scale if scale is not None else side / min(w, h)
    scaled = np.asarray(photo.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.LANCZOS))
    H, W = scaled.shape[:2]
    out = []
    for _ in range(n):
        y, x = int(rng.integers(0, H - size + 1)), int(rng.integers(0, W - size + 1))
        out.append(scaled[y:y + size, x:x + size])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", required=True, help="folder of photos")
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="32,128", help="output sizes; each must divide the largest")
    ap.add_argument("--side", type=int, default=512, help="shorter side of each photo before cropping")
    ap.add_argument("--scales", default=None,
                    help="instead of --side: comma-separated factors in (0, 1] of each photo's own size")
    ap.add_argument("--crops", type=int, default=6, help="crops per photo (per scale with --scales)")
    ap.add_argument("--split", choices=["train", "val"], default="val",
                    help="the split every record is in: val to measure, train to train on")
    ap.add_argument("--licences", default=None,
                    help="JSON {file: {license, credit}}; required with --split train (see the docstring)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    sizes = parse_sizes(ap, a.sizes)
    scales = [float(v) for v in a.scales.split(",")] if a.scales else [None]
    if a.scales and not all(0 < v <= 1 for v in scales):
        ap.error("--scales: each factor must be in (0, 1]: downscaling only")
    big = sizes[-1]
    files = sorted(f for f in os.listdir(a.src) if f.lower().endswith(EXTENSIONS))
    if not files:
        raise SystemExit(f"no photos ({', '.join(EXTENSIONS)}) in {a.src}")
    licences = licences_for(ap, a.licences, files, a.split)
    rng = np.random.default_rng(a.seed)
    crops, records = [], []
    for f in files:
        with Image.open(os.path.join(a.src, f)) as im:
            photo = im.convert("RGB")
            for scale in scales:
                for c in crops_of(photo, a.side, big, a.crops, rng, scale):
                    records.append({"index": len(records), "id": f"photo/{f}/{len(crops)}", "file": f,
                                    "split": a.split, "source": a.src, **licences.get(f, {})})
                    crops.append(c)
    os.makedirs(a.out, exist_ok=True)
    stack = np.stack(crops)
    for s in sizes:
        imgs = stack if s == big else np.stack([area_downsample(c, big // s) for c in stack])
        imgs.tofile(os.path.join(a.out, f"images_{s}.u8"))
    with open(os.path.join(a.out, "manifest.jsonl"), "w") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    print(f"wrote {len(records)} crops of {len(files)} photos to {a.out}")


if __name__ == "__main__":
    main()
