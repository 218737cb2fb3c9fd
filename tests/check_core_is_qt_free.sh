#!/usr/bin/env bash
# core/ must build without Qt (DESIGN.md): no Qt include in its sources, no Qt in what it links.
set -euo pipefail
source_dir=$1
binary_dir=$2
status=0
if hits=$(grep -rnE '#\s*include\s*[<"](Q[A-Z][A-Za-z]*|Qt[A-Za-z]*/)' "$source_dir/core"); then
  echo "core/ includes Qt headers:"; echo "$hits"; status=1
fi
if grep -rnE 'Qt6?::|find_package\(Qt' "$source_dir/core" --include=CMakeLists.txt --include='*.cmake'; then
  echo "core/ CMake links or finds Qt"; status=1
fi
if [ -f "$binary_dir/build.ninja" ]; then
  # The link lines of core's libraries must not name Qt.
  if awk '/^build core\//,/^$/' "$binary_dir/build.ninja" | grep -q 'libQt6'; then
    echo "a core/ target links Qt"; status=1
  fi
fi
[ $status -eq 0 ] && echo "core/ is Qt-free"
exit $status
