import pytest

from training.eval_upsampler import parse_spec


def test_rows_default_to_the_packs_temperature_and_aug_level():
    assert parse_spec("raw:ddim10:1") == {"weights": "raw", "respacing": "ddim10", "consistency": True,
                                          "temperature": 0.997, "aug_level": 0.15, "passes": 0,
                                          "strength": 1.0}
    assert parse_spec("ema:ddim25:0:0.9")["temperature"] == 0.9
    row = parse_spec("raw:ddim10:1:0.8:0.05")
    assert (row["temperature"], row["aug_level"], row["consistency"]) == (0.8, 0.05, True)
    assert parse_spec("raw:ddim10:1:0.8:0.05:4")["passes"] == 4
    assert parse_spec("raw:ddim10:1:0.8:0.05:4:0.4")["strength"] == 0.4


@pytest.mark.parametrize("bad", ["raw:ddim10", "fp16:ddim10:1", "raw:ddim10:yes", "raw:ddim10:1:0.9:0.1:x", "raw:ddim10:1:0.9:0.1:3:1:1",
                                 "raw:ddim10:1:0.9:0.1:3:0", "raw:ddim10:1:0.9:0.1:3:1.5",
                                 "raw:ddim10:1:hot"])
def test_bad_rows_are_refused(bad):
    with pytest.raises(ValueError):
        parse_spec(bad)


def test_sheet_places_each_row_of_images_at_its_own_size(tmp_path):
    import numpy as np
    import torch
    from PIL import Image

    from training.eval_upsampler import save_sheet

    red = torch.tensor([1.0, -1.0, -1.0]).view(1, 3, 1, 1).expand(2, 3, 4, 4)
    grey = torch.zeros(3, 3, 4, 4)  # [-1, 1] -> 0 is mid grey
    save_sheet([red, grey], tmp_path / "sheet.png")
    a = np.asarray(Image.open(tmp_path / "sheet.png"))
    assert a.shape == (8, 12, 3)  # 2 rows of 4 px, the longest row 3 images wide
    assert (a[:4, :8] == [255, 0, 0]).all()
    assert (a[:4, 8:] == 255).all()  # the short row leaves white
    assert (a[4:, :] == 128).all()


def test_a_strength_pair_is_parsed_and_checked():
    assert parse_spec("raw:ddim10:1:0.997:0.05:4:0.3/1")["strength"] == (0.3, 1.0)
    for bad in ("0.3/0", "0.3/1.5", "0.3/", "/1"):
        with pytest.raises(ValueError):
            parse_spec(f"raw:ddim10:1:0.997:0.05:4:{bad}")


def test_a_strength_pair_gives_each_image_its_kinds_strength_and_its_own_noise(monkeypatch):
    import numpy as np
    import torch

    import training.eval_upsampler as ev

    def fake(net, cfg, lo, aug_noise, noise, strength, **kw):  # a per-image function of everything it is given
        return noise * strength + lo.mean(dim=(1, 2, 3), keepdim=True) + aug_noise.mean(dim=(1, 2, 3), keepdim=True)

    monkeypatch.setattr(ev, "sample_upsampler", fake)
    rng = np.random.default_rng(0)
    flat = np.full((1, 3, 32, 32), 0.5, np.float32)  # one colour: art
    grain = (rng.integers(0, 256, (2, 3, 32, 32)) / 127.5 - 1).astype(np.float32)  # photographs
    lo = torch.from_numpy(np.concatenate([grain[:1], flat, grain[1:]]))
    aug, noise = torch.randn(3, 3, 32, 32), torch.randn(3, 3, 128, 128)
    out, photo_share = ev.upsample_rows(None, None, lo, aug, noise, (0.3, 1.0))
    assert photo_share == round(2 / 3, 3)
    for i, s in enumerate((0.3, 1.0, 0.3)):
        assert torch.allclose(out[i:i + 1], fake(None, None, lo[i:i + 1], aug[i:i + 1], noise[i:i + 1], s))
    one, share = ev.upsample_rows(None, None, lo, aug, noise, 0.5)  # a single strength: one batch, no share
    assert share is None and torch.equal(one, fake(None, None, lo, aug, noise, 0.5))
