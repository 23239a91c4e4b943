"""Our configurations stay in their size classes (the issue's budget per network)."""
import pytest

from training.configs import cascade
from training.nn.build import build_net, count_params


def unet_params(net):
    text = ("transformer", "token_embedding", "positional_embedding", "padding_embedding", "final_ln", "transformer_proj")
    return sum(p.numel() for k, p in net.named_parameters() if not k.startswith(text))


@pytest.mark.parametrize("name,lo,hi", [("s", 1.5e6, 4.5e6), ("m", 14e6, 40e6)])
def test_size_classes(name, lo, hi):
    cc = cascade(name, n_vocab=4858)
    assert lo <= unet_params(build_net(cc.base)) <= hi
    assert 1e6 <= count_params(build_net(cc.upsampler)) <= hi
    assert cc.upsampler.image_size == 4 * cc.base.image_size == 4 * cc.upsampler.low_res_size


def test_unknown_config_names_the_choices():
    with pytest.raises(ValueError, match="tiny, s, m"):
        cascade("xl")
