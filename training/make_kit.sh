#!/bin/bash
# The data a borrowed GPU machine needs for the `s` base (it has no Node to build the dataset):
# the manifest and the 32 px renders of data/emoji, gzipped and split into parts that fit the
# per-call transfer limit. Writes .kit/emoji.tgz.00, .01, ... (ignored by git). About 25 MB.
#   bash training/make_kit.sh [DATA_DIR] [KIT_DIR]
set -euo pipefail
DATA=${1:-data/emoji}
KIT=${2:-.kit}
for f in manifest.jsonl images_32.u8; do
  [ -f "$DATA/$f" ] || { echo "$DATA/$f is missing: run npm run dataset first" >&2; exit 1; }
done
mkdir -p "$KIT"
rm -f "$KIT"/emoji.tgz.*
tar czf - -C "$DATA" manifest.jsonl images_32.u8 | split -b 32M -d - "$KIT/emoji.tgz."
du -ch "$KIT"/emoji.tgz.* | tail -1
