#!/usr/bin/env bash
# The visit of the portable GPU test pack (docs/gpu_host.md), packed as .gpu/run.sh by
# scripts/gpu_pack.sh. On the GPU node, from the folder holding .gpu/:
#   bash .gpu/run.sh OUT_DIR [--budget SECONDS]        (default 540, or $POSE_VISIT_BUDGET)
# Probes the node, finds cuDNN and NCCL, checks that every packed program resolves its
# libraries, then runs the steps in order of value, each under its own time limit inside the
# total budget. Every result lands in OUT_DIR the moment it exists:
#   probe.txt       the node (OS, glibc, GPU, driver, MIG, Python, torch/cuDNN/NCCL, tools),
#                   where the libraries were found, any program whose libraries do not resolve
#   summary.txt     one line per step: status, exit code, gtest ok/failed/skipped, milliseconds
#   benchmarks.txt  the benchmark and training outputs
#   logs.tar.gz     every step's full log, re-packed after each step
# A step that hangs costs its own limit, never the visit. Exit status 0 when no step failed.
set -u
out=${1:?usage: run.sh OUT_DIR [--budget SECONDS]}
budget=${POSE_VISIT_BUDGET:-540}
if [ "${2:-}" = --budget ]; then budget=${3:?--budget needs seconds}; fi
here=$(cd "$(dirname "$0")" && pwd)
start_s=$(date +%s)
mkdir -p "$out"
out=$(cd "$out" && pwd)
probe=$out/probe.txt summary=$out/summary.txt bench=$out/benchmarks.txt
: > "$probe"; : > "$summary"; : > "$bench"
logs=$(mktemp -d)
work=$(mktemp -d)
say() { printf '%s\n' "$*" | tee -a "$probe"; }

# --- unpack -------------------------------------------------------------------------------
pack=$here/pose-gpu-pack
if [ ! -x "$pack/bin/pose_info" ]; then
  if command -v xz >/dev/null; then
    tar -C "$here" -xJf "$here/pose-gpu-pack.tar.xz"
  else  # no xz on the node: Python's tarfile reads it
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
      "$here/pose-gpu-pack.tar.xz" "$here"
  fi
fi
[ -x "$pack/bin/pose_info" ] || { say "run.sh: cannot unpack $here/pose-gpu-pack.tar.xz"; exit 1; }

# --- probe --------------------------------------------------------------------------------
{
  echo "== pack"; cat "$pack/VERSION"
  echo "== node"
  date -u +%Y-%m-%dT%H:%M:%SZ
  uname -srm
  (. /etc/os-release 2>/dev/null && echo "os: $PRETTY_NAME")
  echo "glibc: $(getconf GNU_LIBC_VERSION 2>/dev/null)"
  echo "cpus: $(nproc), memory: $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "== GPU"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=index,name,driver_version,memory.total,mig.mode.current,compute_mode --format=csv 2>&1
  else
    echo "nvidia-smi: not found"
  fi
  echo "== tools"
  for t in python3 mpiexec mpirun ssh rsh nvcc compute-sanitizer ncu cuobjdump xz timeout ldd; do
    printf '%-18s %s\n' "$t" "$(command -v "$t" || echo -)"
  done
} >> "$probe" 2>&1
gpus=0
if command -v nvidia-smi >/dev/null; then gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true); fi

# cuDNN and NCCL: from a Python's site-packages/nvidia/*/lib (pip wheels), else the toolkit.
python_bin="" nvidia_libs=""
for py in ${POSE_PYTHON:-} python3 /opt/*/.venv/bin/python3 /opt/*/bin/python3; do
  command -v "$py" >/dev/null 2>&1 || continue
  site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null) || continue
  [ -n "$python_bin" ] || python_bin=$(command -v "$py")
  if ls "$site"/nvidia/cudnn/lib/libcudnn.so.9 >/dev/null 2>&1; then
    python_bin=$(command -v "$py")
    nvidia_libs=$(ls -d "$site"/nvidia/*/lib | paste -sd:)
    break
  fi
done
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  [ -d "$d" ] && nvidia_libs=${nvidia_libs:+$nvidia_libs:}$d
done
{
  echo "== Python"
  echo "python: ${python_bin:-none}"
  if [ -n "$python_bin" ]; then
    "$python_bin" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), "nccl", ".".join(map(str, torch.cuda.nccl.version())), "gpu", torch.cuda.is_available())' 2>&1 |
      tail -1 | sed '/^torch /!s/^/torch: not usable: /'
  fi
  echo "== libraries for our programs"
  echo "cuDNN/NCCL/CUDA folders: ${nvidia_libs:-none found}"
} >> "$probe"

# Our programs get the pack's libraries, the bundled Open MPI and the folders above; the node's
# own programs (python3, nvidia-smi) keep their environment.
# (OPAL_*/PMIX_* point the bundled Open MPI at itself and touch nothing else.)
node_ld_path=${LD_LIBRARY_PATH:-} node_path=$PATH
source "$pack/mpi/env.sh" "$pack/mpi"
export LD_LIBRARY_PATH=$node_ld_path PATH=$node_path
ours_path=$pack/lib:$pack/mpi/lib${nvidia_libs:+:$nvidia_libs}${node_ld_path:+:$node_ld_path}
ours=(env "LD_LIBRARY_PATH=$ours_path")
export OMPI_MCA_plm=isolated OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export POSE_SOURCE_DIR=$pack POSE_TEST_DATA_DIR=$pack/data POSE_BIN_DIR=$pack/bin
export POSE_MPI_LAUNCH=$pack/mpi_launch.sh
export GTEST_COLOR=no   # mpiexec gives ranks a terminal; the counts below read plain lines

unresolved=0
for program in "$pack"/bin/*; do
  missing=$("${ours[@]}" LD_TRACE_LOADED_OBJECTS=1 "$program" 2>&1 | awk '/not found/ { print $1 }' | paste -sd' ')
  if [ -n "$missing" ]; then
    say "UNRESOLVED $(basename "$program"): $missing"
    unresolved=$((unresolved + 1))
  fi
done
say "libraries: $(ls "$pack/bin" | wc -l) programs checked, $unresolved with unresolved libraries"
for lib in libcudnn.so.9 libnccl.so.2; do
  where=$("${ours[@]}" LD_TRACE_LOADED_OBJECTS=1 "$pack/bin/pose_info" 2>/dev/null | awk -v l="$lib" '$1 == l { print $3 }')
  say "$lib: ${where:-not found}"
done
say "GPUs visible: $gpus"

# --- steps --------------------------------------------------------------------------------
failures=0
pack_logs() { tar -C "$logs" -czf "$out/logs.tar.gz" . 2>/dev/null; }
# step NAME LIMIT_S NEEDS(gpu|any) COMMAND...: runs COMMAND with its output in NAME.log.
step() {
  local name=$1 limit=$2 needs=$3; shift 3
  local log=$logs/$name.log left status rc ok failed skipped ms t0
  left=$((budget - ($(date +%s) - start_s) - 5))
  if [ "$needs" = gpu ] && [ "$gpus" -eq 0 ]; then
    printf '%-28s %-16s\n' "$name" "skip (no GPU)" | tee -a "$summary"; return 0
  fi
  if [ "$left" -lt 10 ]; then
    printf '%-28s %-16s\n' "$name" "skip (no time)" | tee -a "$summary"; return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  t0=$(date +%s%N)
  timeout -k 10 "$limit" "$@" > "$log" 2>&1 < /dev/null
  rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  ok=$(grep -c '^\[       OK \]' "$log"); failed=$(grep -c '^\[  FAILED  \]' "$log")
  skipped=$(grep -c '^\[  SKIPPED \]' "$log")
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then status="TIMEOUT (${limit}s)"
  elif [ $rc -ne 0 ] || [ "$failed" -gt 0 ]; then status=FAIL
  elif [ "$ok" -eq 0 ] && [ "$skipped" -gt 0 ]; then status="skip (no GPU)"
  else status=pass; fi
  case $status in FAIL|TIMEOUT*) failures=$((failures + 1)) ;; esac
  printf '%-28s %-16s rc=%-3s ok=%-3s failed=%-3s skipped=%-3s %8d ms\n' \
    "$name" "$status" "$rc" "$ok" "$failed" "$skipped" "$ms" | tee -a "$summary"
  pack_logs
  return $rc
}
tests_of() { awk -v n="$1" '$1 == n' "$pack/tests.txt"; }
gtest() {  # gtest NAME LIMIT [ENV=VALUE...]: a packed test program, under mpiexec if multi-rank
  local name=$1 limit=$2 ranks; shift 2
  ranks=$(tests_of "$name" | awk '{ print $2 }')
  if [ "${ranks:-1}" -gt 1 ]; then
    step "$name" "$limit" any "${ours[@]}" "$@" "$POSE_MPI_LAUNCH" "$ranks" "$pack/bin/$name"
  else
    step "$name" "$limit" any "${ours[@]}" "$@" "$pack/bin/$name"
  fi
}
bench_out() {  # bench_out STEP: the step's log into benchmarks.txt, when it ran
  [ -f "$logs/$1.log" ] && { echo "== $1"; cat "$logs/$1.log"; } >> "$bench"
  return 0
}

# MPI: the node's mpiexec when a 2-rank smoke test passes with it, else the bundled one.
smoke=("${ours[@]}" "$POSE_MPI_LAUNCH" 2 "$pack/bin/test_runtime_mpi")
if command -v mpiexec >/dev/null; then
  export POSE_MPIEXEC=$(command -v mpiexec)
  if step mpi_smoke_node 60 any "${smoke[@]}"; then
    say "mpiexec: the node's ($POSE_MPIEXEC)"
  else
    failures=$((failures - 1))  # not a failure of ours: the bundled launcher is tried next
    unset POSE_MPIEXEC
  fi
fi
if [ -z "${POSE_MPIEXEC:-}" ]; then
  export POSE_MPIEXEC=$pack/mpi/bin/mpiexec
  step mpi_smoke_bundled 60 any "${smoke[@]}" && say "mpiexec: bundled Open MPI ($POSE_MPIEXEC)"
fi

gtest test_gpu_elementwise_parity 90
gtest test_gpu_train_ops 90
gtest test_gpu_layer_parity 150 CUDA_LAUNCH_BLOCKING=1
gtest test_gpu_network_parity 150
step bench_ours 180 gpu "${ours[@]}" "$pack/bin/pose_bench_train_step" --device cuda --depth 50 --batch 64,128 --kernels simple,vectorized,fused --op-times
bench_out bench_ours
if [ -n "$python_bin" ]; then
  step bench_pytorch 150 gpu "$python_bin" "$pack/scripts/bench_pytorch_pose.py" --batch 64,128
  bench_out bench_pytorch
fi
step bench_ours_eval 90 gpu "${ours[@]}" "$pack/bin/pose_bench_train_step" --device cuda --depth 50 --batch 64,128 --kernels simple,fused --eval
bench_out bench_ours_eval
if [ -n "$python_bin" ]; then
  step bench_pytorch_eval 90 gpu "$python_bin" "$pack/scripts/bench_pytorch_pose.py" --batch 64,128 --eval
  bench_out bench_pytorch_eval
fi
gtest test_data_parallel_gpu 150
gtest test_gpu_nccl_single_rank 90

# Data for the trainings, and the real COCO sample (CPU only: shows that the packed data
# programs work on this node).
syn=$work/synthetic coco=$work/coco
step data 120 any "${ours[@]}" bash -c "
  '$pack/bin/pose_synth' --out '$syn' --train-images 2000 --val-images 100 --seed 1 &&
  '$pack/bin/pose_prepare' --coco-root '$syn' --split train2017 --boxes gt --shards 4 --out '$syn/shards' --quiet &&
  '$pack/bin/pose_prepare' --coco-root '$syn' --split val2017 --boxes gt --shards 1 --out '$syn/shards' --quiet &&
  '$pack/bin/pose_prepare' --verify '$syn/shards/train2017' &&
  '$pack/bin/pose_prepare' --coco-root '$pack/data/coco_sample' --split val2017 --out '$coco' --shards 1 --quiet"
# Training and evaluation on 2 CPU ranks through the launcher chosen above: the whole
# program path (config, MPI, HDF5, JPEG, checkpoints, COCO metric) on this node, GPU or not.
cpu_run=(--config "$pack/configs/synthetic/tiny_cpu.ini" --data.root "$coco" --data.train_shards val2017
  --data.val_shards val2017 --run.output_dir "$work/runs" --run.name cpu2 --train.epochs 2 --train.lr_steps 1
  --run.val_interval 2 --train.batch_size 4 --test.batch_size 4)
step train_eval_cpu 120 any "${ours[@]}" bash -c '
  "$POSE_MPI_LAUNCH" 2 "$0/bin/pose_train" "$@" && "$POSE_MPI_LAUNCH" 2 "$0/bin/pose_eval" "$@"' \
  "$pack" "${cpu_run[@]}"

# Short ResNet-50 fp16 trainings: the loss must fall (first vs last logged training loss).
r50=(--config "$pack/configs/synthetic/tiny_cpu.ini" --data.root "$syn" --run.output_dir "$work/runs"
  --run.device cuda --train.precision fp16 --model.backbone resnet50 --model.base_width 64
  --model.num_deconv_filters 256,256,256 --data.image_width 192 --data.image_height 256
  --data.heatmap_width 48 --data.heatmap_height 64 --test.batch_size 32 --train.lr 0.001
  --run.log_interval 10)
loss_falls() {  # loss_falls RUN: "loss A -> B" from the run's log; fails unless B < 0.9 A
  awk -F'"loss":' '/"kind":"train"/ { split($2, v, /[,}]/); if (first == "") first = v[1]; last = v[1] }
    END { if (first == "") { print "no training lines"; exit 1 }
          printf "loss %s -> %s\n", first, last; exit !(last < 0.9 * first) }' "$work/runs/$1/train_log.jsonl"
}
step train_r50_nccl 180 gpu "${ours[@]}" "$POSE_MPI_LAUNCH" 1 "$pack/bin/pose_train" "${r50[@]}" \
  --run.name nccl1 --run.comm nccl --run.comm_single_rank true --train.batch_size 32 \
  --data.loader_threads 14 --train.epochs 3 --train.lr_steps 2
if [ -f "$work/runs/nccl1/train_log.jsonl" ]; then
  loss_falls nccl1 >> "$logs/train_r50_nccl.log" 2>&1 || {
    echo "train_r50_nccl: the loss did not fall" | tee -a "$summary"; failures=$((failures + 1)); }
fi
bench_out train_r50_nccl
step train_r50_mpi2 150 gpu "${ours[@]}" "$POSE_MPI_LAUNCH" 2 "$pack/bin/pose_train" "${r50[@]}" \
  --run.name mpi2 --run.comm mpi --train.batch_size 16 --data.loader_threads 7 \
  --train.epochs 2 --train.lr_steps 1
if [ -f "$work/runs/mpi2/train_log.jsonl" ]; then
  loss_falls mpi2 >> "$logs/train_r50_mpi2.log" 2>&1 || {
    echo "train_r50_mpi2: the loss did not fall" | tee -a "$summary"; failures=$((failures + 1)); }
fi
bench_out train_r50_mpi2

step loader 60 any "${ours[@]}" "$pack/bin/pose_bench_loader" --data "$coco/val2017" --threads 1,2,4,8,16 --seconds 2
bench_out loader
if [ -n "$python_bin" ]; then
  step bench_pytorch_compile 180 gpu "$python_bin" "$pack/scripts/bench_pytorch_pose.py" --batch 128 --compile
  bench_out bench_pytorch_compile
fi
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [ -n "$sanitizer" ]; then
  step memcheck_layers 240 gpu "${ours[@]}" "$sanitizer" --tool memcheck --error-exitcode 3 "$pack/bin/test_gpu_layer_parity"
else
  printf '%-28s %-16s\n' memcheck_layers "skip (no compute-sanitizer)" | tee -a "$summary"
fi

pack_logs
rm -rf --one-file-system "$work" "$logs"
echo "visit: $failures failed step(s), $(( $(date +%s) - start_s )) s of a ${budget} s budget" | tee -a "$summary"
[ $failures -eq 0 ]
