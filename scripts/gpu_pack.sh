#!/usr/bin/env bash
# The portable GPU test pack (docs/gpu_host.md): builds the CUDA flavour on this machine (a
# login node) and packs what a bare GPU compute node needs to run the GPU tests, benchmarks
# and short GPU trainings into .gpu/ (ignored by git):
#   .gpu/pose-gpu-pack.tar.xz   programs, bundled libraries, Open MPI runtime, test data
#   .gpu/run.sh                 the visit script (scripts/gpu_visit.sh)
# On the node, from the folder holding .gpu/:  bash .gpu/run.sh OUT_DIR [--budget SECONDS]
#
#   scripts/gpu_pack.sh            build and pack
#   scripts/gpu_pack.sh --check    also run the packed visit here on a simulated bare node
#                                  (scripts/pack/bare_node.sh) and check what it wrote
# POSE_GPU_BUILD_DIR (default build-gpu) and CMAKE_CUDA_ARCHITECTURES (default 90) are honoured.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${POSE_GPU_BUILD_DIR:-$root/build-gpu}
arch=${CMAKE_CUDA_ARCHITECTURES:-90}
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: gpu_pack.sh [--check]" >&2; exit 2 ;;
esac
source "$root/scripts/pack/lib_closure.sh"

apps=(pose_info pose_train pose_eval pose_synth pose_prepare pose_bench_loader pose_bench_train_step)
# Test programs of the visit: the GPU ones (read from the test manifest) and a 2-rank MPI smoke.
smoke_test=test_runtime_mpi

"$root/scripts/install_deps.sh" --pack
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPOSE_CUDA=ON \
  -DPOSE_STATIC_THIRD_PARTY=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" >/dev/null
mapfile -t tests < <(awk -v smoke="$smoke_test" '$3 == "gpu" || $1 == smoke { print $1 }' "$build/tests.txt")
targets=("${apps[@]/pose_eval/pose_eval_program}" "${tests[@]}")
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

stage=$(mktemp -d)
trap 'rm -rf --one-file-system "$stage"' EXIT
pack=$stage/pose-gpu-pack
mkdir -p "$pack"/{bin,lib,scripts}
for program in "${apps[@]}" "${tests[@]}"; do
  install -s "$build/bin/$program" "$pack/bin/$program"
done
awk -v smoke="$smoke_test" '$3 == "gpu" || $1 == smoke' "$build/tests.txt" > "$pack/tests.txt"

# Open MPI as a relocatable runtime; everything else the programs need that a node does not
# provide (nothing, when the static link worked) into lib/.
"$root/scripts/pack/bundle_openmpi.sh" "$pack/mpi"
LD_LIBRARY_PATH=$pack/mpi/lib closure_skip_dir=$pack/mpi/lib copy_closure "$pack/lib" "$pack"/bin/*
# A shared copy of a library meant to be static means the static link silently fell back.
static_re='^lib(boost|jpeg|hdf5|openblas|gfortran|quadmath|cudart|sz|aec)'
for program in "$pack"/bin/*; do
  shared=$(needed_libs "$program" | awk '{ print $1 }' | grep -E "$static_re" || true)
  if [ -n "$shared" ]; then
    echo "gpu_pack: $(basename "$program") links these dynamically, not statically:" $shared >&2
    exit 1
  fi
done

cp -r "$root/tests/data" "$pack/data"
cp -r "$root/configs" "$pack/configs"
cp "$root/scripts/bench_pytorch_pose.py" "$pack/scripts/"
cp "$root/tests/mpi_launch.sh" "$pack/mpi_launch.sh"
{
  echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), $(ldd --version | head -1)"
  echo "cuda_architectures $arch"
  echo "needs glibc >= $(find "$pack/bin" "$pack/lib" "$pack/mpi" -type f -name '*' -exec objdump -T {} + 2>/dev/null |
    grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
  echo "cudnn $(awk '/define CUDNN_(MAJOR|MINOR|PATCHLEVEL) /{ printf "%s%s", sep, $3; sep="." }' "$(find /usr/local/cuda/include /usr/include -name cudnn_version.h 2>/dev/null | head -1)")"
} > "$pack/VERSION"

rm -rf "$root/.gpu"
mkdir -p "$root/.gpu"
tar -C "$stage" -cJf "$root/.gpu/pose-gpu-pack.tar.xz" pose-gpu-pack
cp "$root/scripts/gpu_visit.sh" "$root/.gpu/run.sh"
echo "gpu_pack: $(ls "$pack/bin" | wc -l) programs, $(du -sh "$pack" | cut -f1) unpacked," \
  "$(du -h "$root/.gpu/pose-gpu-pack.tar.xz" | cut -f1) packed: $root/.gpu"

if [ $check = 1 ]; then
  out=$(mktemp -d)
  "$root/scripts/pack/check_pack.sh" "$root/.gpu" "$out"
fi
