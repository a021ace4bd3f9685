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
# mpiexec gives ranks a terminal, and gtest would colour its lines; the counts below read them.
export GTEST_COLOR=no

{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; } > "$out/gpu.txt" 2>&1
summary=""
# .gpu/tests.txt (written by CMake): one "name ranks label" line per test program.
while read -r name ranks label; do
  exe="$root/.gpu/bin/$name"
  log="$logs/$name.log"
  start=$(date +%s%N)
  if [ "$ranks" -gt 1 ]; then
    "$POSE_MPI_LAUNCH" "$ranks" "$exe" > "$log" 2>&1 < /dev/null  # mpiexec would eat the list
  else
    "$exe" > "$log" 2>&1 < /dev/null
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

# Benchmarks and GPU training runs, each logged to OUT_DIR/benchmarks.txt (docs/performance.md
# records the numbers with this visit's date).
bin=$root/.gpu/bin
bench=$out/benchmarks.txt
work=$(mktemp -d)
{
  echo "== network training step, ours (fp16, cuDNN) and PyTorch's, same GPU"
  "$bin/pose_bench_train_step" --device cuda --depth 50 --batch 64,128
  python3 "$root/scripts/bench_pytorch_pose.py" --batch 64,128
  echo "== loader on the COCO sample, 1-16 threads"
  "$bin/pose_prepare" --coco-root "$root/tests/data/coco_sample" --split val2017 --out "$work/coco" --shards 1 --quiet
  "$bin/pose_bench_loader" --data "$work/coco/val2017" --threads 1,2,4,8,16 --seconds 3
  echo "== ResNet-50 fp16 training on synthetic data, one rank, NCCL"
  "$bin/pose_synth" --out "$work/syn" --train-images 2000 --val-images 100 --seed 1 >/dev/null
  "$bin/pose_prepare" --coco-root "$work/syn" --split train2017 --boxes gt --shards 4 --out "$work/syn/shards" --quiet
  "$bin/pose_prepare" --coco-root "$work/syn" --split val2017 --boxes gt --shards 1 --out "$work/syn/shards" --quiet
  gpu_run=(--config "$root/configs/synthetic/tiny_cpu.ini" --data.root "$work/syn" --run.output_dir "$work/runs"
    --run.device cuda --train.precision fp16 --model.backbone resnet50 --model.base_width 64
    --model.num_deconv_filters 256,256,256 --data.image_width 192 --data.image_height 256
    --data.heatmap_width 48 --data.heatmap_height 64 --test.batch_size 32 --train.lr 0.001
    --run.log_interval 20)
  timeout 300 "$POSE_MPI_LAUNCH" 1 "$bin/pose_train" "${gpu_run[@]}" --run.comm nccl --run.name nccl1 \
    --train.batch_size 32 --data.loader_threads 14 --train.epochs 3 --train.lr_steps 2
  echo "== the same, two ranks sharing the GPU through host-staged MPI"
  timeout 300 "$POSE_MPI_LAUNCH" 2 "$bin/pose_train" "${gpu_run[@]}" --run.comm mpi --run.name mpi2 \
    --train.batch_size 16 --data.loader_threads 7 --train.epochs 2 --train.lr_steps 1
} > "$bench" 2>&1 < /dev/null
tail -n 40 "$bench"
