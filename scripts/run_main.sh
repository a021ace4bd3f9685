#!/usr/bin/env bash
# The main job on the built-in synthetic dataset: prepare -> train -> evaluate -> show results,
# on this machine with 2 MPI ranks on the CPU (configs/synthetic/tiny_cpu.ini).
# Installs missing packages and builds first; safe to run again (training resumes from its
# checkpoint, or does nothing more once it has finished).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_BUILD_DIR:-$root/build}
ranks=${POSE_RANKS:-2}
config=$root/configs/synthetic/tiny_cpu.ini
data=${POSE_DATA_DIR:-$root/data/synthetic}
runs=${POSE_RUNS_DIR:-$root/runs}

"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" >/dev/null
echo "built: $build"

declare -A state
run_stage() {  # run_stage NAME command...: records done / failed
  local name=$1; shift
  echo; echo "=== $name ==="
  set +e; "$@"; local rc=$?; set -e
  case $rc in
    0) state[$name]="done" ;;
    *) state[$name]="FAILED (exit $rc)"; echo "$name failed with exit status $rc" >&2 ;;
  esac
}

prepare() {
  "$build/bin/pose_synth" --out "$data" --train-images 512 --val-images 128 --seed 1 &&
  "$build/bin/pose_prepare" --coco-root "$data" --split train2017 --boxes gt --shards 4 --force --out "$data/shards" &&
  "$build/bin/pose_prepare" --coco-root "$data" --split val2017 --boxes gt --shards 2 --force --out "$data/shards" &&
  "$build/bin/pose_prepare" --verify "$data/shards/train2017"
}
run_stage prepare prepare
run_stage loader "$build/bin/pose_bench_loader" --data "$data/shards/train2017" --input 96x128 --seconds 2
run_stage launch "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_info"
# Training resumes from its latest checkpoint when run again (and starts afresh otherwise).
run_args=(--config "$config" --data.root "$data" --run.output_dir "$runs" --run.resume auto)
run_stage train "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_train" "${run_args[@]}"
run_stage evaluate "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_eval" "${run_args[@]}"

results() {
  local run=$runs/tiny_cpu
  echo "training log: $run/train_log.jsonl (first and last lines)"
  grep '"kind":"train"' "$run/train_log.jsonl" | sed -n '1p;$p'
  echo "results file: $run/results/keypoints_val2017_results.json"
  ls -l "$run"/checkpoint_*.h5
  echo "score any results file against its ground truth:"
  "$build/bin/pose_coco_eval" --gt "$data/annotations/person_keypoints_val2017.json" \
    --results "$run/results/keypoints_val2017_results.json"
}
run_stage results results

echo; echo "=== summary ==="
for s in prepare loader launch train evaluate results; do printf '%-10s %s\n' "$s" "${state[$s]}"; done
for s in prepare loader launch train evaluate results; do
  [[ ${state[$s]} == FAILED* ]] && exit 1
done
exit 0
