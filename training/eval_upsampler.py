"""Upsampler vs bicubic on validation images (32 -> 128 px for config s).

    python3 -m training.eval_upsampler --checkpoint checkpoints/s/upsampler.pt --n 64

Reports PSNR against the original 128 px image and a sharpness ratio: mean gradient magnitude
of the result divided by that of the original (1.0 = as sharp as the original; bicubic is blurrier).
"""
import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import checkpoint
from .content import content_kind
from .data import EmojiData
from .grid import to_pil
from .pack import DEFAULTS
from .sample import kept_steps, sample_upsampler


def psnr(a, b):
    mse = ((a.clamp(-1, 1) - b) ** 2).mean(dim=(1, 2, 3)) / 4  # [-1,1] -> [0,1] scale
    return (10 * torch.log10(1 / mse)).mean().item()


def grad_energy(x):
    gx, gy = x[..., :, 1:] - x[..., :, :-1], x[..., 1:, :] - x[..., :-1, :]
    return (gx.abs().mean(dim=(1, 2, 3)) + gy.abs().mean(dim=(1, 2, 3))).mean().item()


def parse_spec(spec):
    """'raw:ddim10:1:0.9:0.1:4:0.4' -> dict; temperature and aug_level default to the pack's (pack.DEFAULTS),
    the smooth consistency passes (pack key upsamplerConsistencyPasses) to 0, the img2img strength
    (sample.upsampler_start; 1: from pure noise) to 1. A strength "P/G" (e.g. "0.3/1") picks per image by
    content, as the engine does for a pack whose upscaleStrength is {photo: P, graphic: G} (content.py)."""
    parts = spec.split(":")
    if (not 3 <= len(parts) <= 7 or parts[0] not in ("ema", "raw") or parts[2] not in ("0", "1")
            or (len(parts) >= 6 and not parts[5].isdigit())):
        raise ValueError(f"bad row {spec!r}: want weights(ema|raw):respacing:consistency(0|1)"
                         "[:temperature[:aug_level[:passes[:strength]]]]")
    pack_values = [DEFAULTS["upsamplerTemperature"], DEFAULTS["augLevel"]]
    extra = [float(v) for v in parts[3:5]] + pack_values[len(parts[3:5]):]
    strength = parse_strength(parts[6]) if len(parts) == 7 else 1.0
    for s in strength if isinstance(strength, tuple) else (strength,):
        kept_steps(s, 1)  # validates it
    return {"weights": parts[0], "respacing": parts[1], "consistency": parts[2] == "1",
            "temperature": extra[0], "aug_level": extra[1], "passes": int(parts[5]) if len(parts) >= 6 else 0,
            "strength": strength}


def parse_strength(text):
    """'0.3' -> 0.3; '0.3/1' -> (0.3, 1.0): photo, graphic."""
    if "/" in text:
        photo, graphic = text.split("/")
        return float(photo), float(graphic)
    return float(text)


def upsample_rows(up, cfg, lo, noise_lo, noise_hi, strength, **kw):
    """sample_upsampler over a batch; with a (photo, graphic) strength each image gets its kind's,
    with the noise it would get in a fixed-strength row. Returns (images, share judged photographs)."""
    if not isinstance(strength, tuple):
        return sample_upsampler(up, cfg, lo, noise_lo, noise_hi, strength=strength, **kw), None
    u8 = ((lo.permute(0, 2, 3, 1) + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
    photo = torch.tensor([content_kind(im) == "photo" for im in u8])
    out = torch.empty_like(noise_hi)
    for mask, s in ((photo, strength[0]), (~photo, strength[1])):
        if mask.any():
            out[mask] = sample_upsampler(up, cfg, lo[mask], noise_lo[mask], noise_hi[mask], strength=s, **kw)
    return out, round(photo.float().mean().item(), 3)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", default="checkpoints/s/upsampler.pt")
    ap.add_argument("--data", default="data/emoji")
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--configs", default="ema:ddim10:0,raw:ddim10:0,raw:ddim10:1,raw:ddim25:1",
                    help="weights:respacing:consistency[:temperature[:aug_level[:passes[:strength]]]], comma separated "
                         "(training.pack.DEFAULTS when omitted: 0.997, 0.15; the default pack's card uses aug_level 0.05); "
                         "strength is a number in (0, 1] or photo/graphic, e.g. 0.3/1, chosen per image by content")
    ap.add_argument("--scale", type=float, default=None,
                    help="measure an upscale by less than the upsampler's factor, as the engine's UpscaleRequest.scale: "
                         "its result and the original shrunk by area averaging to low-res size x scale, bicubic enlarged to it")
    ap.add_argument("--out", default=None)
    ap.add_argument("--sheet", default=None,
                    help="PNG to look at: the original, bicubic and one row per config, first 8 images")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    val = EmojiData(a.data, "val")
    nets = {}  # weights ("ema" or "raw") -> (net, cfg, checkpoint), loaded once for all rows
    lo = hi = None
    rows, sheet_rows = [], []
    for spec in a.configs.split(","):
        row_spec = parse_spec(spec)
        weights, respacing, cons = row_spec["weights"], row_spec["respacing"], row_spec["consistency"]
        if weights not in nets:
            nets[weights] = checkpoint.load_net(a.checkpoint, use_ema=weights == "ema")
        up, cfg, ck = nets[weights]
        if lo is None:  # the same images for every row
            idx = np.random.default_rng(0).choice(val.index, size=min(a.n, len(val.index)), replace=False)
            lo = torch.from_numpy(val.batch_images(idx, cfg.low_res_size))
            hi = torch.from_numpy(val.batch_images(idx, cfg.image_size))
        g = torch.Generator().manual_seed(0)  # and the same noise
        ours, photo_share = upsample_rows(up, cfg, lo, torch.randn(lo.shape, generator=g), torch.randn(hi.shape, generator=g),
                                          row_spec["strength"], respacing=respacing, consistency=cons,
                                          consistency_passes=row_spec["passes"], temperature=row_spec["temperature"],
                                          aug_level=row_spec["aug_level"])
        if photo_share is not None:  # JSON rows say "0.3/1" and how many images took the photo strength
            row_spec = {**row_spec, "strength": "/".join(f"{s:g}" for s in row_spec["strength"]), "photo_share": photo_share}
        target = hi
        if a.scale is not None:
            size = round(lo.shape[-1] * a.scale)
            ours = F.interpolate(ours.clamp(-1, 1), size=(size, size), mode="area")
            target = F.interpolate(hi, size=(size, size), mode="area")
            row_spec = {**row_spec, "scale": a.scale}
        bic = F.interpolate(lo, size=target.shape[-2:], mode="bicubic", align_corners=False).clamp(-1, 1)
        ref = grad_energy(target)
        row = {**row_spec, "sampler": "ddim",
               "images": len(idx), "psnr_ours": round(psnr(ours, target), 2), "psnr_bicubic": round(psnr(bic, target), 2),
               "sharpness_ours": round(grad_energy(ours) / ref, 3), "sharpness_bicubic": round(grad_energy(bic) / ref, 3)}
        print(json.dumps(row), flush=True)
        rows.append(row)
        sheet_rows += [target[:8], bic[:8]] if not sheet_rows else []
        sheet_rows.append(ours[:8])
    if a.out:
        json.dump({"step": int(ck.get("step", 0)), "rows": rows}, open(a.out, "w"), indent=1)
    if a.sheet:
        save_sheet(sheet_rows, a.sheet)


def save_sheet(image_rows, path):
    """Rows of [-1, 1] image batches, side by side at their own size, as one PNG."""
    size = image_rows[0].shape[-1]
    sheet = Image.new("RGB", (size * max(len(r) for r in image_rows), size * len(image_rows)), "white")
    for y, row in enumerate(image_rows):
        for x, img in enumerate(row):
            sheet.paste(to_pil(img, size), (x * size, y * size))
    sheet.save(path)


if __name__ == "__main__":
    main()
