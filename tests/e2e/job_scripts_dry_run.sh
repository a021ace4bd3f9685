#!/usr/bin/env bash
# Checks the launchers in job_scripts/ without a cluster: job_scripts_dry_run.sh SOURCE_DIR
#  1. every script in dry-run mode (DRY_RUN=1 and --dry-run) exits 0, launches nothing, and
#     prints a launch line with the launcher, pose_train, the config, the user's overrides and,
#     for the training launchers, --run.resume auto (only once, and not when the user gave one,
#     except in a requeued or continued job, which always resumes from the latest checkpoint);
#  2. the Slurm and PBS scripts' exit-status handling, with stand-in srun/mpirun/scontrol/qsub
#     that record how they were called: status 4 after SIGUSR1 requeues (Slurm) or submits a
#     continuation (PBS), SIGTERM and other statuses do not, and the status is passed on.
#  3. with BIN_DIR (the built programs), dry runs check the configuration with pose_train
#     itself: a bad value or an unknown key fails with status 2 before anything is submitted,
#     and paths the config names that do not exist are warned about.
# Batch variables of any surrounding job are removed, so the scripts run as outside a job.
set -euo pipefail
src=$(cd "${1:?usage: job_scripts_dry_run.sh SOURCE_DIR [BIN_DIR]}" && pwd)
bin=${2:-}
jobs=$src/job_scripts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# Stand-ins for the launchers and batch commands. A launcher with STUB_MODE=exit:N exits with
# N at once; with STUB_MODE=wait it waits for SIGUSR1 (recorded) and then exits 4, like
# pose_train after a checkpoint. scontrol and qsub succeed. Every call is appended to $STUB_LOG.
mkdir -p "$tmp/stubs" "$tmp/bin"
cat >"$tmp/stubs/launcher" <<'EOF'
#!/usr/bin/env bash
trap 'echo "$(basename "$0") got USR1" >>"$STUB_LOG"; exit 4' USR1
echo "$(basename "$0") $*" >>"$STUB_LOG"
mode=${STUB_MODE:-exit:99}
case $(basename "$0") in scontrol | qsub) mode=exit:0 ;; esac
if [[ $mode == exit:* ]]; then exit "${mode#exit:}"; fi
touch "$STUB_LOG.ready"
for _ in $(seq 300); do sleep 0.1; done
exit 98
EOF
chmod +x "$tmp/stubs/launcher"
for name in srun mpirun mpiexec scontrol qsub; do ln -s launcher "$tmp/stubs/$name"; done
# A program file for the real-mode checks; the stand-in launchers never run it.
printf '#!/bin/sh\nexit 97\n' >"$tmp/bin/pose_train"
chmod +x "$tmp/bin/pose_train"

# Runs a command with no SLURM_/PBS_/POSE_ variables and the stand-ins first on PATH.
clean_env=()
while read -r name; do clean_env+=(-u "$name"); done < <(compgen -e | grep -E '^(SLURM_|PBS_|POSE_|DRY_RUN$)' || true)
outside_job() {
  env "${clean_env[@]}" PATH="$tmp/stubs:$PATH" STUB_LOG="$tmp/calls" "$@"
}

config_coco=configs/coco/res50_256x192_adam_lr1e-3.ini
config_tiny=configs/synthetic/tiny_cpu.ini

# check_dry_run NAME LAUNCHER CONFIG RESUME(yes|no) COMMAND...: runs a dry run and checks the
# launch line, the status and that nothing was launched.
check_dry_run() {
  local name=$1 launcher=$2 config=$3 resume=$4
  shift 4
  rm -f "$tmp/calls"
  local out status=0
  out=$(outside_job "$@" 2>&1) || status=$?
  echo "--- $name"
  echo "$out"
  local line
  line=$(grep -E "^$launcher " <<<"$out" | head -n 1 || true)
  if ((status != 0)); then fail "$name: exit status $status, expected 0"; return; fi
  if [[ -e $tmp/calls ]]; then fail "$name: a dry run launched $(cat "$tmp/calls")"; return; fi
  if [[ -z $line ]]; then fail "$name: no line starting with '$launcher'"; return; fi
  [[ $line == *pose_train* ]] || fail "$name: launch line lacks pose_train"
  [[ $line == *"--config $config"* ]] || fail "$name: launch line lacks --config $config"
  [[ $line == *"--train.lr 0.002"* ]] || fail "$name: launch line lacks the override --train.lr 0.002"
  if [[ $resume == yes ]]; then
    [[ $line == *"--run.resume auto"* ]] || fail "$name: launch line lacks --run.resume auto"
  else
    [[ $line != *"--run.resume auto"* ]] || fail "$name: launch line has --run.resume auto"
  fi
  pass "$name"
}

check_dry_run "slurm DRY_RUN=1" srun "$config_coco" yes \
  env DRY_RUN=1 bash "$jobs/slurm_train.sbatch" --train.lr 0.002
check_dry_run "slurm --dry-run" srun "$config_tiny" yes \
  env POSE_CONFIG="$config_tiny" bash "$jobs/slurm_train.sbatch" --dry-run --train.lr 0.002
check_dry_run "pbs DRY_RUN=1" mpirun "$config_coco" yes \
  env DRY_RUN=1 bash "$jobs/pbs_train.pbs" --train.lr 0.002
check_dry_run "pbs POSE_ARGS" mpirun "$config_coco" yes \
  env DRY_RUN=1 POSE_ARGS="--train.lr 0.002" bash "$jobs/pbs_train.pbs"
check_dry_run "pbs pals" mpiexec "$config_coco" yes \
  env DRY_RUN=1 POSE_PBS_LAUNCHER=pals bash "$jobs/pbs_train.pbs" --train.lr 0.002
check_dry_run "mpirun_multinode --dry-run" mpirun "$config_coco" yes \
  bash "$jobs/mpirun_multinode.sh" --dry-run --train.lr 0.002
check_dry_run "debug_local cpu" mpirun "$config_tiny" no \
  bash "$jobs/debug_local.sh" --dry-run cpu --train.lr 0.002
check_dry_run "debug_local gpu" env "$config_tiny" no \
  env DRY_RUN=1 bash "$jobs/debug_local.sh" gpu --train.lr 0.002

# Shapes of particular launch lines.
expect_line() {  # expect_line NAME PATTERN COMMAND...: the output has a line matching PATTERN
  local name=$1 pattern=$2 out
  shift 2
  out=$(outside_job "$@" 2>&1) || true
  if grep -qE -- "$pattern" <<<"$out"; then pass "$name"; else fail "$name: no line matching '$pattern' in:"$'\n'"$out"; fi
}
printf 'nodeA slots=8 # first\n\nnodeB slots=8\nnodeB slots=8\n' >"$tmp/hosts"
expect_line "multinode ranks from the hostfile" \
  "^mpirun -np 16 --hostfile $tmp/hosts --map-by ppr:8:node --bind-to none .*-x NCCL_SOCKET_IFNAME" \
  env POSE_HOSTFILE="$tmp/hosts" NCCL_SOCKET_IFNAME=eth0 bash "$jobs/mpirun_multinode.sh" --dry-run
expect_line "debug cpu flags" "^mpirun -np 3 --oversubscribe --bind-to none .*--run.device cpu --run.comm mpi" \
  env POSE_RANKS=3 bash "$jobs/debug_local.sh" --dry-run cpu
expect_line "debug gpu picks its GPU" "^env CUDA_VISIBLE_DEVICES=1 .*--run.device cuda --run.comm nccl" \
  env POSE_GPU=1 bash "$jobs/debug_local.sh" --dry-run gpu
expect_line "pbs placeholders from the select line" "^mpirun -np 4 --hostfile DRYRUN_PBS_NODEFILE --map-by ppr:4:node" \
  env DRY_RUN=1 bash "$jobs/pbs_train.pbs"

# A --run.resume of the user's replaces the launcher's (pose_train refuses a key given twice).
out=$(outside_job env DRY_RUN=1 bash "$jobs/slurm_train.sbatch" --run.resume runs/x/ckpt.h5 2>&1)
line=$(grep -E '^srun ' <<<"$out")
if [[ $line == *"--run.resume runs/x/ckpt.h5"* && $line != *"--run.resume auto"* ]]; then
  pass "user's --run.resume kept alone"
else
  fail "user's --run.resume: $line"
fi

# A requeued or continued job resumes from the run's latest checkpoint, not from the file the
# first start was given (which would throw away everything trained since).
for form in "--run.resume runs/x/ckpt.h5" "--run.resume=runs/x/ckpt.h5"; do
  # shellcheck disable=SC2086  # the form is one or two words on purpose
  out=$(outside_job env DRY_RUN=1 SLURM_JOB_ID=1 SLURM_RESTART_COUNT=1 bash "$jobs/slurm_train.sbatch" $form 2>&1)
  line=$(grep -E '^srun ' <<<"$out")
  if [[ $line == *"--run.resume auto"* && $line != *ckpt.h5* ]]; then
    pass "slurm requeue ($form): resumes from the latest checkpoint"
  else
    fail "slurm requeue ($form): $line"
  fi
  # shellcheck disable=SC2086
  out=$(outside_job env DRY_RUN=1 POSE_REQUEUE_COUNT=2 POSE_ARGS="$form" bash "$jobs/pbs_train.pbs" 2>&1)
  line=$(grep -E '^mpirun ' <<<"$out")
  if [[ $line == *"--run.resume auto"* && $line != *ckpt.h5* ]]; then
    pass "pbs continuation ($form): resumes from the latest checkpoint"
  else
    fail "pbs continuation ($form): $line"
  fi
done

# A dry run checks the configuration with the real program.
if [[ -n $bin && -x $bin/pose_train ]]; then
  for script in slurm_train.sbatch pbs_train.pbs mpirun_multinode.sh debug_local.sh; do
    for bad in "--train.lr abc:train.lr" "--bogus.key 1:--bogus.key"; do
      status=0
      # shellcheck disable=SC2086  # the flag and its value are two words on purpose
      out=$(outside_job env DRY_RUN=1 POSE_BIN_DIR="$bin" bash "$jobs/$script" ${bad%%:*} 2>&1) || status=$?
      if ((status == 2)) && [[ $out == *"${bad#*:}"* && $out == *"refuses this configuration"* ]]; then
        pass "$script dry run refuses ${bad%%:*}"
      else
        fail "$script dry run with ${bad%%:*}: status $status: $out"
      fi
    done
  done
  out=$(outside_job env DRY_RUN=1 POSE_BIN_DIR="$bin" POSE_CONFIG="$config_tiny" bash "$jobs/slurm_train.sbatch" \
    --data.root /nonexistent/pose_data 2>&1)
  if [[ $out == *"configuration checked"* && $out == *"warning: data.root /nonexistent/pose_data does not exist"* ]]; then
    pass "dry run warns about a missing data.root"
  else
    fail "dry run with a missing data.root: $out"
  fi
else
  echo "skip: configuration checks (no built pose_train given)"
fi

# Bad usage is refused with status 2, naming the problem.
status=0
out=$(outside_job bash "$jobs/debug_local.sh" --dry-run gpux 2>&1) || status=$?
if ((status == 2)) && [[ $out == *"unknown mode 'gpux'"* ]]; then pass "bad mode refused"; else fail "bad mode: status $status: $out"; fi
status=0
out=$(outside_job bash "$jobs/slurm_train.sbatch" 2>&1) || status=$?
if ((status == 2)) && [[ $out == *"not inside a Slurm job"* ]]; then pass "slurm outside a job refused"; else fail "slurm outside a job: status $status: $out"; fi

# --- Real mode with stand-ins. run_job NAME EXPECTED_STATUS SIGNAL(none|USR1|TERM) COMMAND...
# runs a batch script as its batch system would; with a SIGNAL, it is sent to the script once
# the stand-in launcher is waiting. Leaves the calls in $tmp/calls.
run_job() {
  local name=$1 expected=$2 signal=$3
  shift 3
  rm -f "$tmp/calls" "$tmp/calls.ready"
  local mode="exit:0"
  if [[ $signal != none ]]; then mode="wait"; fi
  # A simple command, so that $! is the script itself (env execs it), not a subshell.
  env "${clean_env[@]}" PATH="$tmp/stubs:$PATH" STUB_LOG="$tmp/calls" STUB_MODE="${STUB_MODE:-$mode}" \
    POSE_BIN_DIR="$tmp/bin" "$@" >"$tmp/out" 2>&1 &
  local pid=$! status=0
  if [[ $signal != none ]]; then
    for _ in $(seq 100); do [[ -e $tmp/calls.ready ]] && break; sleep 0.1; done
    kill -"$signal" "$pid"
  fi
  wait "$pid" || status=$?
  if ((status != expected)); then
    fail "$name: exit status $status, expected $expected; output:"$'\n'"$(cat "$tmp/out")"
    return 1
  fi
}
calls_have() { grep -qF -- "$1" "$tmp/calls" 2>/dev/null; }

slurm_job=(env SLURM_JOB_ID=4242 SLURM_CPUS_PER_TASK=6 bash "$jobs/slurm_train.sbatch" --train.lr 0.002)
if run_job "slurm USR1" 0 USR1 "${slurm_job[@]}"; then
  if calls_have "srun got USR1" && calls_have "scontrol requeue 4242" &&
    calls_have "srun --kill-on-bad-exit=0 --cpus-per-task=6 $tmp/bin/pose_train --config $config_coco --run.resume auto --train.lr 0.002"; then
    pass "slurm: SIGUSR1 reaches the ranks, status 4 requeues"
  else
    fail "slurm USR1: calls were: $(cat "$tmp/calls")"
  fi
fi
if run_job "slurm TERM" 4 TERM "${slurm_job[@]}"; then
  if calls_have "srun got USR1" && ! calls_have scontrol; then
    pass "slurm: SIGTERM checkpoints without requeueing"
  else
    fail "slurm TERM: calls were: $(cat "$tmp/calls")"
  fi
fi
if STUB_MODE=exit:4 run_job "slurm requeue limit" 4 none env SLURM_RESTART_COUNT=20 "${slurm_job[@]}"; then
  if ! calls_have scontrol; then pass "slurm: no requeue past POSE_MAX_REQUEUES"; else fail "slurm requeued past the limit"; fi
fi
for code in 0 2 1; do
  if STUB_MODE=exit:$code run_job "slurm status $code" "$code" none "${slurm_job[@]}"; then
    if ! calls_have scontrol; then pass "slurm: status $code passed on, no requeue"; else fail "slurm status $code requeued"; fi
  fi
done

printf 'n1\nn1\nn2\nn2\n' >"$tmp/nodefile"
pbs_job=(env PBS_JOBID=77.server PBS_NODEFILE="$tmp/nodefile" PBS_O_WORKDIR="$tmp"
  bash "$jobs/pbs_train.pbs" --train.lr 0.002)
# A walltime 2 s above the margin: the script's own timer sends SIGUSR1 after 2 s.
if run_job "pbs walltime" 0 none env STUB_MODE=wait POSE_WALLTIME=00:05:02 POSE_SIGNAL_MARGIN_S=300 "${pbs_job[@]}"; then
  if calls_have "mpirun got USR1" && calls_have "mpirun -np 4 --hostfile $tmp/nodefile --map-by ppr:2:node" &&
    calls_have "qsub -V -v POSE_REQUEUE_COUNT=1 -W depend=afterany:77.server $jobs/pbs_train.pbs"; then
    pass "pbs: timer's SIGUSR1 reaches the ranks, status 4 submits the continuation"
  else
    fail "pbs walltime: calls were: $(cat "$tmp/calls")"
  fi
fi
if run_job "pbs TERM" 4 TERM env POSE_WALLTIME=3600 "${pbs_job[@]}"; then
  if calls_have "mpirun got USR1" && ! calls_have qsub; then
    pass "pbs: SIGTERM checkpoints without a continuation"
  else
    fail "pbs TERM: calls were: $(cat "$tmp/calls")"
  fi
fi
if STUB_MODE=exit:2 run_job "pbs status 2" 2 none env POSE_WALLTIME=3600 "${pbs_job[@]}"; then
  if ! calls_have qsub; then pass "pbs: status 2 passed on, nothing submitted"; else fail "pbs status 2 submitted a job"; fi
fi

# The launchers without a batch system: a SIGTERM to the script reaches the ranks as SIGUSR1
# (the signal mpirun forwards and answers with the ranks' status), and status 4 comes back.
if run_job "multinode TERM" 4 TERM env POSE_HOSTFILE="$tmp/hosts" bash "$jobs/mpirun_multinode.sh"; then
  if calls_have "mpirun got USR1"; then pass "multinode: SIGTERM checkpoints, status 4"; else fail "multinode TERM: $(cat "$tmp/calls")"; fi
fi
if run_job "debug_local TERM" 4 TERM bash "$jobs/debug_local.sh" cpu; then
  if calls_have "mpirun got USR1"; then pass "debug_local: SIGTERM checkpoints, status 4"; else fail "debug_local TERM: $(cat "$tmp/calls")"; fi
fi

# The same with the real mpirun and pose_train: the status a requeue needs is what comes back.
if [[ -n $bin && -x $bin/pose_train ]] && command -v mpirun >/dev/null; then
  data=$tmp/data
  "$bin/pose_synth" --out "$data" --train-images 16 --val-images 0 --seed 5 >/dev/null
  "$bin/pose_prepare" --coco-root "$data" --split train2017 --shards 1 --quiet --out "$data/shards" >/dev/null
  env "${clean_env[@]}" POSE_BIN_DIR="$bin" bash "$jobs/debug_local.sh" cpu --data.root "$data" \
    --data.val_shards "" --run.output_dir "$tmp/runs" --run.log_interval 1 --data.loader_threads 1 \
    --train.epochs 100000 --train.lr_steps 1 >"$tmp/real.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [[ -s $tmp/runs/tiny_cpu/train_log.jsonl ]] && break; sleep 0.1; done
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  if ((status == 4)) && [[ -f $tmp/runs/tiny_cpu/checkpoint_latest.h5 ]]; then
    pass "debug_local with real mpirun: SIGTERM gives a checkpoint and status 4"
  else
    fail "debug_local with real mpirun: status $status; output:"$'\n'"$(cat "$tmp/real.out")"
  fi
fi

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all job script checks passed"
