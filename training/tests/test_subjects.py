"""training.subjects: which labels a pack lists as its subjects, and writing them into a pack."""
import json

import pytest

from training.subjects import fold_skin_tones, main, training_subjects


def rec(label, split="train"):
    return json.dumps({"label": label, "split": split})


def test_skin_tones_fold_into_the_base_label():
    assert fold_skin_tones("man astronaut: dark skin tone") == "man astronaut"
    assert fold_skin_tones("family: man, girl, medium-light skin tone") == "family: man, girl"
    assert fold_skin_tones("kiss: light skin tone, dark skin tone") == "kiss"
    # labels with a colon that is not a skin tone stay as they are
    assert fold_skin_tones("flag: Japan") == "flag: Japan"
    assert fold_skin_tones("keycap: #") == "keycap: #"
    assert fold_skin_tones("red heart") == "red heart"


def test_only_training_labels_sorted_without_duplicates():
    lines = [rec("red heart"), rec("red heart"), rec("ATM sign"), rec("rainbow", "val"), "",
             rec("man astronaut: dark skin tone"), rec("man astronaut"), rec("Aries"), rec("apple", "val"),
             rec("apple"), json.dumps({"split": "train"})]
    assert training_subjects(lines) == ["apple", "Aries", "ATM sign", "man astronaut", "red heart"]


def test_main_sets_subjects_in_place_and_keeps_the_rest(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "manifest.jsonl").write_text("\n".join([rec("pizza"), rec("rocket"), rec("rainbow", "val")]) + "\n")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "model.json").write_text(json.dumps({"name": "p", "subjects": ["stale"], "defaults": {"steps": 3}}))
    main(["--data", str(data), "--pack", str(pack)])
    doc = json.loads((pack / "model.json").read_text())
    assert doc == {"name": "p", "subjects": ["pizza", "rocket"], "defaults": {"steps": 3}}


def test_main_refuses_a_dataset_without_training_labels(tmp_path):
    (tmp_path / "manifest.jsonl").write_text(rec("rainbow", "val") + "\n")
    with pytest.raises(SystemExit, match="no training records"):
        main(["--data", str(tmp_path), "--pack", str(tmp_path)])
