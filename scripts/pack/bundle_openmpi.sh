#!/usr/bin/env bash
# bundle_openmpi.sh DEST: copies this machine's Open MPI runtime (launcher, daemons, libraries,
# MCA components, PMIx, help texts) into DEST as a relocatable tree, for a node that has no
# MPI of its own. Source it with DEST/env.sh (OPAL_* and PMIX_* variables point Open MPI and
# PMIx at DEST). Components for high-speed fabrics (UCX, libfabric, verbs, PSM) are left out:
# a test pack runs its ranks on one node, over shared memory.
set -euo pipefail
dest=${1:?usage: bundle_openmpi.sh DEST}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib_closure.sh"

command -v ompi_info >/dev/null || { echo "bundle_openmpi: ompi_info not found (install openmpi-bin)" >&2; exit 1; }
ompi_path() { ompi_info --path "$1" --parsable | awk -F: -v k="$1" '$2 == k { print $3; exit }'; }
bindir=$(ompi_path bindir)
pkglibdir=$(ompi_path pkglibdir)
pkgdatadir=$(ompi_path pkgdatadir)
version=$(ompi_info --parsable | awk -F: '$1 == "ompi" && $2 == "version" && $3 == "full" { print $4; exit }')

rm -rf "$dest"
mkdir -p "$dest"/{bin,lib/openmpi,lib/pmix,share/openmpi,share/pmix,etc}
cp -L "$bindir/orterun" "$bindir/orted" "$dest/bin/"
cp -L "$bindir/orterun" "$dest/bin/mpiexec"
copy_closure "$dest/lib" "$dest"/bin/*

fabric_re='^(libuc[pstm]|libfabric|libibverbs|librdmacm|libpsm|libjvm|libjava)'
skipped=()
for component in "$pkglibdir"/mca_*.so; do
  name=$(basename "$component")
  if LD_LIBRARY_PATH=$dest/lib needed_libs "$component" | awk '{ print $1 }' | grep -Eq "$fabric_re"; then
    skipped+=("${name%.so}")
    continue
  fi
  cp -L "$component" "$dest/lib/openmpi/"
done
copy_closure "$dest/lib" "$dest"/lib/openmpi/*.so

# PMIx: Open MPI's pmix component loads libpmix; PMIx loads its own plugins and help texts from
# its install prefix (the folder above the library's lib/).
pmix_lib=$(needed_libs "$dest/lib/openmpi/mca_pmix_ext3x.so" 2>/dev/null | awk '$1 ~ /^libpmix/ { print $2 }' || true)
if [ -n "$pmix_lib" ]; then
  pmix_prefix=$(dirname "$(dirname "$(readlink -f "$pmix_lib")")")
  [ -d "$pmix_prefix/lib/pmix" ] && cp -L "$pmix_prefix"/lib/pmix/*.so "$dest/lib/pmix/"
  [ -d "$pmix_prefix/share/pmix" ] && cp -L "$pmix_prefix"/share/pmix/* "$dest/share/pmix/"
  copy_closure "$dest/lib" "$dest"/lib/pmix/*.so
fi
cp -L "$pkgdatadir"/help-*.txt "$dest/share/openmpi/"
printf '# Bundled Open MPI %s: no site settings.\n' "$version" > "$dest/etc/openmpi-mca-params.conf"
printf '# Bundled PMIx: no site settings.\n' > "$dest/etc/pmix-mca-params.conf"

cat > "$dest/env.sh" <<'EOF'
# Source with the bundle's folder as $1 (or from inside it): points Open MPI and PMIx there.
mpi_root=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")}" && pwd)
export OPAL_PREFIX=$mpi_root OPAL_EXEC_PREFIX=$mpi_root OPAL_BINDIR=$mpi_root/bin
export OPAL_LIBDIR=$mpi_root/lib OPAL_PKGLIBDIR=$mpi_root/lib/openmpi
export OPAL_DATAROOTDIR=$mpi_root/share OPAL_DATADIR=$mpi_root/share
export OPAL_PKGDATADIR=$mpi_root/share/openmpi OPAL_SYSCONFDIR=$mpi_root/etc
export OMPI_MCA_mca_base_component_path=$mpi_root/lib/openmpi
export PMIX_PREFIX=$mpi_root PMIX_EXEC_PREFIX=$mpi_root PMIX_BINDIR=$mpi_root/bin
export PMIX_LIBDIR=$mpi_root/lib PMIX_PKGLIBDIR=$mpi_root/lib/pmix
export PMIX_DATAROOTDIR=$mpi_root/share PMIX_DATADIR=$mpi_root/share
export PMIX_PKGDATADIR=$mpi_root/share/pmix PMIX_SYSCONFDIR=$mpi_root/etc
export PMIX_MCA_mca_base_component_path=$mpi_root/lib/pmix
export PATH=$mpi_root/bin:$PATH
export LD_LIBRARY_PATH=$mpi_root/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
EOF
echo "bundle_openmpi: Open MPI $version, $(ls "$dest"/lib/openmpi | wc -l) components" \
  "(left out: ${skipped[*]:-none}), $(du -sh "$dest" | cut -f1)"
