"""Random-init tiny pack and Python reference outputs for the TypeScript engine's tests.

    python3 -m training.fixtures --out test/fixtures      (needs `npm ci` for the tokenizer)

Everything is seeded; running it twice on the same torch version writes identical files.
"""
import argparse
import base64
import json
import math
import os

import numpy as np
import torch

from .configs import cascade
from .export import example_inputs, export_cascade, torch_outputs
from .nn.build import build_net, count_params
from .pack import PAD_ID, write_pack
from .sample import augment_low_res, sample_base, sample_upsampler
from . import tokens as tok

PROMPTS = ["a red heart", "A Fox Face", "a slice of pizza", "", "a rocket over a rainbow"]
VOCAB_PROMPTS = PROMPTS[:3]  # "rocket"/"rainbow" stay out of the vocabulary: unknown ids
# what the tiny pack claims to draw (prompt suggestions; it draws noise): words of VOCAB_PROMPTS only
TINY_SUBJECTS = ["fox face", "heart", "pizza", "red heart", "slice of pizza"]


def arr(x):
    a = np.ascontiguousarray(np.asarray(x))
    dtype = {np.dtype("float32"): "float32", np.dtype("float64"): "float32", np.dtype("int64"): "int64"}[a.dtype]
    a = a.astype(np.float32 if dtype == "float32" else np.int64)
    return {"dtype": dtype, "shape": list(a.shape), "data": base64.b64encode(a.astype("<" + a.dtype.str[1:]).tobytes()).decode()}


def randomize(net, seed):
    """Random weights everywhere (GLIDE zero-initialises output convs, which would make eps == 0)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in net.named_parameters():
            if p.dim() > 1:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan_in))
            elif "norm" in name or "ln" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g) if name.endswith("weight") else
                        0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.05 * torch.randn(p.shape, generator=g))


def build_tiny(seed=0):
    vocab_ids = sorted({i for ids in tok.encode(VOCAB_PROMPTS) for i in ids} | {PAD_ID})
    cc = cascade("tiny", n_vocab=len(vocab_ids) + 1)
    torch.manual_seed(seed)
    base, up = build_net(cc.base).eval(), build_net(cc.upsampler).eval()
    randomize(base, seed + 1)
    randomize(up, seed + 2)
    return base, up, cc, vocab_ids


def references(base, up, cc, vocab):
    b, u = cc.base, cc.upsampler
    L, S = b.text_ctx, b.image_size
    g = torch.Generator().manual_seed(7)
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    raw = tok.encode(PROMPTS)
    padded = [tok.pad(ids, L) for ids in raw]
    tokens = torch.tensor([tok.remap(t, vocab) for t, _, _ in padded], dtype=torch.long)
    mask = torch.tensor([m for _, m, _ in padded], dtype=torch.float32)
    ref = {"prompts": PROMPTS, "r50k": raw, "truncated": [t for _, _, t in padded],
           "tokens": arr(tokens.numpy()), "mask": arr(mask.numpy())}
    with torch.no_grad():
        xf_proj, xf_out = base.get_text_emb(tokens, mask)
    ref["xf_proj"], ref["xf_out"] = arr(xf_proj), arr(xf_out)
    # one denoiser call per graph on fixed inputs
    for stage, net, cfg in (("base", base, b), ("upsampler", up, u)):
        ins = example_inputs(stage, cfg, b)
        ref[f"{stage}_call"] = {"inputs": {k: arr(v.numpy()) for k, v in ins.items()},
                                "out": arr(torch_outputs(stage, net, cfg, b, ins)[0])}
    cond, uncond = tokens[:1], tokens[3:4]  # "a red heart" vs the empty prompt
    cmask, umask = mask[:1], mask[3:4]
    runs = []

    def run(name, sampler, respacing, guidance=3.0, threshold=None, inpaint=False, eta=0.0, strength=1.0):
        x_T = rn(1, 3, S, S)
        n = int(respacing[4:]) if respacing.startswith("ddim") else 10
        noises = rn(n, 1, 3, S, S)
        img = msk = None
        if inpaint:
            img = torch.tanh(rn(1, 3, S, S))
            msk = torch.zeros(1, 1, S, S)
            msk[..., :, : S // 2] = 1  # keep the left half
        # an img2img start: the inpainting picture itself, else a picture of its own
        init = (img if inpaint else torch.tanh(rn(1, 3, S, S))) if strength < 1 else None
        traj = []
        out = sample_base(base, b, cond, cmask, uncond, umask, x_T, sampler, respacing, guidance, threshold,
                          img, msk, noises, eta, callback=lambda k, total, x0: traj.append(x0.clone()),
                          init_image=init, strength=strength)
        r = {"name": name, "sampler": sampler, "respacing": respacing, "guidance": guidance,
             "dynamicThreshold": threshold, "eta": eta, "prompt": 0, "uncondPrompt": 3,
             "x_T": arr(x_T), "noises": arr(noises), "x0_first": arr(traj[0]), "out": arr(out)}
        if inpaint:
            r["inpaint_image"], r["inpaint_mask"] = arr(img), arr(msk)
        if init is not None:
            r["init_image"], r["strength"] = arr(init), strength
        runs.append(r)

    run("ddim_static", "ddim", "ddim10")
    run("ddim_dynamic", "ddim", "ddim10", threshold=0.995)
    run("ddim_eta1", "ddim", "ddim10", eta=1.0)
    run("dpmpp2m_static", "dpmpp2m", "ddim10")
    run("dpmpp2m_dynamic", "dpmpp2m", "ddim10", threshold=0.9)
    run("ddpm_static", "ddpm", "ddim10")
    run("fast27_ddim", "ddim", "fast27")
    run("inpaint_ddim", "ddim", "ddim10", inpaint=True)
    run("unguided_ddim", "ddim", "ddim10", guidance=1.0)
    ref["base_runs"] = runs

    low = torch.tanh(rn(1, 3, u.low_res_size, u.low_res_size))
    aug_noise, noise = rn(*low.shape), rn(1, 3, u.image_size, u.image_size)
    up_out = sample_upsampler(up, u, low, aug_noise, noise, aug_level=0.2, temperature=0.997, sampler="ddim",
                              respacing="ddim5")
    ref["upsampler_run"] = {"sampler": "ddim", "respacing": "ddim5", "augLevel": 0.2, "temperature": 0.997,
                            "low_res": arr(low), "aug_noise": arr(aug_noise), "noise": arr(noise),
                            "low_res_augmented": arr(augment_low_res(low, 0.2, aug_noise)), "out": arr(up_out)}
    up_cons = sample_upsampler(up, u, low, aug_noise, noise, aug_level=0.2, temperature=0.997, sampler="ddim",
                               respacing="ddim5", consistency=True)
    ref["upsampler_run_consistent"] = {"respacing": "ddim5", "out": arr(up_cons)}
    up_smooth = sample_upsampler(up, u, low, aug_noise, noise, aug_level=0.2, temperature=0.997, sampler="ddim",
                                 respacing="ddim5", consistency=True, consistency_passes=3)
    ref["upsampler_run_smooth"] = {"respacing": "ddim5", "passes": 3, "out": arr(up_smooth)}
    # an img2img start: strength 0.6 of ddim5 keeps 3 steps, from the noised smooth enlargement
    up_start = sample_upsampler(up, u, low, aug_noise, noise, aug_level=0.2, temperature=0.997, sampler="ddim",
                                respacing="ddim5", consistency=True, consistency_passes=3, strength=0.6)
    ref["upsampler_run_strength"] = {"respacing": "ddim5", "passes": 3, "strength": 0.6, "out": arr(up_start)}
    # img2img starts of the base, drawn last so that every reference above keeps its noise:
    # strength 0.6 of ddim10 keeps 6 steps; an inpainting start from its own picture at 0.5
    run("init_ddim", "ddim", "ddim10", strength=0.6)
    run("init_inpaint_dpmpp2m", "dpmpp2m", "ddim10", inpaint=True, strength=0.5)
    return ref


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--out", default="test/fixtures")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)  # bit-stable results
    base, up, cc, vocab = build_tiny()
    graphs = export_cascade(base, up, cc, ("fp32",))
    pack_dir = os.path.join(a.out, "tiny-pack")
    card = {"description": "Random-init tiny cascade for tests; generates noise, not images.", "license": "MIT",
            "subjects": TINY_SUBJECTS, "upsamplerNote": "Random weights: upscaling makes noise, not detail."}
    write_pack(pack_dir, graphs, cc, vocab, name="tiny-random", card=card,
               defaults={"steps": 10, "upsamplerSteps": 5})
    ref = references(base, up, cc, vocab)
    ref["params"] = {"base": count_params(base), "upsampler": count_params(up)}
    with open(os.path.join(a.out, "reference.json"), "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(pack_dir, n)) for n in os.listdir(pack_dir))
    print(f"tiny pack {size / 1e6:.2f} MB ({ref['params']}), reference {os.path.getsize(os.path.join(a.out, 'reference.json')) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
