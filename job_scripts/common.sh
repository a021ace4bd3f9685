# Settings and helpers shared by the launchers in job_scripts/; sourced by them, never run.
#
# Every launcher reads the same variables, so a setting means the same thing everywhere:
#   POSE_BIN_DIR   folder holding the programs     (default: <repository>/build/bin)
#   POSE_PROGRAM   program to launch               (default: pose_train)
#   POSE_CONFIG    INI config                      (default: chosen by each launcher)
#   POSE_WORK_DIR  folder the ranks start in; relative paths in the config (data.root,
#                  run.output_dir, model.pretrained) are relative to it  (default: <repository>)
#   DRY_RUN=1      print the launch line and exit 0 without launching (also --dry-run as the
#                  first argument of a launcher)
# Everything after a launcher's own arguments goes to the program unchanged, so any config key
# can be overridden as --section.key VALUE.

# pose_init REPO: fills in the shared settings; call once, after locating the repository.
pose_init() {
  POSE_REPO_DIR=$(cd "$1" && pwd)
  POSE_BIN_DIR=${POSE_BIN_DIR:-$POSE_REPO_DIR/build/bin}
  POSE_PROGRAM=${POSE_PROGRAM:-pose_train}
  POSE_WORK_DIR=${POSE_WORK_DIR:-$POSE_REPO_DIR}
}

# True when the user asked for a dry run; "0" and empty mean a real launch.
pose_is_dry_run() {
  [[ -n ${DRY_RUN:-} && ${DRY_RUN} != 0 ]]
}

# pose_fail STATUS MESSAGE: a launcher's own input error, worded for the user.
pose_fail() {
  echo "error: $2" >&2
  exit "$1"
}

# pose_check_program: a real launch needs the program; a dry run only warns, so the line can be
# inspected on a machine where nothing is built.
pose_check_program() {
  local program=$POSE_BIN_DIR/$POSE_PROGRAM
  if [[ -x $program ]]; then return 0; fi
  if pose_is_dry_run; then
    echo "# note: $program is not built here (fine for a dry run)"
    return 0
  fi
  pose_fail 2 "$program not found or not executable: build first (scripts/build.sh) or set POSE_BIN_DIR"
}

# pose_check_config: catches a mistyped path before a job waits in the queue for nothing.
pose_check_config() {
  local config=$POSE_CONFIG
  [[ $config == /* ]] || config=$POSE_WORK_DIR/$config
  if [[ -f $config ]]; then return 0; fi
  if pose_is_dry_run; then
    echo "# note: config $config does not exist here"
    return 0
  fi
  pose_fail 2 "config $config not found: set POSE_CONFIG (relative paths start at $POSE_WORK_DIR)"
}

# pose_validate_program PROGRAM ARGS...: in a dry run, runs the program once with its
# arguments and --print-config, so a bad key or value (--train.lr abc, --bogus.key 1) fails
# now, with the program's own message and status 2, rather than after the job has waited in
# the queue; then reports whether the data and weights the configuration names exist here
# (as warnings: they may live where only the job's nodes see them). Needs the built program.
pose_validate_program() {
  pose_is_dry_run || return 0
  [[ -x $1 ]] || return 0
  local printed status=0
  printed=$(cd "$POSE_WORK_DIR" && "$@" --print-config 2>&1) || status=$?
  if ((status != 0)); then
    echo "$printed" >&2
    pose_fail 2 "$POSE_PROGRAM refuses this configuration (above): fix it before submitting"
  fi
  echo "# configuration checked: $POSE_PROGRAM accepts it"
  _pose_check_config_paths "$printed"
}

# _pose_check_config_paths PRINTED_CONFIG: a warning for each path of the configuration that
# does not exist (relative paths start at POSE_WORK_DIR; shards at data.root).
_pose_check_config_paths() {
  local -A value
  local section= line key
  while IFS= read -r line; do
    line=${line%%#*}
    if [[ $line =~ ^\[([a-z]+)\] ]]; then section=${BASH_REMATCH[1]}; continue; fi
    if [[ $line =~ ^([a-z_]+)\ =\ ?(.*[^ ])?\ *$ ]]; then value[$section.${BASH_REMATCH[1]}]=${BASH_REMATCH[2]:-}; fi
  done <<<"$1"
  local root=${value[data.root]:-}
  [[ $root == /* ]] || root=$POSE_WORK_DIR/$root
  if [[ ! -d $root ]]; then echo "# warning: data.root $root does not exist here"; fi
  for key in data.train_shards data.val_shards; do
    local shards=${value[$key]:-}
    [[ -n $shards ]] || continue
    [[ $shards == /* ]] || shards=$root/$shards
    if [[ ! -f $shards/index.json && ! -f $shards ]]; then echo "# warning: $key $shards holds no prepared split here"; fi
  done
  local weights=${value[model.pretrained]:-}
  if [[ -n $weights ]]; then
    [[ $weights == /* ]] || weights=$POSE_WORK_DIR/$weights
    if [[ ! -f $weights ]]; then echo "# warning: model.pretrained $weights does not exist here"; fi
  fi
}

# pose_has_flag KEY ARGS...: whether ARGS already set --KEY; the programs refuse a key given
# twice, so a launcher adds its own value (e.g. --run.resume auto) only when the user did not.
pose_has_flag() {
  local key=$1 arg
  shift
  for arg in "$@"; do
    if [[ $arg == "--$key" || $arg == "--$key="* ]]; then return 0; fi
  done
  return 1
}

# pose_program_args ARRAY_NAME RESUME ARGS...: the program and its arguments: config, then for
# training with RESUME=auto --run.resume auto (so a rerun or requeued job continues from the
# run's latest checkpoint instead of starting again; RESUME=fresh adds nothing), then ARGS.
# RESUME=requeued is for a requeued or continued job: the user's own --run.resume (a file the
# first start began from) is dropped, since the run has a newer checkpoint_latest.h5 by now,
# and --run.resume auto continues from that.
pose_program_args() {
  local -n _pose_program=$1
  local resume=$2
  shift 2
  _pose_program=("$POSE_BIN_DIR/$POSE_PROGRAM" --config "$POSE_CONFIG")
  local -a args=("$@")
  if [[ $resume == requeued && $POSE_PROGRAM == pose_train ]]; then
    args=()
    while (($#)); do
      if [[ $1 == --run.resume ]]; then
        echo "# requeued: --run.resume $2 dropped; continuing from the run's latest checkpoint"
        shift 2
        continue
      elif [[ $1 == --run.resume=* ]]; then
        echo "# requeued: $1 dropped; continuing from the run's latest checkpoint"
      else
        args+=("$1")
      fi
      shift
    done
    resume=auto
  fi
  if [[ $resume == auto && $POSE_PROGRAM == pose_train ]] && ! pose_has_flag run.resume "${args[@]}"; then
    _pose_program+=(--run.resume auto)
  fi
  _pose_program+=("${args[@]}")
}

# pose_openmpi_flags ARRAY_NAME: Open MPI flags every launcher needs. Open MPI refuses to run
# as root without --allow-run-as-root; containers often run as root.
pose_openmpi_flags() {
  local -n _pose_flags=$1
  if [[ $(id -u) == 0 ]]; then _pose_flags+=(--allow-run-as-root); fi
}

# pose_forward_env ARRAY_NAME: "-x NAME" for the variables remote ranks need. Open MPI copies
# no environment to other nodes by itself; NCCL reads its settings (interfaces, IB devices,
# debug level) from NCCL_* in every rank. POSE_FORWARD_ENV adds names of your own.
pose_forward_env() {
  local -n _pose_env_flags=$1
  local name
  local -a names=(PATH LD_LIBRARY_PATH OMP_NUM_THREADS)
  # shellcheck disable=SC2207  # variable names never contain spaces
  names+=($(compgen -e | grep -E '^(NCCL_|UCX_|CUDA_)' || true))
  # shellcheck disable=SC2206  # a space-separated list of names, split on purpose
  names+=(${POSE_FORWARD_ENV:-})
  for name in "${names[@]}"; do
    if [[ -n ${!name+set} ]]; then _pose_env_flags+=(-x "$name"); fi
  done
}

# pose_split_words ARRAY_NAME TEXT: extra launcher flags given as one variable (e.g.
# POSE_MPIRUN_ARGS="--mca pml ucx"), split on spaces; quoting inside is not supported.
pose_split_words() {
  local -n _pose_words=$1
  read -r -a _pose_words <<<"${2:-}"
}

# pose_show WHAT ARGS...: prints the launch line as a shell-quoted command that can be pasted
# back into a shell; the same line is printed by dry runs and at the top of real job logs.
pose_show() {
  local what=$1
  shift
  if pose_is_dry_run; then
    echo "# dry run: $what would run in $POSE_WORK_DIR:"
  else
    echo "# $what, in $POSE_WORK_DIR:"
  fi
  local quoted
  printf -v quoted '%q ' "$@"
  echo "${quoted% }"
}

# pose_run_step ARGS...: runs a launcher (srun, mpirun) and waits for it, passing SIGUSR1,
# SIGTERM or SIGINT (Ctrl-C) sent to this script on to the launcher as SIGUSR1, which the
# launcher forwards to the ranks: "checkpoint at the next step boundary and exit with status 4".
# SIGUSR1 is the one signal that Open MPI's mpirun both forwards and answers with the ranks'
# own status (4); sent SIGTERM or SIGINT itself, mpirun also stops the ranks, which checkpoint,
# but it then exits with 1. Sets POSE_STATUS (the launcher's exit status) and POSE_GOT_USR1 /
# POSE_GOT_TERM (which signals this script got; SIGINT counts as SIGTERM), so the caller can
# tell a requested stop (continue the run) from a cancel (leave it stopped). Bash runs a trap
# only between commands, so the launcher runs in the background (where a script's commands
# ignore SIGINT, so Ctrl-C reaches the launcher only through this script) and a signal
# interrupts the wait instead of waiting for the launcher to finish.
pose_run_step() {
  pose_catch_stop_signals
  "$@" &
  POSE_STEP_PID=$!
  # A stop asked for before the launcher existed still has to reach it.
  if ((POSE_GOT_USR1 || POSE_GOT_TERM)); then kill -USR1 "$POSE_STEP_PID" 2>/dev/null || true; fi
  local traps_seen
  while :; do
    traps_seen=$POSE_TRAPS_RUN
    POSE_STATUS=0
    wait "$POSE_STEP_PID" || POSE_STATUS=$?
    # A trapped signal ends `wait` early with a status above 128; waiting again gives the
    # launcher's own status (bash keeps it even when the launcher has ended meanwhile).
    if ((POSE_STATUS > 128 && POSE_TRAPS_RUN != traps_seen)); then continue; fi
    break
  done
  trap - USR1 TERM INT
}

# pose_catch_stop_signals: installs the traps of pose_run_step early, for a script that may
# signal itself (a timer) before the launcher starts; calling it again keeps what was caught.
pose_catch_stop_signals() {
  POSE_STEP_PID=${POSE_STEP_PID:-}
  POSE_GOT_USR1=${POSE_GOT_USR1:-0}
  POSE_GOT_TERM=${POSE_GOT_TERM:-0}
  POSE_TRAPS_RUN=${POSE_TRAPS_RUN:-0}
  trap '_pose_forward_stop USR1' USR1
  trap '_pose_forward_stop TERM' TERM
  trap '_pose_forward_stop INT' INT
}

_pose_forward_stop() {
  POSE_TRAPS_RUN=$((POSE_TRAPS_RUN + 1))
  if [[ $1 == USR1 ]]; then POSE_GOT_USR1=1; else POSE_GOT_TERM=1; fi
  echo "# received SIG$1: asking the ranks to checkpoint and stop"
  if [[ -n $POSE_STEP_PID ]]; then kill -USR1 "$POSE_STEP_PID" 2>/dev/null || true; fi
}

# pose_explain_status STATUS: one line on what the program's exit status means.
pose_explain_status() {
  case $1 in
    0) echo "# exit status 0: finished" ;;
    2) echo "# exit status 2: bad input or config; rank 0's message above says what to fix" ;;
    3) echo "# exit status 3: a capability this build does not have yet (see its message)" ;;
    4) echo "# exit status 4: stopped cleanly after writing a checkpoint; run again with --run.resume auto to continue" ;;
    *) echo "# exit status $1: failure; look for 'FATAL (rank' or 'error' above" ;;
  esac
}
