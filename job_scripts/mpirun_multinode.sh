#!/usr/bin/env bash
# Trains with pose_train across the machines of a hostfile with plain Open MPI mpirun, one rank
# per GPU on every node: for clusters without a batch system, or inside an allocation where
# mpirun is the launcher of choice. Passes --run.resume auto, so running the same command again
# after a stop continues from the run's latest checkpoint.
#
# Use (on one of the nodes, with the repository and build at the same path on every node):
#   POSE_HOSTFILE=hosts.txt job_scripts/mpirun_multinode.sh
#   POSE_HOSTFILE=hosts.txt POSE_GPUS_PER_NODE=8 job_scripts/mpirun_multinode.sh --train.lr 0.002
#   POSE_HOSTFILE=hosts.txt job_scripts/mpirun_multinode.sh --dry-run    # print the line only
# The hostfile names one node per line ("node01 slots=4"; '#' starts a comment).
# Arguments (after an optional --dry-run) go to pose_train unchanged (any --section.key VALUE).
# Variables: POSE_HOSTFILE (default hostfile in the current folder), POSE_GPUS_PER_NODE
# (default: the slots= of the hostfile's first node, else the GPUs nvidia-smi sees here),
# POSE_CONFIG (default configs/coco/res50_256x192_adam_lr1e-3.ini), POSE_BIN_DIR,
# POSE_WORK_DIR, POSE_PROGRAM (see job_scripts/common.sh), POSE_BIND (mpirun --bind-to:
# none, the default, or numa), POSE_MPIRUN_ARGS (more mpirun flags, e.g. "--mca pml ucx"),
# POSE_FORWARD_ENV (names of more variables to copy to the ranks).
# Ranks get PATH, LD_LIBRARY_PATH and every NCCL_*, UCX_* and CUDA_* variable set here (-x):
# set e.g. NCCL_SOCKET_IFNAME or NCCL_IB_HCA before running when NCCL picks the wrong network.
# This is Open MPI's syntax; MPICH and Intel MPI spell it mpiexec -f HOSTFILE -ppn N -genvall.
#
# Stopping: Ctrl-C, SIGTERM or SIGUSR1 to this script is passed to mpirun as SIGUSR1, which
# mpirun forwards to every rank: the ranks write a checkpoint at the next step boundary and
# exit with status 4 ("stopped cleanly after a checkpoint, resume me"), and so does this
# script: run the same command again to continue. Signal this script, or mpirun with SIGUSR1
# (`kill -USR1 <mpirun pid>`): mpirun sent SIGTERM or SIGINT itself also stops the ranks after
# a checkpoint, but exits with status 1, which hides that. Exit statuses: 0 done, 2 bad input
# or config, 4 checkpointed after a signal, anything else a failure (job_scripts/README.md).
#
# Logs: rank output comes to this terminal (redirect it, e.g. |& tee train.log); the run's own
# files (checkpoints, metrics, the effective config) go to <run.output_dir>/<run.name> under
# POSE_WORK_DIR.
set -euo pipefail

if [[ ${1:-} == --dry-run ]]; then
  export DRY_RUN=1
  shift
fi
# shellcheck source=job_scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pose_init "$(dirname "${BASH_SOURCE[0]}")/.."
POSE_CONFIG=${POSE_CONFIG:-configs/coco/res50_256x192_adam_lr1e-3.ini}
hostfile=${POSE_HOSTFILE:-hostfile}
bind=${POSE_BIND:-none}

# Nodes: the hostfile's distinct names, comments and blank lines left out.
if [[ -f $hostfile ]]; then
  hosts=$(sed -e 's/#.*//' "$hostfile" | awk 'NF {print $1}' | sort -u)
  nodes=$(grep -c . <<<"$hosts" || true)
  slots=$(sed -e 's/#.*//' "$hostfile" | sed -nE 's/.*slots=([0-9]+).*/\1/p' | head -n 1)
  ((nodes > 0)) || pose_fail 2 "hostfile $hostfile names no nodes"
  # Absolute, because mpirun starts in POSE_WORK_DIR.
  hostfile=$(cd "$(dirname "$hostfile")" && pwd)/$(basename "$hostfile")
elif pose_is_dry_run; then
  nodes=2
  slots=
  echo "# hostfile $hostfile not found: a dry run assumes $nodes nodes"
else
  pose_fail 2 "hostfile $hostfile not found: set POSE_HOSTFILE to a file naming one node per line"
fi

gpus_per_node=${POSE_GPUS_PER_NODE:-$slots}
if [[ -z $gpus_per_node ]] && command -v nvidia-smi >/dev/null; then
  gpus_per_node=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
  ((gpus_per_node > 0)) || gpus_per_node=
fi
if [[ -z $gpus_per_node ]]; then
  if pose_is_dry_run; then
    gpus_per_node=4
    echo "# GPUs per node unknown here: a dry run assumes $gpus_per_node (set POSE_GPUS_PER_NODE)"
  else
    pose_fail 2 "GPUs per node unknown: set POSE_GPUS_PER_NODE or slots= in $hostfile"
  fi
fi
[[ $gpus_per_node =~ ^[1-9][0-9]*$ ]] || pose_fail 2 "POSE_GPUS_PER_NODE=$gpus_per_node: expected a positive whole number"
[[ $bind == none || $bind == numa ]] || pose_fail 2 "POSE_BIND=$bind: expected none or numa"

pose_check_program
pose_check_config

# ppr:N:node puts exactly N ranks on each node whatever its slot count, so local rank = GPU.
# --bind-to none by default: Open MPI binds each rank to a core or socket otherwise, which would
# squeeze a rank's loader threads onto it; numa keeps a rank's threads near its memory instead.
launch=(mpirun -np "$((nodes * gpus_per_node))" --hostfile "$hostfile"
  --map-by "ppr:$gpus_per_node:node" --bind-to "$bind")
pose_openmpi_flags launch
pose_forward_env launch
pose_split_words extra "${POSE_MPIRUN_ARGS:-}"
launch+=("${extra[@]}")
pose_program_args program auto "$@"
launch+=("${program[@]}")
pose_validate_program "${program[@]}"

pose_show "training" "${launch[@]}"
if pose_is_dry_run; then exit 0; fi

cd "$POSE_WORK_DIR"
pose_run_step "${launch[@]}"
pose_explain_status "$POSE_STATUS"
exit "$POSE_STATUS"
