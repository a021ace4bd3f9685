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

run_stage prepare missing "the synthetic dataset generator and COCO -> HDF5 preprocessing"
run_stage launch "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_info"
run_stage train "$root/tests/mpi_launch.sh" "$ranks" "$build/bin/pose_train" --config "$config"
run_stage evaluate missing "distributed evaluation and the COCO keypoint metric"
run_stage results missing "no results: nothing was trained or evaluated"

echo; echo "=== summary ==="
for s in prepare launch train evaluate results; do printf '%-10s %s\n' "$s" "${state[$s]}"; done
for s in prepare launch train evaluate results; do
  [[ ${state[$s]} == FAILED* ]] && exit 1
done
exit 0
