#!/usr/bin/env bash
# check_pack.sh PACK_DIR OUT_DIR: runs a packed visit (PACK_DIR = .gpu, as gpu_pack.sh wrote it)
# the way a bare GPU node would (bare_node.sh), from a copy of PACK_DIR, and checks what it
# left in OUT_DIR: every packed program resolves every library, cuDNN and NCCL come from the
# stand-in Python's site-packages, the 2-rank MPI smoke test passed, every step has a result
# (GPU steps skip without a GPU) and none failed, at most 8 files, within the budget.
set -euo pipefail
pack_dir=$(cd "${1:?usage: check_pack.sh PACK_DIR OUT_DIR}" && pwd)
out=${2:?usage: check_pack.sh PACK_DIR OUT_DIR}
budget=${POSE_VISIT_BUDGET:-540}
here=$(cd "$(dirname "$0")" && pwd)
node=$(mktemp -d)
trap 'rm -rf --one-file-system "$node"' EXIT
cp -r "$pack_dir" "$node/.gpu"
mkdir -p "$out"

echo "check_pack: visit of a copy of $pack_dir on a simulated bare node, budget $budget s"
start=$(date +%s)
set +e
"$here/bare_node.sh" bash "$node/.gpu/run.sh" "$out" --budget "$budget"
visit_rc=$?
set -e
took=$(( $(date +%s) - start ))

problems=()
for f in probe.txt summary.txt benchmarks.txt logs.tar.gz; do
  [ -s "$out/$f" ] || problems+=("$f missing or empty")
done
files=$(find "$out" -type f | wc -l)
[ "$files" -le 8 ] || problems+=("$files files in OUT (at most 8 come back)")
grep -q ", 0 with unresolved libraries" "$out/probe.txt" || problems+=("unresolved libraries (probe.txt)")
grep -Eq '^libcudnn.so.9: .*site-packages/nvidia/' "$out/probe.txt" || problems+=("cuDNN not found in site-packages")
grep -Eq '^libnccl.so.2: .*site-packages/nvidia/' "$out/probe.txt" || problems+=("NCCL not found in site-packages")
grep -Eq '^mpi_smoke_(node|bundled) +pass' "$out/summary.txt" || problems+=("2-rank MPI smoke test did not pass")
if grep -Eq ' (FAIL|TIMEOUT)' "$out/summary.txt"; then problems+=("failed steps in summary.txt"); fi
if grep -q 'skip (no time)' "$out/summary.txt"; then problems+=("steps skipped for lack of time"); fi
[ "$took" -le $((budget + 30)) ] || problems+=("took $took s, budget $budget s")
[ "$visit_rc" = 0 ] || problems+=("run.sh exited $visit_rc")

echo "== probe.txt"; cat "$out/probe.txt"
echo "== summary.txt"; cat "$out/summary.txt"
echo "== OUT: $(cd "$out" && ls | paste -sd' ') ($files files), visit took $took s"
if [ ${#problems[@]} -gt 0 ]; then
  printf 'check_pack: FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check_pack: passed"
