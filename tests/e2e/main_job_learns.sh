#!/usr/bin/env bash
# The main job in small (main_job_learns.sh SOURCE_DIR BUILD_DIR): scripts/main_job.sh on the
# CPU in a scratch folder with the main job's recipe on a smaller synthetic set (4,000 training
# images, 64 val images) and three epochs at a constant rate.
# Passes when it finishes, the untrained network scores AP < 0.05 and the trained one scores at
# least MIN_GAIN more (docs/performance.md gives the APs this was set from).
set -euo pipefail
src=$(cd "${1:?usage: main_job_learns.sh SOURCE_DIR BUILD_DIR}" && pwd)
build=$(cd "${2:?usage: main_job_learns.sh SOURCE_DIR BUILD_DIR}" && pwd)
readonly MIN_GAIN=${MIN_GAIN:-0.1}  # measured gain 0.209 (docs/performance.md), about half of it
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

POSE_BUILD_DIR=$build POSE_DATA_DIR=$tmp/data POSE_RUNS_DIR=$tmp/runs POSE_DEVICE=cpu \
  POSE_TRAIN_IMAGES=4000 POSE_VAL_IMAGES=64 \
  "$src/scripts/main_job.sh" --train.epochs 3 --train.lr_steps 1 --train.lr_factor 1 --run.val_interval 100 \
  --run.checkpoint_interval 100
summary=$tmp/runs/cpu_main/summary.json
python3 - "$summary" "$MIN_GAIN" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
gain = float(sys.argv[2])
ap, ap0 = float(s["AP"]), float(s["AP_untrained"])
print(f"AP trained {ap:.4f}, untrained {ap0:.4f}, required gain {gain}")
if ap0 >= 0.05:
    sys.exit(f"FAIL: the untrained network scores AP {ap0} >= 0.05")
if ap < ap0 + gain:
    sys.exit(f"FAIL: training gained {ap - ap0:.4f} AP, less than {gain}")
print("ok: the main job learns")
PY
