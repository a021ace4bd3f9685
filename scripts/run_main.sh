#!/usr/bin/env bash
# The main job on the built-in synthetic dataset: install check, build, then synthesise ->
# prepare -> train -> evaluate (trained and untrained) -> summary (scripts/main_job.sh).
# On the CPU: configs/synthetic/cpu_main.ini on 2 MPI ranks; with a GPU and a CUDA build:
# configs/synthetic/gpu_main.ini (ResNet-50 256x192 FP16). Safe to run again: training
# resumes from its checkpoint, or does nothing more once it has finished.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
times=$(mktemp)
trap 'rm -f "$times"' EXIT

timed() {  # timed NAME command...: runs it, appends "NAME seconds" to $times
  local name=$1; shift
  local start; start=$(date +%s.%N)
  "$@"
  awk -v n="$name" -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%s %.1f\n", n, b - a }' >>"$times"
}
echo "=== install check ==="
timed install "$root/scripts/install_deps.sh"
echo; echo "=== build ==="
timed build "$root/scripts/build.sh" >/dev/null
echo "built: ${POSE_BUILD_DIR:-$root/build}"
POSE_STAGE_TIMES=$times "$root/scripts/main_job.sh" "$@"
