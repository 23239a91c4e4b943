"""Photo crops for the upsampler's photo measurement: the dataset layout and the area means."""
import numpy as np
from PIL import Image

from training.data import EmojiData
from training.tests.layout import assert_small_sizes_are_area_means
from training.tools.photo_crops import area_downsample, main


def test_area_downsample_is_the_rounded_block_mean():
    img = np.zeros((4, 4, 3), np.uint8)
    img[:2, :2] = [10, 20, 30]
    img[:2, 2:] = [[0, 0, 0], [1, 1, 1]]  # two 0s and two 1s: mean 0.5 rounds to 0 (half to even)
    img[2:, :2] = [255, 255, 255]
    img[2:, 2:, 0] = [[1, 2], [3, 4]]  # mean 2.5 -> 2
    out = area_downsample(img, 2)
    assert out.shape == (2, 2, 3)
    assert out[0, 0].tolist() == [10, 20, 30]
    assert out[0, 1].tolist() == [0, 0, 0]
    assert out[1, 0].tolist() == [255, 255, 255]
    assert out[1, 1, 0] == 2


def test_main_writes_val_records_whose_small_size_is_the_area_mean_of_the_large(tmp_path):
    src = tmp_path / "photos"
    src.mkdir()
    rng = np.random.default_rng(0)
    for name, (w, h) in {"a.png": (300, 200), "b.jpg": (200, 260)}.items():
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(src / name)
    (src / "notes.txt").write_text("not a photo")
    out = tmp_path / "out"
    main(["--src", str(src), "--out", str(out), "--sizes", "32,128", "--side", "160", "--crops", "3"])
    data = EmojiData(str(out), "val")
    assert len(data.index) == 6 and len(EmojiData(str(out), "train").index) == 0
    assert [r["file"] for r in data.records] == ["a.png"] * 3 + ["b.jpg"] * 3
    # and the crops differ (random places in random pictures)
    assert_small_sizes_are_area_means(data, 6)


def test_scales_shrink_each_photo_by_its_own_size_and_records_go_to_the_asked_split(tmp_path):
    src = tmp_path / "photos"
    src.mkdir()
    # a horizontal ramp of 1 level per pixel: scaled by s, neighbouring columns differ by 1 / s
    ramp = np.broadcast_to(np.arange(240, dtype=np.uint8)[None, :, None], (200, 240, 3))
    Image.fromarray(np.ascontiguousarray(ramp)).save(src / "ramp.png")
    out = tmp_path / "out"
    main(["--src", str(src), "--out", str(out), "--sizes", "32,64", "--scales", "1,0.5", "--crops", "2",
          "--split", "train"])
    data = EmojiData(str(out), "train")
    assert len(data.index) == 4 and len(EmojiData(str(out), "val").index) == 0
    steps = [float(np.diff(img[32, 8:56, 0].astype(np.float64)).mean()) for img in data.images(64)]
    assert np.allclose(steps, [1, 1, 2, 2], atol=0.05)  # two crops at scale 1, then two at 0.5


def test_scales_above_one_are_refused(tmp_path, capsys):
    src = tmp_path / "photos"
    src.mkdir()
    Image.fromarray(np.zeros((100, 100, 3), np.uint8)).save(src / "a.png")
    try:
        main(["--src", str(src), "--out", str(tmp_path / "out"), "--scales", "1.5"])
    except SystemExit as e:
        assert e.code == 2
    else:
        raise AssertionError("--scales 1.5 was accepted")
    assert "downscaling only" in capsys.readouterr().err
