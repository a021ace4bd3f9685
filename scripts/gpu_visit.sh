#!/usr/bin/env bash
# Runs on the GPU host, from the repository root, after scripts/gpu_pack.sh packed .gpu/:
#   bash .gpu/run.sh OUT_DIR
# Runs every packed test program (gpu-labelled ones included; mpi ones under 2 ranks), keeps
# one log per program (packed as OUT_DIR/logs.tar.gz: the device tool returns few files) and
# prints a summary table last.
set -u
out=${1:?usage: run.sh OUT_DIR}
root=$(pwd)
mkdir -p "$out"
logs=$(mktemp -d)
export POSE_SOURCE_DIR=$root POSE_TEST_DATA_DIR=$root/tests/data
export POSE_MPI_LAUNCH=$root/tests/mpi_launch.sh POSE_BIN_DIR=$root/.gpu/bin
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; } > "$out/gpu.txt" 2>&1
summary=""
# .gpu/tests.txt (written by CMake): one "name ranks label" line per test program.
while read -r name ranks label; do
  exe="$root/.gpu/bin/$name"
  log="$logs/$name.log"
  start=$(date +%s%N)
  if [ "$ranks" -gt 1 ]; then
    "$POSE_MPI_LAUNCH" "$ranks" "$exe" > "$log" 2>&1
  else
    "$exe" > "$log" 2>&1
  fi
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  passed=$(grep -c '^\[       OK \]' "$log")
  failed=$(grep -c '^\[  FAILED  \]' "$log")
  skipped=$(grep -c '^\[  SKIPPED \]' "$log")
  summary+=$(printf '%-32s %-5s rc=%-3s ok=%-4s failed=%-3s skipped=%-3s %7d ms' "$name" "$label" "$rc" "$passed" "$failed" "$skipped" "$ms")$'\n'
done < "$root/.gpu/tests.txt"
tar czf "$out/logs.tar.gz" -C "$logs" .
printf '%s' "$summary" | tee "$out/summary.txt"
