"""bfloat16 autocast for training: the choice, and that it stays close to float32."""
import torch

from training.configs import cascade
from training.nn.build import build_net
from training.train import mixed_precision


def test_explicit_choices_are_kept():
    cpu = torch.device("cpu")
    assert mixed_precision("off", cpu) is None
    assert mixed_precision("bf16", cpu) == "bf16"
    assert mixed_precision("auto", cpu) in (None, "bf16")


def test_bf16_autocast_predicts_noise_within_five_percent_of_float32():
    # What training relies on: the forward pass under autocast is float32's up to bfloat16 rounding
    # (8-bit mantissa); a layer left in the wrong precision or a broken cast would be far off.
    torch.manual_seed(0)
    cfg = cascade("s", n_vocab=50).base
    net = build_net(cfg).eval()
    with torch.no_grad():  # GLIDE zero-initialises output convolutions: give them trained-like weights
        for p in net.parameters():
            if p.dim() > 1 and not p.any():
                p.normal_(0, 0.05)
    B, S, L = 4, cfg.image_size, cfg.text_ctx
    x, t = torch.randn(B, 3, S, S), torch.tensor([0.0, 300.0, 700.0, 999.0])
    toks, mask = torch.randint(1, 49, (B, L)), torch.ones(B, L)
    kw = dict(inpaint_image=torch.randn(B, 3, S, S), inpaint_mask=torch.zeros(B, 1, S, S))
    with torch.no_grad():
        ref = net(x, t, toks, mask, **kw)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            low = net(x, t, toks, mask, **kw)
    assert low.dtype == torch.bfloat16  # autocast did run the network in bfloat16
    rel = ((low.float() - ref).norm() / ref.norm()).item()
    assert 0 < rel < 0.05, rel  # 2.3 % here; 0.4 % with the trained base
