"""Sample sheet for the model card: prompts x seeds (base and upsampled), inpainting and upscaling.

    python3 -m training.grid --base checkpoints/s/base.pt --upsampler checkpoints/s/upsampler.pt --out docs/samples.png
"""
import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from . import checkpoint, scorer as scorer_mod
from .data import EmojiData
from .eval import INSERT_SCALE, best_of_seeds, parse_threshold
from .eval_outpaint import edge_fill
from .pack import DEFAULTS, PAD_ID
from .sample import sample_base, sample_upsampler
from .tokens import batch as token_batch

# the engine's Expand: the new border starts from the picture's edge colour and this share of the
# steps is run (src/inference/expand.ts EXPAND_START_STRENGTH)
EXPAND_START_STRENGTH = 0.9

PROMPTS = ["a red heart", "a fox face", "a slice of pizza", "a rocket", "a rainbow", "a smiling face with sunglasses",
           "a green apple", "a cat face, 3d emoji"]
CELL = 128


def to_pil(x, size=CELL):
    x = F.interpolate(x[None], size=(size, size), mode="nearest")[0] if x.shape[-1] != size else x
    a = ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
    return Image.fromarray(a)


def card_sampling(ap, a):
    """The sampling defaults of --card over pack.DEFAULTS, and the base images drawn per shown image
    (--candidates, else the card's, else 1); more than one needs --scorer, the pack's reranker."""
    defaults = {**DEFAULTS, **(json.load(open(a.card)).get("defaults", {}) if a.card else {})}
    k = a.candidates or defaults.get("candidates", 1)
    if k > 1 and not a.scorer:
        ap.error(f"{k} candidates need --scorer (the pack's reranker) to choose among them")
    return defaults, k


def upsample(up, ucfg, low, seed, consistency=False, known_image=None, known_mask=None, defaults=DEFAULTS):
    """Upsample with a pack's sampling defaults (pack.DEFAULTS, or a card's merged over them)."""
    g = torch.Generator().manual_seed(seed)
    aug = torch.randn(low.shape, generator=g)
    noise = torch.randn(low.shape[0], 3, ucfg.image_size, ucfg.image_size, generator=g)
    return sample_upsampler(up, ucfg, low, aug, noise, aug_level=defaults["augLevel"],
                            temperature=defaults["upsamplerTemperature"], respacing=f"ddim{defaults['upsamplerSteps']}",
                            known_image=known_image, known_mask=known_mask, consistency=consistency,
                            consistency_passes=defaults.get("upsamplerConsistencyPasses", 0))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="checkpoints/s/base.pt")
    ap.add_argument("--upsampler", default="checkpoints/s/upsampler.pt")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--out", default="docs/samples.png")
    ap.add_argument("--guidance", type=float, default=3.0)
    ap.add_argument("--steps", type=int, default=25)
    ap.add_argument("--sampler", default="dpmpp2m", choices=["ddim", "dpmpp2m", "ddpm"])
    ap.add_argument("--threshold", type=parse_threshold, default=None,
                    help="x0 thresholding: a dynamic-thresholding percentile in (0, 1] or 'static' (the default)")
    ap.add_argument("--upsampler-weights", choices=["ema", "raw"], default="ema")
    ap.add_argument("--consistency", action="store_true", help="upsampler low-res consistency")
    ap.add_argument("--card", default=None,
                    help="pack card (models/card.json) whose upsampler defaults to draw with; pack.DEFAULTS otherwise")
    ap.add_argument("--candidates", type=int, default=None,
                    help="base images drawn per cell, the scorer keeps the best (the engine's `candidates`); "
                         "default the card's, else 1")
    ap.add_argument("--scorer", default=None, help="the pack's reranker (a scorer checkpoint), needed for --candidates > 1")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    defaults, k = card_sampling(ap, a)
    respacing = f"ddim{a.steps}" if a.sampler != "ddpm" else str(a.steps)
    torch.set_num_threads(a.threads)
    base, bcfg, bck = checkpoint.load_net(a.base)
    up, ucfg, _ = checkpoint.load_net(a.upsampler, use_ema=a.upsampler_weights == "ema")
    vocab, S, L = bck["vocab"], bcfg.image_size, bcfg.text_ctx
    seeds = 4
    toks, masks = token_batch(PROMPTS, L, vocab)
    toks, masks = torch.from_numpy(toks).repeat_interleave(seeds, 0), torch.from_numpy(masks).repeat_interleave(seeds, 0)
    # k candidates per cell, candidate-major (candidate c of cell i at c * cells + i)
    all_toks, all_masks = toks.repeat(k, 1), masks.repeat(k, 1)
    empty = torch.full_like(all_toks, vocab.index(PAD_ID))
    x_T = torch.randn(len(all_toks), 3, S, S, generator=torch.Generator().manual_seed(0))
    noises = torch.randn(a.steps, *x_T.shape, generator=torch.Generator().manual_seed(7))
    low = sample_base(base, bcfg, all_toks, all_masks, empty, torch.zeros_like(all_masks), x_T, a.sampler,
                      respacing, a.guidance, a.threshold, noises=noises)
    if k > 1:  # each cell shows the scorer's best of its k candidates
        sc, _ = scorer_mod.load(a.scorer)
        low = low[best_of_seeds(sc, low, toks, masks, k)]
    high = upsample(up, ucfg, low, 1, a.consistency, defaults=defaults)
    rows = len(PROMPTS) + 3
    sheet = Image.new("RGB", (CELL * 8 + 200, CELL * rows), "white")
    draw = ImageDraw.Draw(sheet)
    for r, p in enumerate(PROMPTS):
        draw.text((4, r * CELL + CELL // 2), p, fill="black")
        for s in range(seeds):
            sheet.paste(to_pil(low[r * seeds + s]), (200 + s * CELL, r * CELL))
            sheet.paste(to_pil(high[r * seeds + s]), (200 + (4 + s) * CELL, r * CELL))
    # inpainting: validation images with a centre box filled from a prompt, the box at the share of the
    # network's input that the engine gives a selection (its 25 % context margin)
    val = EmojiData(a.data, "val")
    picks = [i for i in val.index if val.records[i]["background"] != "white"][:2]
    img = torch.from_numpy(val.batch_images(np.array(picks), S))
    keep = torch.ones(2, 1, S, S)
    side = round(INSERT_SCALE * S)
    y0 = (S - side) // 2
    keep[..., y0:y0 + side, y0:y0 + side] = 0

    def inpaint_row(r, label, img, keep, prompts, noise_seeds, start=None, strength=1.0):
        """Two cells of four: source, what the network keeps, its fill (base), the fill upsampled.
        start, strength: an img2img start of the base (sample.image_start)."""
        t2, m2 = token_batch(prompts, L, vocab)
        t2, m2 = torch.from_numpy(t2), torch.from_numpy(m2)
        x_T2 = torch.randn(2, 3, S, S, generator=torch.Generator().manual_seed(noise_seeds[0]))
        filled = sample_base(base, bcfg, t2, m2, torch.full_like(t2, vocab.index(PAD_ID)), torch.zeros_like(m2), x_T2,
                             a.sampler, respacing, a.guidance, a.threshold, inpaint_image=img, inpaint_mask=keep,
                             noises=torch.randn(a.steps, *x_T2.shape, generator=torch.Generator().manual_seed(noise_seeds[1])),
                             init_image=start, strength=strength)
        known_hi = F.interpolate(img, size=(ucfg.image_size,) * 2, mode="bicubic", align_corners=False).clamp(-1, 1)
        keep_hi = F.interpolate(keep, size=(ucfg.image_size,) * 2, mode="nearest")
        filled_hi = upsample(up, ucfg, filled, noise_seeds[2], a.consistency, known_image=known_hi, known_mask=keep_hi,
                             defaults=defaults)
        draw.text((4, r * CELL + 40), label, fill="black")
        for k in range(2):
            sheet.paste(to_pil(img[k]), (200 + k * 4 * CELL, r * CELL))
            sheet.paste(to_pil(img[k] * keep[k]), (200 + (k * 4 + 1) * CELL, r * CELL))
            sheet.paste(to_pil(filled[k]), (200 + (k * 4 + 2) * CELL, r * CELL))
            sheet.paste(to_pil(filled_hi[k]), (200 + (k * 4 + 3) * CELL, r * CELL))

    r = len(PROMPTS)
    inpaint_row(r, "inpaint: source, masked,\nresult (base), result (up)\n'a red heart', 'a rocket'", img, keep,
                ["a red heart", "a rocket"], (5, 8, 6))
    # outpainting, as Expand does it: the picture kept in the middle (2/3 of each side), the frame
    # around it filled with an empty prompt, starting from the kept picture's edge colour at
    # Expand's default strength; sake on white, a poultry leg on orange (3d style)
    def record(label, background):
        return next(i for i in val.index if val.records[i]["label"] == label and val.records[i]["style"] == "3d"
                    and (val.records[i]["background"] == "white") == (background == "white"))

    picks = [record("sake", "white"), record("poultry leg", "colour")]
    img = torch.from_numpy(val.batch_images(np.array(picks), S))
    keep = torch.zeros(2, 1, S, S)
    keep[..., y0:y0 + side, y0:y0 + side] = 1
    r += 1
    inpaint_row(r, f"expand: source, kept,\nresult (base), result (up)\nempty prompt, from the\nedge colour at {EXPAND_START_STRENGTH}",
                img, keep, ["", ""], (9, 10, 11), start=edge_fill(img, keep), strength=EXPAND_START_STRENGTH)
    # upscaling: validation 32 px -> bicubic vs ours vs ground truth
    picks = [i for i in val.index if val.records[i]["background"] == "white"][10:12]
    lo = torch.from_numpy(val.batch_images(np.array(picks), S))
    hi_true = torch.from_numpy(val.batch_images(np.array(picks), ucfg.image_size))
    ours = upsample(up, ucfg, lo, 2, a.consistency, defaults=defaults)
    bic = F.interpolate(lo, size=(ucfg.image_size,) * 2, mode="bicubic", align_corners=False)
    r += 1
    draw.text((4, r * CELL + 40), "upscale: 32 px input,\nbicubic, ours, original", fill="black")
    for k in range(2):
        for j, im in enumerate([lo[k], bic[k], ours[k], hi_true[k]]):
            sheet.paste(to_pil(im), (200 + (k * 4 + j) * CELL, r * CELL))
    sheet.save(a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
