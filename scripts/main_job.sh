#!/usr/bin/env bash
# The main job after the build: synthesise -> prepare -> train -> evaluate (trained and
# untrained) -> summary, timing each stage. scripts/run_main.sh runs it after installing and
# building; the e2e test runs a smaller version of it. Extra arguments go to pose_train and
# pose_eval (e.g. --train.epochs 2).
#
# The recipe: with a GPU visible (and a CUDA build), configs/synthetic/gpu_main.ini (ResNet-50
# at 256x192, FP16, one rank per GPU); otherwise configs/synthetic/cpu_main.ini on 2 CPU ranks
# (docs/performance.md says how it was chosen). Environment:
#   POSE_BUILD_DIR (build), POSE_DATA_DIR (data/synthetic), POSE_RUNS_DIR (runs),
#   POSE_DEVICE (auto | cpu), POSE_RANKS (CPU ranks, 2), POSE_TRAIN_IMAGES and
#   POSE_VAL_IMAGES (synthetic images per split; defaults per recipe below),
#   POSE_STAGE_TIMES (file of earlier stage times to show in the summary: "name seconds" lines).
# Writes <run folder>/summary.json with the APs and the stage times.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_BUILD_DIR:-$root/build}
data=${POSE_DATA_DIR:-$root/data/synthetic}
runs=${POSE_RUNS_DIR:-$root/runs}
bin=$build/bin

# A GPU is used when the CUDA build sees one (pose_info names it).
device=cpu
if [ "${POSE_DEVICE:-auto}" = auto ] && ! "$bin/pose_info" 2>&1 | grep -q "no GPU visible"; then device=cuda; fi
if [ "$device" = cuda ]; then
  config=$root/configs/synthetic/gpu_main.ini
  ranks=$(nvidia-smi -L 2>/dev/null | grep -c "^GPU" || true)
  ranks=${ranks:-1}; [ "$ranks" -ge 1 ] || ranks=1
  train_images=${POSE_TRAIN_IMAGES:-8000}
  what="ResNet-50 256x192 FP16 on $ranks GPU(s)"
else
  config=$root/configs/synthetic/cpu_main.ini
  ranks=${POSE_RANKS:-2}
  train_images=${POSE_TRAIN_IMAGES:-8192}
  what="$(sed -n 's/^# Main: //p' "$config") on $ranks CPU rank(s)"
  # One BLAS and one oneDNN (OpenMP) thread per rank: the ranks already fill the cores (docs/performance.md).
  export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
fi
val_images=${POSE_VAL_IMAGES:-256}
name=$(sed -n 's/^name *= *//p' "$config")
run=$runs/$name
echo "main job: $what ($config)"

declare -A state seconds
stages=()
run_stage() {  # run_stage NAME command...: records done / failed and the wall time
  local name=$1; shift
  echo; echo "=== $name ==="
  local start; start=$(date +%s.%N)
  set +e; "$@"; local rc=$?; set -e
  seconds[$name]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  stages+=("$name")
  case $rc in
    0) state[$name]="done" ;;
    *) state[$name]="FAILED (exit $rc)"; echo "$name failed with exit status $rc" >&2 ;;
  esac
}
launch() { "$root/tests/mpi_launch.sh" "$ranks" "$@"; }
# The AP pose_eval printed into log file $1 ("AP 0.123 (...)"), or "none".
ap_of() { sed -n 's/.*] AP \([0-9.e-]*\) (.*/\1/p' "$1" 2>/dev/null | tail -1 | grep . || echo none; }

synthesise() {
  "$bin/pose_synth" --out "$data" --train-images "$train_images" --val-images "$val_images" --seed 1
}
prepare() {
  "$bin/pose_prepare" --coco-root "$data" --split train2017 --boxes gt --shards 4 --force --out "$data/shards" --quiet &&
  "$bin/pose_prepare" --coco-root "$data" --split val2017 --boxes gt --shards 2 --force --out "$data/shards" --quiet
}
# Training resumes from its latest checkpoint when run again (and starts afresh otherwise).
run_args=(--config "$config" --data.root "$data" --run.output_dir "$runs" --run.resume auto "$@")
train() { launch "$bin/pose_train" "${run_args[@]}"; }
evaluate() {
  mkdir -p "$run"
  launch "$bin/pose_eval" "${run_args[@]}" 2>&1 | tee "$run/eval_trained.log"
  [ "${PIPESTATUS[0]}" = 0 ]
}
evaluate_untrained() {
  mkdir -p "$run"
  launch "$bin/pose_eval" "${run_args[@]}" --model untrained --out "$run/results_untrained" 2>&1 |
    tee "$run/eval_untrained.log"
  [ "${PIPESTATUS[0]}" = 0 ]
}

# A few val images with ground truth beside the trained model's prediction, and the curves.
pictures() {
  "$bin/pose_show" --results "$run/results/keypoints_val2017_results.json" \
    --gt "$data/annotations/person_keypoints_val2017.json" --images "$data/val2017" --first 4 --out "$run/pictures"
}
curves() { /usr/bin/python3 "$root/scripts/plot_training.py" --out "$run/training_curves.png" "$run/train_log.jsonl"; }

run_stage synthesise synthesise
run_stage prepare prepare
run_stage train train
run_stage evaluate evaluate
run_stage untrained evaluate_untrained
run_stage pictures pictures
run_stage curves curves

ap=$(ap_of "$run/eval_trained.log")
ap0=$(ap_of "$run/eval_untrained.log")
echo; echo "=== summary ==="
echo "device: $what"
echo "AP on the synthetic val set ($val_images images): trained $ap, untrained $ap0 (same network, initial weights)"
{
  echo "{\"device\": \"$device\", \"config\": \"$config\", \"AP\": \"$ap\", \"AP_untrained\": \"$ap0\", \"seconds\": {"
  sep=""
  if [ -n "${POSE_STAGE_TIMES:-}" ]; then
    while read -r s t; do echo "$sep\"$s\": $t"; sep=","; done < "$POSE_STAGE_TIMES"
  fi
  for s in "${stages[@]}"; do echo "$sep\"$s\": ${seconds[$s]}"; sep=","; done
  echo "}}"
} > "$run/summary.json"
printf '%-12s %-18s %10s\n' stage state seconds
if [ -n "${POSE_STAGE_TIMES:-}" ]; then
  while read -r s t; do printf '%-12s %-18s %10.1f\n' "$s" done "$t"; done < "$POSE_STAGE_TIMES"
fi
for s in "${stages[@]}"; do printf '%-12s %-18s %10.1f\n' "$s" "${state[$s]}" "${seconds[$s]}"; done
echo "outputs:"
echo "  data:              $data (images, annotations, shards/)"
echo "  run folder:        $run"
echo "  training log:      $run/train_log.jsonl"
echo "  checkpoints:       $(cd "$run" 2>/dev/null && ls checkpoint_*.h5 2>/dev/null | tr '\n' ' ')"
echo "  results (trained): $run/results/keypoints_val2017_results.json"
echo "  val pictures:      $run/pictures (ground truth left, prediction right)"
echo "  training curves:   $run/training_curves.png"
echo "  summary:           $run/summary.json"
echo "score a results file again: $bin/pose_coco_eval --gt $data/annotations/person_keypoints_val2017.json --results FILE"
for s in "${stages[@]}"; do
  [[ ${state[$s]} == FAILED* ]] && exit 1
done
exit 0
