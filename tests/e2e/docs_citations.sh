#!/usr/bin/env bash
# The docs stand alone: docs_citations.sh SOURCE_DIR fails when the sources or docs cite a
# file that is not in the repository (REFERENCE.md lived outside it), or a docs/NAME.md that
# does not exist.
set -euo pipefail
src=$(cd "${1:?usage: docs_citations.sh SOURCE_DIR}" && pwd)
cd "$src"
places=(README.md docs src kernels preprocess job_scripts scripts tests configs)
failures=0
if grep -rn --exclude=docs_citations.sh 'REFERENCE\.md' "${places[@]}"; then
  echo "FAIL: the lines above cite REFERENCE.md, which is not part of the repository" >&2
  failures=$((failures + 1))
fi
while read -r cited; do
  if [[ ! -f $cited ]]; then
    echo "FAIL: $cited is cited but does not exist" >&2
    failures=$((failures + 1))
  fi
done < <(grep -rhoE --exclude=docs_citations.sh 'docs/[a-z_]+\.md' "${places[@]}" | sort -u)
if ((failures > 0)); then exit 1; fi
echo "all citations of docs/ resolve"
