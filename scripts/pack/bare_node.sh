#!/usr/bin/env bash
# bare_node.sh COMMAND...: runs COMMAND as it would run on a bare GPU compute node, on this
# development machine: inside a private mount namespace (unshare -m; nothing outside it
# changes) that hides Open MPI and PMIx, HDF5, OpenBLAS, Boost.Program_options, libjpeg,
# hwloc, libevent, the CUDA toolkit and ssh/rsh, and that offers cuDNN, NCCL and the CUDA
# libraries only where a node's Python would: a stand-in venv whose site-packages/nvidia/
# {cudnn,nccl,cu13}/lib show this machine's CUDA libraries. The venv's python3 comes first
# on PATH. Needs root (mounts) and util-linux's unshare.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: bare_node.sh COMMAND..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bare_node: needs root for its private mounts" >&2; exit 1; }
if [ "${POSE_BARE_NODE_STAGE:-}" = "" ]; then
  # Outside: the namespace's mounts (binds of real system folders among them) vanish with its
  # last process, so the stage folder is removed only after that, and never across a mount.
  stage=$(mktemp -d)
  set +e
  POSE_BARE_NODE_STAGE=$stage unshare --mount --propagation private "$0" "$@"
  rc=$?
  rm -rf --one-file-system "$stage"
  exit $rc
fi

stage=$POSE_BARE_NODE_STAGE
cuda=${POSE_BARE_NODE_CUDA:-/usr/local/cuda}

# The stand-in venv: site-packages/nvidia/*/lib are read-only bind mounts of the toolkit's
# libraries, made before the toolkit is hidden.
python3 -m venv --without-pip "$stage/venv" >/dev/null
site=$("$stage/venv/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
for pkg in cudnn nccl cu13; do
  mkdir -p "$site/nvidia/$pkg/lib"
  mount --bind "$(readlink -f "$cuda")/lib64" "$site/nvidia/$pkg/lib"
  mount -o remount,bind,ro "$site/nvidia/$pkg/lib"
done

# Whole folders: an empty tmpfs over each.
hide_dirs=("$(readlink -f "$cuda")" /usr/local/cuda /etc/openmpi /usr/share/openmpi
  /usr/lib/x86_64-linux-gnu/openmpi /usr/lib/x86_64-linux-gnu/pmix2
  /usr/lib/x86_64-linux-gnu/openblas-pthread /usr/lib/x86_64-linux-gnu/hdf5)
for d in "${hide_dirs[@]}"; do
  [ -d "$d" ] && mount -t tmpfs -o size=1m bare_node "$d"
done

# Single files: an overlay on their folder whose upper layer holds a whiteout for each.
hide_files() {  # hide_files DIR PATTERN...
  local dir=$1; shift
  local upper=$stage/upper${dir//\//_} work=$stage/work${dir//\//_} pattern f
  mkdir -p "$upper" "$work"
  for pattern in "$@"; do
    for f in "$dir"/$pattern; do
      [ -e "$f" ] || [ -L "$f" ] || continue
      [ -e "$upper/$(basename "$f")" ] && continue
      mknod "$upper/$(basename "$f")" c 0 0
    done
  done
  mount -t overlay bare_node -o "lowerdir=$dir,upperdir=$upper,workdir=$work" "$dir"
}
hide_files /usr/lib/x86_64-linux-gnu 'libmpi*' 'libopen-rte*' 'libopen-pal*' 'libpmix*' \
  'libhdf5*' 'libopenblas*' 'libblas*' 'liblapack*' 'libboost_program_options*' 'libjpeg*' \
  'libhwloc*' 'libevent*' 'libcudnn*' 'libnccl*' 'libcudart*' 'libcublas*'
hide_files /usr/bin ssh rsh 'mpi*' orterun orted 'ompi*' 'orte*' 'h5*' nvcc
hide_files /usr/local/bin nvcc nvlink ptxas fatbinary cudafe++ bin2c __nvcc_device_query

export PATH=$stage/venv/bin:$PATH
"$@"
