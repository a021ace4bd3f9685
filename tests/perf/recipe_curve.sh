#!/usr/bin/env bash
# AP against wall time of one training recipe on the synthetic set, on this machine:
#   tests/perf/recipe_curve.sh NAME TRAIN_IMAGES [pose_train flags...]
# Makes (once) the synthetic set with TRAIN_IMAGES training and 256 validation images (seed 1)
# under $POSE_DATA_DIR (default data/curves), trains configs/synthetic/cpu_main.ini changed by
# the flags on $POSE_RANKS ranks (default 2), validating after every epoch, and prints one
# line per epoch: epoch, wall seconds since training started (validations included), AP.
# The candidates compared in docs/performance.md were run with this script.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${POSE_BUILD_DIR:-$root/build}
name=$1; images=$2; shift 2
data=${POSE_DATA_DIR:-$root/data/curves}/train$images
runs=${POSE_RUNS_DIR:-$root/runs/curves}
if [ ! -f "$data/shards/val2017/index.json" ]; then
  "$build/bin/pose_synth" --out "$data" --train-images "$images" --val-images 256 --seed 1 >/dev/null
  "$build/bin/pose_prepare" --coco-root "$data" --split train2017 --boxes gt --shards 4 --out "$data/shards" --quiet
  "$build/bin/pose_prepare" --coco-root "$data" --split val2017 --boxes gt --shards 2 --out "$data/shards" --quiet
fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}  # as scripts/main_job.sh
mkdir -p "$runs"; rm -rf "${runs:?}/$name"
echo "load before: $(uptime)"
"$root/tests/mpi_launch.sh" "${POSE_RANKS:-2}" "$build/bin/pose_train" \
  --config "$root/configs/synthetic/cpu_main.ini" --data.root "$data" --run.output_dir "$runs" \
  --run.name "$name" --run.val_interval 1 --run.checkpoint_interval 1000 "$@" >"$runs/$name.out" 2>&1 ||
  { tail -20 "$runs/$name.out"; exit 1; }
echo "load after: $(uptime)"
echo "# $name, $images training images: $*"
echo "# epoch wall_s AP"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j["kind"] == "validation":
        print(j["epoch"], round(j["wall_seconds"], 1), round(j["AP"], 4))
' "$runs/$name/train_log.jsonl"
grep -o "[0-9.]* samples/s" "$runs/$name.out" | tail -3 | tr '\n' ' '; echo
