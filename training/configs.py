"""Model configurations as data. GLIDE's published ones (for the checkpoint-layout test) and ours.

Sizes: `tiny` (random-init test fixture), `s` (CPU-trainable, ~2-4 M parameters per network),
`m` (GPU-trainable, ~15-40 M).
"""
from dataclasses import asdict, dataclass, field, replace
from typing import Optional, Tuple

GPT2_VOCAB = 50257


@dataclass(frozen=True)
class NetConfig:
    kind: str  # "text2im" | "inpaint" | "superres" | "aug_superres"
    image_size: int
    model_channels: int
    num_res_blocks: int
    channel_mult: Tuple[int, ...]
    attention_ds: Tuple[int, ...]  # downsampling factors that get attention
    num_head_channels: int = 64
    dropout: float = 0.0
    use_scale_shift_norm: bool = True
    resblock_updown: bool = True
    text_ctx: int = 128
    xf_width: int = 512
    xf_layers: int = 16
    xf_heads: int = 8
    xf_final_ln: bool = True
    xf_padding: bool = True
    # pooled text vector xf_proj: "last" = the last position's output (GLIDE); "mean" = the mean of
    # the prompt's token outputs and the last position's (the same as "last" for an empty prompt)
    xf_pool: str = "last"
    # GroupNorm groups (GLIDE: 32). Networks narrower than 32 x 2 channels need fewer, or their
    # norms become instance norms that delete the mean colour (see nn.unet.set_norm_groups)
    norm_groups: int = 32
    n_vocab: int = GPT2_VOCAB
    low_res_size: Optional[int] = None  # upsamplers only
    schedule: str = "squaredcos_cap_v2"
    diffusion_steps: int = 1000

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class CascadeConfig:
    name: str
    base: NetConfig
    upsampler: NetConfig
    notes: str = ""
    extra: dict = field(default_factory=dict)


def glide_attention_ds(image_size, resolutions="32,16,8"):
    return tuple(image_size // int(r) for r in resolutions.split(","))


# GLIDE's model_creation.py defaults (base, base_inpaint, upsample).
GLIDE_BASE = NetConfig(kind="text2im", image_size=64, model_channels=192, num_res_blocks=3,
                       channel_mult=(1, 2, 3, 4), attention_ds=glide_attention_ds(64), dropout=0.1)
GLIDE_BASE_INPAINT = replace(GLIDE_BASE, kind="inpaint")
GLIDE_UPSAMPLE = NetConfig(kind="superres", image_size=256, model_channels=192, num_res_blocks=2,
                           channel_mult=(1, 1, 2, 2, 4, 4), attention_ds=glide_attention_ds(256),
                           dropout=0.1, low_res_size=64, schedule="linear")


def ours(name, base_size, mc_base, mc_up, xf_width, xf_layers, ctx, n_vocab, up_blocks=1, base_blocks=2,
         base_mult=(1, 2, 2), up_mult=(1, 1, 2, 2), head_ch=32, norm_groups=32):
    base = NetConfig(kind="inpaint", image_size=base_size, model_channels=mc_base, num_res_blocks=base_blocks,
                     channel_mult=base_mult, attention_ds=(base_size // 16, base_size // 8),
                     num_head_channels=head_ch, text_ctx=ctx, xf_width=xf_width, xf_layers=xf_layers,
                     xf_heads=max(1, xf_width // 64), n_vocab=n_vocab, norm_groups=norm_groups)
    up = NetConfig(kind="aug_superres", image_size=base_size * 4, model_channels=mc_up, num_res_blocks=up_blocks,
                   channel_mult=up_mult, attention_ds=(), num_head_channels=head_ch, text_ctx=ctx, xf_width=0,
                   xf_layers=0, xf_heads=1, xf_final_ln=False, xf_padding=False, n_vocab=n_vocab,
                   low_res_size=base_size, schedule="linear", norm_groups=norm_groups)
    return CascadeConfig(name=name, base=base, upsampler=up)


def cascade(name: str, n_vocab: int = 4096) -> CascadeConfig:
    """Our configurations. `n_vocab` is the compact (remapped) vocabulary size of the pack."""
    if name == "tiny":
        return ours("tiny", 16, 16, 16, 32, 1, 8, n_vocab, up_blocks=1, base_blocks=1, base_mult=(1, 1),
                    up_mult=(1,), head_ch=16)
    if name == "s":
        return ours("s", 32, 32, 32, 128, 2, 32, n_vocab, base_blocks=1, base_mult=(1, 2, 4), up_mult=(1, 1, 2, 2),
                    norm_groups=8)
    if name == "m":
        return ours("m", 64, 96, 64, 384, 4, 32, n_vocab, base_blocks=2, base_mult=(1, 2, 2, 2),
                    up_mult=(1, 1, 2, 2, 4), head_ch=64, norm_groups=16)
    raise ValueError(f"unknown config {name!r}: expected one of tiny, s, m")
