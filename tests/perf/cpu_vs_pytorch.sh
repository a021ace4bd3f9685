#!/usr/bin/env bash
# Our CPU training step against PyTorch's on the same machine, side by side in one run:
#   tests/perf/cpu_vs_pytorch.sh [BUILD_DIR]
# For each network and thread count, pose_bench_train_step (threads: OPENBLAS_NUM_THREADS and,
# for its oneDNN convolutions, OMP_NUM_THREADS)
# and tests/perf/bench_pytorch_cpu.py (torch.set_num_threads) run one after the other: fp32,
# Adam, same network, batch and input, median ms per step. Needs Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
steps=${STEPS:-6}
# depth width deconv-filters WxH batch
configs=(
  "18 16 64 96x128 8"
  "18 64 256 96x128 8"
  "50 64 256 192x256 4"
)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for threads in ${THREADS:-1 2}; do
  for c in "${configs[@]}"; do
    read -r depth width deconv input batch <<<"$c"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads "$build/bin/pose_bench_train_step" --device cpu --depth "$depth" \
      --base-width "$width" --deconv-filters "$deconv" --input "$input" --batch "$batch" \
      --steps "$steps" --warmup 2 | grep ms/step | sed "s/^/threads $threads  ours  /"
    OMP_NUM_THREADS=$threads /usr/bin/python3 "$root/tests/perf/bench_pytorch_cpu.py" --depth "$depth" \
      --width "$width" --deconv "$deconv" --input "$input" --batch "$batch" --threads "$threads" \
      --steps "$steps" --warmup 2 | sed "s/^/threads $threads  /"
  done
done
