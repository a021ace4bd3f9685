#!/usr/bin/env bash
# Runs pose_train on this one machine for debugging: on the CPU with several MPI ranks (the
# host-staged gradient path, no GPU needed), or on GPUs (one rank by default, started without
# mpirun so a debugger or compute-sanitizer can wrap it directly).
#
# Use (the default config trains on the synthetic data that ./scripts/run_main.sh prepares
# under data/synthetic):
#   job_scripts/debug_local.sh                          # cpu mode, 2 ranks
#   job_scripts/debug_local.sh cpu --run.log_interval 1 # + overrides for pose_train
#   POSE_RANKS=4 job_scripts/debug_local.sh cpu
#   job_scripts/debug_local.sh gpu                      # 1 rank on GPU 0
#   POSE_GPU=1 job_scripts/debug_local.sh gpu --train.precision fp16
#   POSE_RANKS=2 job_scripts/debug_local.sh gpu         # 2 ranks, one per GPU, NCCL
#   POSE_DEBUG_WRAPPER="gdb --args" job_scripts/debug_local.sh gpu
#   job_scripts/debug_local.sh --dry-run gpu            # print the line only (or DRY_RUN=1)
# Arguments: [--dry-run] [cpu|gpu] then pose_train's own (any --section.key VALUE).
# Modes: cpu = --run.device cpu --run.comm mpi under mpirun --oversubscribe (more ranks than
# cores is fine for debugging); gpu = --run.device cuda --run.comm nccl, failing loudly when no
# GPU is visible instead of falling back to the CPU.
# Variables: POSE_RANKS (cpu: 2, gpu: 1), POSE_GPU (gpu mode with 1 rank: the GPU to use,
# default 0), POSE_DEBUG_WRAPPER (a command put before pose_train in every rank, e.g.
# "compute-sanitizer" or "valgrind"), POSE_CONFIG (default configs/synthetic/tiny_cpu.ini),
# POSE_BIN_DIR, POSE_WORK_DIR, POSE_PROGRAM (see job_scripts/common.sh). No --run.resume is
# added: a debug run starts afresh unless you pass --run.resume auto yourself.
#
# Exit statuses: 0 done, 2 bad input or config (also a bad mode here), 4 stopped cleanly after
# a checkpoint on Ctrl-C, SIGTERM or SIGUSR1 to this script (passed to the ranks as SIGUSR1;
# resume with --run.resume auto; with POSE_DEBUG_WRAPPER the debugger gets Ctrl-C instead),
# anything else a failure (job_scripts/README.md).
#
# Logs: to this terminal; the run's own files go to <run.output_dir>/<run.name> under
# POSE_WORK_DIR (runs/tiny_cpu with the default config).
set -euo pipefail

if [[ ${1:-} == --dry-run ]]; then
  export DRY_RUN=1
  shift
fi
# shellcheck source=job_scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pose_init "$(dirname "${BASH_SOURCE[0]}")/.."
POSE_CONFIG=${POSE_CONFIG:-configs/synthetic/tiny_cpu.ini}

mode=cpu
if [[ ${1:-} == cpu || ${1:-} == gpu ]]; then
  mode=$1
  shift
elif [[ -n ${1:-} && ${1:-} != --* ]]; then
  pose_fail 2 "unknown mode '$1': expected cpu or gpu (then pose_train's --section.key flags)"
fi

if [[ $mode == cpu ]]; then
  ranks=${POSE_RANKS:-2}
  device=cpu comm=mpi
else
  ranks=${POSE_RANKS:-1}
  device=cuda comm=nccl
fi
# The mode's device and communication, unless given among the arguments (a key given twice is
# refused by pose_train).
device_flags=()
pose_has_flag run.device "$@" || device_flags+=(--run.device "$device")
pose_has_flag run.comm "$@" || device_flags+=(--run.comm "$comm")
[[ $ranks =~ ^[1-9][0-9]*$ ]] || pose_fail 2 "POSE_RANKS=$ranks: expected a positive whole number"

pose_check_program
pose_check_config

pose_split_words wrapper "${POSE_DEBUG_WRAPPER:-}"
pose_program_args program fresh "${device_flags[@]}" "$@"
if [[ $mode == gpu && $ranks == 1 ]]; then
  # One rank needs no mpirun: MPI starts as a singleton, and a debugger wraps the program
  # itself rather than mpirun. CUDA_VISIBLE_DEVICES picks the GPU, which the rank sees as 0.
  launch=(env "CUDA_VISIBLE_DEVICES=${POSE_GPU:-0}" "${wrapper[@]}" "${program[@]}")
else
  # --bind-to none: with 2 ranks Open MPI would bind each to a single core, starving the
  # loader threads; --oversubscribe allows more ranks than cores.
  launch=(mpirun -np "$ranks" --oversubscribe --bind-to none)
  pose_openmpi_flags launch
  launch+=("${wrapper[@]}" "${program[@]}")
fi

pose_validate_program "${program[@]}"
pose_show "debug run ($mode, $ranks rank(s))" "${launch[@]}"
if pose_is_dry_run; then exit 0; fi

cd "$POSE_WORK_DIR"
if ((${#wrapper[@]})); then
  # A debugger needs the terminal in the foreground: it gets Ctrl-C itself.
  POSE_STATUS=0
  "${launch[@]}" || POSE_STATUS=$?
else
  pose_run_step "${launch[@]}"
fi
pose_explain_status "$POSE_STATUS"
exit "$POSE_STATUS"
