"""Build a network from a NetConfig."""
from ..configs import NetConfig
from .unet import set_norm_groups
from .text2im import AugSuperResUNet, InpaintText2ImUNet, SuperResText2ImUNet, Text2ImUNet

CLASSES = {
    "text2im": Text2ImUNet,
    "inpaint": InpaintText2ImUNet,
    "superres": SuperResText2ImUNet,
    "aug_superres": AugSuperResUNet,
}


def build_net(cfg: NetConfig):
    if cfg.kind not in CLASSES:
        raise ValueError(f"NetConfig.kind {cfg.kind!r}: expected one of {sorted(CLASSES)}")
    net = CLASSES[cfg.kind](
        text_ctx=cfg.text_ctx, xf_width=cfg.xf_width, xf_layers=cfg.xf_layers, xf_heads=cfg.xf_heads,
        xf_final_ln=cfg.xf_final_ln, n_vocab=cfg.n_vocab, xf_padding=cfg.xf_padding, xf_pool=cfg.xf_pool,
        in_channels=3, model_channels=cfg.model_channels, out_channels=6, num_res_blocks=cfg.num_res_blocks,
        attention_resolutions=cfg.attention_ds, dropout=cfg.dropout, channel_mult=cfg.channel_mult,
        num_heads=1, num_head_channels=cfg.num_head_channels, use_scale_shift_norm=cfg.use_scale_shift_norm,
        resblock_updown=cfg.resblock_updown,
    )
    return set_norm_groups(net, cfg.norm_groups)


def count_params(model) -> int:
    return sum(p.numel() for p in model.parameters())
