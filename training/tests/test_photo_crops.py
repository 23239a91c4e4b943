"""Photo crops for the upsampler's photo measurement: the dataset layout and the area means."""
import json

import numpy as np
import pytest
from PIL import Image

from training.data import EmojiData
from training.tests.layout import assert_small_sizes_are_area_means
from training.tools.photo_crops import TRAINABLE_LICENCES, area_downsample, main


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
    licences = _licences(tmp_path, {"ramp.png": {"license": "CC0-1.0", "credit": "a test"}})
    main(["--src", str(src), "--out", str(out), "--sizes", "32,64", "--scales", "1,0.5", "--crops", "2",
          "--split", "train", "--licences", licences])
    data = EmojiData(str(out), "train")
    assert len(data.index) == 4 and len(EmojiData(str(out), "val").index) == 0
    assert {(r["license"], r["credit"]) for r in data.records} == {("CC0-1.0", "a test")}
    steps = [float(np.diff(img[32, 8:56, 0].astype(np.float64)).mean()) for img in data.images(64)]
    assert np.allclose(steps, [1, 1, 2, 2], atol=0.05)  # two crops at scale 1, then two at 0.5


def _licences(tmp_path, table):
    path = tmp_path / "licences.json"
    path.write_text(json.dumps(table))
    return str(path)


def _refused(tmp_path, capsys, *args):
    """main() on one black photo a.png with `args` must stop with a usage error before writing anything;
    returns its message."""
    src = tmp_path / "photos"
    src.mkdir(exist_ok=True)
    Image.fromarray(np.zeros((100, 100, 3), np.uint8)).save(src / "a.png")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as e:
        main(["--src", str(src), "--out", str(out), *args])
    assert e.value.code == 2 and not out.exists()
    return capsys.readouterr().err


def test_scales_above_one_are_refused(tmp_path, capsys):
    assert "downscaling only" in _refused(tmp_path, capsys, "--scales", "1.5")


def test_training_crops_need_a_known_trainable_licence_for_every_photo(tmp_path, capsys):
    assert "needs --licences" in _refused(tmp_path, capsys, "--split", "train")
    other = _licences(tmp_path, {"b.png": {"license": "CC0-1.0"}})
    assert "does not list: a.png" in _refused(tmp_path, capsys, "--split", "train", "--licences", other)
    share_alike = _licences(tmp_path, {"a.png": {"license": "CC-BY-SA-4.0"}})
    assert "a.png (CC-BY-SA-4.0)" in _refused(tmp_path, capsys, "--split", "train", "--licences", share_alike)


def test_the_committed_photo_licence_list_names_only_trainable_licences_with_credits():
    table = json.load(open("training/tools/pd_photos.json"))
    photos = {f: v for f, v in table.items() if not f.startswith("_")}
    assert len(photos) == 12
    assert all(v["license"] in TRAINABLE_LICENCES and v["credit"] for v in photos.values())
