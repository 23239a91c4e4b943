"""GLIDE's published checkpoints must load strict into our classes at GLIDE's own configs.

Independent reference: the parameter totals of glide-text2im's model_creation defaults
(base 385,030,726; upsampler 398,361,286) and key shapes read off its code.
"""
import pytest
import torch

from training.configs import GLIDE_BASE, GLIDE_BASE_INPAINT, GLIDE_UPSAMPLE
from training.nn.build import build_net, count_params


@pytest.fixture(scope="module")
def glide_base():
    return build_net(GLIDE_BASE)


def test_base_parameter_count(glide_base):
    assert count_params(glide_base) == 385_030_726


def test_upsampler_parameter_count():
    assert count_params(build_net(GLIDE_UPSAMPLE)) == 398_361_286


def test_inpaint_adds_only_input_channels():
    # the inpainting base differs from the base only in its 7-channel input conv (+6,912 weights)
    sd = build_net(GLIDE_BASE_INPAINT).state_dict()
    assert sd["input_blocks.0.0.weight"].shape == (192, 7, 3, 3)
    assert sum(v.numel() for v in sd.values()) == 385_030_726 + 192 * 4 * 9


EXPECTED_BASE_SHAPES = {
    "time_embed.0.weight": (768, 192),
    "time_embed.2.weight": (768, 768),
    "input_blocks.0.0.weight": (192, 3, 3, 3),
    "input_blocks.1.0.in_layers.0.weight": (192,),
    "input_blocks.1.0.emb_layers.1.weight": (384, 768),  # scale-shift norm: 2 * out channels
    "input_blocks.1.0.out_layers.3.weight": (192, 192, 3, 3),
    "input_blocks.4.0.in_layers.2.weight": (192, 192, 3, 3),  # down ResBlock (resblock_updown)
    "input_blocks.5.1.qkv.weight": (1152, 384, 1),  # attention at 32 px (ds 2)
    "input_blocks.5.1.encoder_kv.weight": (768, 512, 1),
    "input_blocks.5.1.proj_out.weight": (384, 384, 1),
    "input_blocks.5.0.skip_connection.weight": (384, 192, 1, 1),
    "middle_block.1.encoder_kv.weight": (1536, 512, 1),
    "output_blocks.0.0.in_layers.2.weight": (768, 1536, 3, 3),
    "output_blocks.3.2.in_layers.2.weight": (768, 768, 3, 3),  # up ResBlock
    "out.0.weight": (192,),
    "out.2.weight": (6, 192, 3, 3),
    "token_embedding.weight": (50257, 512),
    "positional_embedding": (128, 512),
    "padding_embedding": (128, 512),
    "transformer.resblocks.15.attn.c_qkv.weight": (1536, 512),
    "transformer.resblocks.15.attn.c_proj.weight": (512, 512),
    "transformer.resblocks.15.mlp.c_fc.weight": (2048, 512),
    "transformer.resblocks.15.mlp.c_proj.weight": (512, 2048),
    "transformer.resblocks.15.ln_2.weight": (512,),
    "final_ln.weight": (512,),
    "transformer_proj.weight": (768, 512),
}


def test_base_key_shapes(glide_base):
    sd = glide_base.state_dict()
    for k, shape in EXPECTED_BASE_SHAPES.items():
        assert tuple(sd[k].shape) == shape, k
    assert "transformer.resblocks.16.ln_1.weight" not in sd  # 16 layers: 0..15
    # 1 input conv + 4 levels x 3 res blocks + 3 downsamples
    assert max(int(k.split(".")[1]) for k in sd if k.startswith("input_blocks")) == 15
    assert max(int(k.split(".")[1]) for k in sd if k.startswith("output_blocks")) == 15


def test_strict_round_trip(glide_base):
    # a checkpoint written from this layout loads strict into a freshly built model
    fresh = build_net(GLIDE_BASE)
    missing = fresh.load_state_dict(glide_base.state_dict(), strict=True)
    assert not missing.missing_keys and not missing.unexpected_keys


def test_upsampler_shapes():
    sd = build_net(GLIDE_UPSAMPLE).state_dict()
    assert sd["input_blocks.0.0.weight"].shape == (192, 6, 3, 3)
    assert sd["out.2.weight"].shape == (6, 192, 3, 3)
    # channel_mult (1,1,2,2,4,4) -> deepest 768 channels
    assert sd["middle_block.0.in_layers.2.weight"].shape == (768, 768, 3, 3)
    with torch.no_grad():
        pass
