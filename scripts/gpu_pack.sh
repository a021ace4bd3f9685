#!/usr/bin/env bash
# Builds the GPU flavour of the project (CUDA backend for sm_90, Boost.Program_options and
# libjpeg-turbo linked statically: the GPU host lacks the first and names the second
# differently) and packs its programs into .gpu/ (ignored by git), with the visit script.
# Then, on the GPU host, from the repository root:  bash .gpu/run.sh OUT_DIR
# See docs/gpu_host.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_GPU_BUILD_DIR:-$root/build-gpu}
"$root/scripts/install_deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPOSE_CUDA=ON \
  -DPOSE_STATIC_THIRD_PARTY=ON -DCMAKE_CUDA_ARCHITECTURES=90
cmake --build "$build" -j "$(nproc)"
rm -rf "$root/.gpu"
cmake --install "$build" --prefix "$root/.gpu" >/dev/null
cp "$root/scripts/gpu_visit.sh" "$root/.gpu/run.sh"
# Everything in .gpu/bin must resolve on the host: only system, MPI, HDF5 and CUDA libraries.
if ldd "$root"/.gpu/bin/* | grep -E "boost_program_options|libjpeg" >/dev/null; then
  echo "gpu_pack: a packed program links Boost or libjpeg dynamically; the GPU host lacks them" >&2
  exit 1
fi
du -sh "$root/.gpu"
