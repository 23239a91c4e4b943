import pytest

from training.eval_upsampler import parse_spec


def test_rows_default_to_the_packs_temperature_and_aug_level():
    assert parse_spec("raw:ddim10:1") == {"weights": "raw", "respacing": "ddim10", "consistency": True,
                                          "temperature": 0.997, "aug_level": 0.15}
    assert parse_spec("ema:ddim25:0:0.9")["temperature"] == 0.9
    row = parse_spec("raw:ddim10:1:0.8:0.05")
    assert (row["temperature"], row["aug_level"], row["consistency"]) == (0.8, 0.05, True)


@pytest.mark.parametrize("bad", ["raw:ddim10", "fp16:ddim10:1", "raw:ddim10:yes", "raw:ddim10:1:0.9:0.1:3", "raw:ddim10:1:hot"])
def test_bad_rows_are_refused(bad):
    with pytest.raises(ValueError):
        parse_spec(bad)
