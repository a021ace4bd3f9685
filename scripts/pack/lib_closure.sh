# Sourced by the pack scripts. copy_closure DEST FILE...: copies into DEST every shared library
# that the ELF files FILE... need, directly or through each other, except those a GPU node is
# expected to provide itself (glibc, the C++ runtime, the driver, cuDNN, NCCL) and those already
# in $closure_skip_dir (another bundle). A library the build machine cannot resolve stops the
# pack with its name.

# Provided by the node: glibc's libraries, libstdc++/libgcc_s (cuDNN and NCCL need them too),
# the driver (libcuda, libnvidia-*), and cuDNN/NCCL, which the visit finds at run time.
node_provided_re='^(linux-vdso|ld-linux[^ ]*|libc|libm|libdl|libpthread|librt|libutil|libresolv|libstdc\+\+|libgcc_s|libcuda|libnvidia-[^ ]*|libcudnn[^ ]*|libnccl)\.so'

# needed_libs FILE: "name path" per shared library FILE needs (path "not-found" when unresolved).
needed_libs() {
  ldd "$1" 2>/dev/null | awk '
    /=> not found/ { print $1, "not-found"; next }
    /=>/ && $3 ~ /^\// { print $1, $3 }'
}

copy_closure() {
  local dest=$1; shift
  mkdir -p "$dest"
  local queue=("$@") file name path
  while [ ${#queue[@]} -gt 0 ]; do
    file=${queue[0]}; queue=("${queue[@]:1}")
    while read -r name path; do
      [[ $name =~ $node_provided_re ]] && continue
      if [ "$path" = not-found ]; then
        echo "pack: $file needs $name, which this machine cannot resolve" >&2
        return 1
      fi
      [ -e "$dest/$name" ] && continue
      [ -n "${closure_skip_dir:-}" ] && [ -e "$closure_skip_dir/$name" ] && continue
      cp -L "$path" "$dest/$name"
      queue+=("$dest/$name")
    done < <(LD_LIBRARY_PATH=$dest${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} needed_libs "$file")
  done
}
