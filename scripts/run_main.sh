#!/usr/bin/env bash
# The main job on the built-in synthetic dataset: prepare -> train -> evaluate -> show results,
# on this machine with 2 MPI ranks (CPU, or one GPU per rank when GPUs are visible).
# Installs missing packages and builds first; safe to run again. Stages that are not built yet
# are reported as such, never faked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_BUILD_DIR:-$root/build}
ranks=${POSE_RANKS:-2}
config=$root/configs/synthetic/tiny_cpu.ini
data=${POSE_DATA_DIR:-$root/data/synthetic}

"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" >/dev/null
echo "built: $build"

declare -A state
run_stage() {  # run_stage NAME command...: records done / not built yet / failed
  local name=$1; shift
  echo; echo "=== $name ==="
  set +e; "$@"; local rc=$?; set -e
  case $rc in
    0) state[$name]="done" ;;
    3) state[$name]="not built yet" ;;
    *) state[$name]="FAILED (exit $rc)"; echo "$name failed with exit status $rc" >&2 ;;
  esac
}
missing() { echo "NOT IMPLEMENTED: $1"; return 3; }

prepare() {
  "$build/bin/pose_synth" --out "$data" --train-images 512 --val-images 128 --seed 1 &&
  "$build/bin/pose_prepare" --coco-root "$data" --split train2017 --boxes gt --shards 4 --out "$data/shards" &&
  "$build/bin/pose_prepare" --coco-root "$data" --split val2017 --boxes gt --shards 2 --out "$data/shards" &&
  "$build/bin/pose_prepare" --verify "$data/shards/train2017"
}
run_stage prepare prepare
run_stage loader "$build/bin/pose_bench_loader" --data "$data/shards/train2017" --input 96x128 --seconds 2
run_stage launch "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_info"
run_stage train "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_train" --config "$config"
run_stage evaluate missing "distributed evaluation and the COCO keypoint metric"
run_stage results missing "no results: nothing was trained or evaluated"

echo; echo "=== summary ==="
for s in prepare loader launch train evaluate results; do printf '%-10s %s\n' "$s" "${state[$s]}"; done
for s in prepare loader launch train evaluate results; do
  [[ ${state[$s]} == FAILED* ]] && exit 1
done
exit 0
