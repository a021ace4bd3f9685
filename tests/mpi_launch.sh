#!/usr/bin/env bash
# Runs a program under mpiexec with N ranks on this one machine: mpi_launch.sh N program [args...]
# --oversubscribe lets N exceed the cores; --allow-run-as-root is added only when running as root.
# POSE_MPIEXEC names another launcher than the mpiexec on PATH (the GPU test pack's bundled one).
set -euo pipefail
ranks=$1; shift
flags=(-n "$ranks" --oversubscribe --bind-to none)
if [ "$(id -u)" = 0 ]; then flags+=(--allow-run-as-root); fi
exec "${POSE_MPIEXEC:-mpiexec}" "${flags[@]}" "$@"
