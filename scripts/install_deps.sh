#!/usr/bin/env bash
# Installs the Debian 12 packages the build and tests need, only if some are missing (so it is
# cheap and safe to run again). Needs root, or sudo. The CUDA toolkit (nvcc, cuDNN, NCCL) is
# not installed here: without it the project builds and tests its CPU backend (POSE_CUDA=AUTO).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache python3
  libopenmpi-dev openmpi-bin
  libhdf5-dev hdf5-tools
  libboost-program-options-dev
  libjpeg62-turbo-dev
  libopenblas-dev
  # oneDNN: the CPU backend's fast convolutions (the build falls back to im2col without it)
  libdnnl-dev
  libgtest-dev
  nlohmann-json3-dev
  # the weight converters and their tests (torch, torchvision, h5py), the training-curve plot
  python3-torch python3-torchvision python3-h5py python3-matplotlib
)
# --pack: also what scripts/gpu_pack.sh links statically or packs (docs/gpu_host.md).
if [ "${1:-}" = --pack ]; then
  packages+=(libaec-dev zlib1g-dev libgfortran-12-dev xz-utils)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install_deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "install_deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
