"""Start a base network's text encoder from the trained scorer's (a small CLIP-style model).

Why: the diffusion loss gives the text path a weak signal (the prompt only matters at high noise
levels), and in the first CPU run the prompt still moved the predicted noise by only 0.5-4 % after
9k steps. The scorer learns caption-image agreement contrastively in minutes (R-precision 65 % on
real validation images), and its text encoder has the same layout as the base's (GLIDE's
transformer, width 128, 2 layers, 32 tokens, the same compact vocabulary). Copying it gives the
U-Net meaningful per-token features from the first step, as Imagen's frozen text encoder does.

The copy is exact: the base's xf_out equals the scorer's per-token features (final_ln of the
transformer) for every prompt, padding included (GLIDE replaces padded positions with
`padding_embedding`; it is set to the pad token's embedding plus the position's).
"""
import torch

from .pack import PAD_ID

# the text encoder's parameters by GLIDE's names (transformer_proj is not one: it feeds the U-Net)
TEXT_PARAMS = ("token_embedding", "positional_embedding", "padding_embedding", "transformer.", "final_ln")


def init_text_from_scorer(net, scorer, vocab):
    """Copy the scorer's text encoder into `net` (a Text2ImUNet); returns the names it set.

    Raises ValueError naming the first mismatch when the two encoders differ in layout."""
    src = {k[len("text."):]: v for k, v in scorer.state_dict().items() if k.startswith("text.")}
    dst = net.state_dict()
    # padding_embedding has no counterpart in the scorer: it is derived below
    names = sorted({k for k in (*src, *dst) if k.startswith(TEXT_PARAMS)} - {"padding_embedding"})
    for k in names:
        if k not in dst or k not in src:
            raise ValueError(f"text encoder layout differs: {k} is missing in the "
                             f"{'base network' if k not in dst else 'scorer'}")
        if dst[k].shape != src[k].shape:
            raise ValueError(f"text encoder layout differs: {k} is {tuple(src[k].shape)} in the scorer, "
                             f"{tuple(dst[k].shape)} in the base network")
    new = {k: src[k].clone() for k in names}
    if "padding_embedding" in dst:
        pad = src["token_embedding.weight"][vocab.index(PAD_ID)]
        new["padding_embedding"] = (pad[None] + src["positional_embedding"]).clone()
    with torch.no_grad():
        for k, v in new.items():
            dst[k].copy_(v)
    return sorted(new)
