#!/usr/bin/env bash
# Writes gzipped man pages into OUT_DIR from the programs' own help texts: astro.1 from
# `astro --help`, astro-SUB.1 from `astro SUB --help-all` for every subcommand `astro --help` lists,
# and astro-studio.1 from `astro-studio --help` when STUDIO is given. Run by the build
# (packaging/man_pages.cmake), never checked in, so the pages cannot drift from the programs.
set -euo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: $0 ASTRO OUT_DIR VERSION [STUDIO]" >&2
  exit 2
fi
astro=$1 out=$2 version=$3 studio=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
rm -f "$out"/*.1 "$out"/*.1.gz
# No OpenBLAS restart (core/base/blas_kernels.h) and no display: help only.
export ASTRO_KEEP_BLAS_CORE=1 QT_QPA_PLATFORM=offscreen
help=$(mktemp -d)
trap 'rm -rf "$help"' EXIT

"$astro" --help > "$help/astro.txt"
mapfile -t subcommands < <(awk '/^Subcommands:$/ { on = 1; next }
                                on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }' "$help/astro.txt")
# Each `astro` start loads libtorch (~1 s of CPU): two at a time.
# shellcheck disable=SC2016  # $1..$3 are the inner shell's arguments
printf '%s\n' "${subcommands[@]}" |
  xargs -P 2 -I{} sh -c '"$1" "$2" --help-all > "$3/astro-$2.txt"' _ "$astro" {} "$help"

page() {  # NAME PROGRAM SEE_ALSO
  awk -v name="$1" -v program="$2" -v version="$version" -v see_also="$3" \
    -f "$here/help_to_roff.awk" "$help/$1.txt" | gzip -9n > "$out/$1.1.gz"
}
sub_pages=$(printf 'astro-%s ' "${subcommands[@]}")
page astro astro "$sub_pages${studio:+astro-studio}"
for sub in "${subcommands[@]}"; do page "astro-$sub" "astro $sub" astro; done
if [ -n "$studio" ]; then
  "$studio" --help > "$help/astro-studio.txt" 2>/dev/null
  page astro-studio astro-studio astro
fi
