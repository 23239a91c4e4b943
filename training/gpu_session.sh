#!/bin/bash
# One call on a borrowed CUDA machine: resume the `s` base from the committed float16 copy,
# train it for MINUTES on the GPU, and leave the new float16 copies and the log in $OUT.
# The machine has PyTorch but no Node, so the data comes along as a compressed kit made here
# (docs/training.md, "On a GPU"). Run from the repository root:
#
#   bash training/gpu_session.sh MINUTES [more train.py arguments]
#
# Pass --text-init with the run's scorer when resuming from a float16 copy: the copy holds the
# frozen text encoder in float16, the scorer file the float32 weights it was trained with.
# Settings (environment): KIT (folder of emoji.tgz.* parts, default .kit), CK (checkpoint
# folder, default checkpoints/s), BATCH (512), LR (5e-4), WORKERS (12), OUT (where results go),
# EVAL (eval.py --configs rows to run on the machine's CPU cores afterwards, e.g. "ddpm:50:5:static";
# empty: none), EVAL_INSERT (eval.py --insert rows), EVAL_THREADS (16), SCORER (the eval's scorer; the
# s-text2 run: training/checkpoints/s-text2/scorer.pt), SPEED (auto: first time train.py's
# --channels-last and --compile on synthetic batches, at most SPEED_SECONDS (200) on top of MINUTES
# (a bench cut short picks nothing: the plain step), and train with
# whichever trains the most images in MINUTES; results in $OUT/bench.jsonl; default: neither).
set -euo pipefail
MINUTES=${1:?usage: gpu_session.sh MINUTES [train.py arguments]}
shift
KIT=${KIT:-.kit}
CK=${CK:-checkpoints/s}
OUT=${OUT:?set OUT to the folder that comes back}
DATA=data/emoji-kit
export PYTHONUNBUFFERED=1 PYTHONPATH=.
PY=${PY:-python3}

mkdir -p "$DATA" "$CK" "$OUT"
cat "$KIT"/emoji.tgz.* | tar xzf - -C "$DATA"   # gzip's checksum fails the run on a damaged part
echo "data: $(wc -l < "$DATA/manifest.jsonl") records"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"

df -h /dev/shm 2>/dev/null | tail -1 || true

speed_flags=()
if [ "${SPEED:-}" = auto ]; then
  timeout --kill-after=10 "${SPEED_SECONDS:-200}" $PY training/tools/bench_step.py --batches "${BATCH:-512}" \
      --variants plain,channels_last,compile,channels_last+compile --cudnn-benchmark off \
      --pick-for-minutes "$MINUTES" 2>&1 | tee "$OUT/bench.jsonl" || true
  read -r -a speed_flags <<< "$(sed -n 's/^flags: *//p' "$OUT/bench.jsonl" | tail -1)"
  echo "speed flags: ${speed_flags[*]:-none}"
fi

# Training stops itself after MINUTES; the timeout is only a guard (a hung worker, a slow save) so
# that the copy below still runs and brings back the last periodic save. If the DataLoader workers
# die before the first save (a machine whose shared memory is too small for them), the run goes on
# with batches built inline (and without the SPEED flags) for the minutes that are left. "Before
# the first save" is judged by the checkpoint's modification time, so a base.pt left in $CK by an
# earlier call on a warm machine does not hide a failure of this one.
saved_at() { stat -c %Y "$CK/base.pt" 2>/dev/null || echo 0; }
t_start=$(date +%s)
saved_before=$(saved_at)
train() {  # $1: workers, $2: minutes; the rest: more train.py arguments
  local workers=$1 minutes=$2; shift 2
  timeout --signal=INT --kill-after=30 "$(awk "BEGIN{print int($minutes * 60 + 60)}")" \
    $PY -m training.train --stage base --config s --data "$DATA" --out "$CK" --minutes "$minutes" --save-minutes 2 \
      --batch "${BATCH:-512}" --lr "${LR:-5e-4}" --workers "$workers" \
      --freeze-text --inpaint-fraction 0.3 --insert-fraction 0.2 --balance-concepts 1 ${speed_flags[@]+"${speed_flags[@]}"} "$@"
}
set +e
train "${WORKERS:-12}" "$MINUTES" "$@" 2>&1 | tee "$OUT/train.log"
status=${PIPESTATUS[0]}
if [ "$status" != 0 ] && [ "$(saved_at)" = "$saved_before" ]; then
  left=$(awk "BEGIN{print $MINUTES - ($(date +%s) - $t_start) / 60}")
  echo "training failed ($status) before its first save: again with inline batches and no speed flags for $left minutes"
  speed_flags=()
  awk "BEGIN{exit !($left > 1)}" && train 0 "$left" "$@" 2>&1 | tee -a "$OUT/train.log"
fi
set -e
[ -f "$CK/base.pt" ] || { echo "no checkpoint was saved" >&2; exit 1; }
$PY -m training.checkpoint "$CK/base.pt" --out "$OUT"
cp "$CK/base.log.jsonl" "$OUT/"
if [ -n "${EVAL:-}${EVAL_INSERT:-}" ]; then  # the same metrics as here, on the new weights
  $PY -m training.eval --data "$DATA" --checkpoint "$CK/base.pt" --scorer "${SCORER:-training/checkpoints/s/scorer.pt}" \
      --judge training/checkpoints/s/judge.pt --captions 50 --seeds 2 --threads "${EVAL_THREADS:-16}" \
      --configs "${EVAL:-}" --insert "${EVAL_INSERT:-}" --out "$OUT/eval.json"
fi
ls -l "$OUT"
