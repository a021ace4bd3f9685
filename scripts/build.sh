#!/usr/bin/env bash
# Configures and builds the project into build/ (or $POSE_BUILD_DIR). Extra arguments go to
# the CMake configure step, e.g. scripts/build.sh -DPOSE_CUDA=OFF. Safe to run again: an
# existing build folder is reused and only what changed is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 "$@"
cmake --build "$build" -j "$(nproc)"
