#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds, and runs every CTest label
# (unit, mpi, gpu, e2e). gpu tests skip with a message on machines without a GPU.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh"
cd "${POSE_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 900 -j 2
