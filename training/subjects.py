"""The subjects a pack was trained to draw, for prompt suggestions (model.json `subjects`).

    python3 -m training.subjects --data data/emoji --pack models/default

writes the subject list of a dataset's training split into an exported pack's model.json (in
place; `training.export --subjects-from DATA` does the same at export). The list is the
captions' labels (emojibase names such as "red heart", "flag: Japan") of every concept with at
least one training image, with skin-tone qualifiers folded away: "man astronaut: dark skin
tone" and its four siblings become "man astronaut", which the data also has on its own. A
concept held out for validation in every style is left out: the model never saw it.
"""
import argparse
import json
import os

SKIN_TONES = frozenset(f"{t} skin tone" for t in ("light", "medium-light", "medium", "medium-dark", "dark"))


def fold_skin_tones(label: str) -> str:
    """"family: man, girl, dark skin tone" -> "family: man, girl"; "kiss: dark skin tone" -> "kiss"."""
    head, sep, tail = label.partition(": ")
    if not sep:
        return label
    parts = [p.strip() for p in tail.split(",")]
    kept = [p for p in parts if p not in SKIN_TONES]
    if len(kept) == len(parts):
        return label
    return f"{head}: {', '.join(kept)}" if kept else head


def training_subjects(manifest_lines) -> list:
    """Sorted (case-insensitively), de-duplicated subject labels of the records in the training split."""
    seen = {}
    for line in manifest_lines:
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("split") != "train" or not r.get("label"):
            continue
        s = fold_skin_tones(r["label"])
        seen.setdefault(s.lower(), s)
    return [seen[k] for k in sorted(seen)]


def read_subjects(data_dir: str) -> list:
    with open(os.path.join(data_dir, "manifest.jsonl"), encoding="utf-8") as f:
        return training_subjects(f)


def write_into_pack(pack_dir: str, subjects: list) -> None:
    """Sets model.json's `subjects` in place, keeping the rest of the file (and write_pack's layout)."""
    path = os.path.join(pack_dir, "model.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["subjects"] = list(subjects)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data/emoji", help="dataset folder with manifest.jsonl (npm run dataset)")
    ap.add_argument("--pack", required=True, help="exported pack folder whose model.json gets the list")
    a = ap.parse_args(argv)
    subjects = read_subjects(a.data)
    if not subjects:
        raise SystemExit(f"{a.data}/manifest.jsonl has no training records with labels")
    write_into_pack(a.pack, subjects)
    print(f"{len(subjects)} subjects -> {a.pack}/model.json")


if __name__ == "__main__":
    main()
