#!/usr/bin/env bash
# packaging_deb_install_test: cpack -G DEB into a scratch folder (the build folder's own package
# output is left alone), dpkg -i both packages, then from the installed files only: astro
# --version, astro doctor, astro plugins (the packaged plugins load), the tiny pipeline
# (tests/pipeline/data/tiny.toml), astro-studio --screenshot under xvfb-run; then dpkg -r and
# dpkg -P, and every file dpkg -L listed must be gone. Exit 77 (CTest: skipped) when not root or
# without dpkg. examples/plugin-hello is built against the installed plugin SDK
# (find_package(AstroStudio)) and loaded by the installed `astro`.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd) source=$(cd "$2" && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to install packages with dpkg"
if ! command -v dpkg >/dev/null || ! command -v dpkg-deb >/dev/null; then
  skip "dpkg is not installed"
fi
packages=(astro-studio astro-studio-headless)
for package in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "installed"; then
    echo "FAIL: $package is already installed on this machine; remove it first" >&2
    exit 1
  fi
done

tmp=${TMPDIR:-/tmp}
case "$tmp" in "$source"*) tmp=/tmp ;; esac  # the source tree gets hidden below
scratch=$(mktemp -d "$tmp/astro-deb-test.XXXXXX")
cleanup() {
  # Whatever happened, leave the machine without the packages.
  dpkg -P "${packages[@]}" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
step() { printf '== %s (%ds)\n' "$*" "$SECONDS"; }

step "cpack -G DEB"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/cpack" > "$scratch/cpack.log" ||
  { cat "$scratch/cpack.log"; exit 1; }
debs=("$scratch"/cpack/*.deb)
ls -l "${debs[@]}"
for deb in "${debs[@]}"; do dpkg-deb --field "$deb" Package Version Depends; done
# The worker package is for GPU hosts without Qt 6 (Debian's libtorch still brings Qt 5: README).
if dpkg-deb --field "$scratch"/cpack/astro-studio-headless_*.deb Depends | grep -q qt6; then
  echo "FAIL: astro-studio-headless depends on Qt 6" >&2
  exit 1
fi

# lintian: no errors (warnings are listed); the desktop entry and metainfo validate.
if command -v lintian >/dev/null; then
  step "lintian"
  lintian --fail-on error --tag-display-limit 0 "${debs[@]}"
fi
command -v desktop-file-validate >/dev/null &&
  desktop-file-validate "$source/packaging/io.github.astrostudio.AstroStudio.desktop"

step "dpkg -i"
dpkg -i "${debs[@]}"
dpkg -L "${packages[@]}" | sort -u > "$scratch/files.txt"

step "installed programs"
# Nothing of the source or build tree may be used: the programs run in a mount namespace where the
# source tree (build folder included) is an empty tmpfs, so the compiled-in source resources/
# fallback finds nothing and only share/astro-studio beside /usr/bin can serve.
unset ASTRO_RESOURCES
export XDG_DATA_HOME="$scratch/xdg-data" XDG_CONFIG_HOME="$scratch/xdg-config"  # not root's home
installed() {
  # shellcheck disable=SC2016  # $0 and $@ belong to the inner shell
  unshare --mount --propagation private \
    sh -c 'mount -t tmpfs astro-hidden "$0" && exec "$@"' "$source" "$@"
}
if ! installed true 2>/dev/null; then
  # A container without CAP_SYS_ADMIN: the programs are still the installed ones, but a missing
  # installed resource could go unnoticed (the source tree's resources/ is the last fallback).
  echo "NOTE: cannot hide the source tree (unshare --mount refused); running without hiding it"
  installed() { "$@"; }
fi
work="$scratch/work"
mkdir -p "$work"
cd "$work"
installed /usr/bin/astro --version
installed /usr/bin/astro doctor
# The packaged plugins load from the package's plugin folder, probed by the packaged
# astro-plugin-probe (the build tree's is hidden), and none is refused.
unset ASTRO_PLUGIN_PATH ASTRO_PLUGIN_PROBE
installed /usr/bin/astro plugins | tee "$scratch/plugins.txt"
packaged_gsm8k="^  gsm8k .* /usr/lib/.*astro-studio/plugins/libastro-plugin-gsm8k.so$"
grep -q "$packaged_gsm8k" "$scratch/plugins.txt" &&
  grep -q " loaded, 0 refused$" "$scratch/plugins.txt" ||
  { echo "FAIL: astro plugins did not load the packaged plugins" >&2; exit 1; }
[ -s /usr/share/man/man1/astro.1.gz ] && [ -s /usr/share/man/man1/astro-run.1.gz ]
command -v appstreamcli >/dev/null &&
  appstreamcli validate --no-net /usr/share/metainfo/io.github.astrostudio.AstroStudio.metainfo.xml

step "tiny pipeline"
cp "$source/tests/pipeline/data/tiny.toml" "$source/tests/pipeline/data/world_direct_sft.jsonl" \
  "$work/"
installed /usr/bin/astro --workspace "$work/workspace" run --format text "$work/tiny.toml" \
  > "$work/run.log"
tail -n 3 "$work/run.log"
run_id=$(awk 'NR == 1 && $1 == "run" { print $2 }' "$work/run.log")
[ -n "$run_id" ] || { echo "FAIL: astro run printed no run id" >&2; exit 1; }
installed /usr/bin/astro --workspace "$work/workspace" runs show "$run_id"
# The presets shipped with the package check as valid.
installed /usr/bin/astro pipeline check /usr/share/astro-studio/pipelines/miniature-quick.toml

step "a plugin built against the installed SDK"
# docs/plugins.md's example, configured with no prefix path: find_package(AstroStudio) must find
# the package's config under /usr and the installed `astro` must load the plugin.
cp -r "$source/examples/plugin-hello" "$work/plugin-hello"
{ cmake -S "$work/plugin-hello" -B "$work/plugin-hello/build" &&
  cmake --build "$work/plugin-hello/build"; } > "$work/plugin-hello.log" ||
  { cat "$work/plugin-hello.log"; exit 1; }
loaded='"name":"parity",.*"loaded":true,"refusal":"","registered":\["domain:parity"\]'
ASTRO_PLUGIN_PATH="$work/plugin-hello/build" installed /usr/bin/astro plugins --json |
  grep -q "$loaded" || { echo "FAIL: the installed astro did not load the example plugin" >&2; exit 1; }

step "astro-studio --screenshot under Xvfb"
command -v xvfb-run >/dev/null || skip "xvfb-run is not installed (the rest passed)"
QT_QPA_PLATFORM=xcb installed xvfb-run -a /usr/bin/astro-studio --workspace "$work/workspace" \
  --open-run "$run_id" --screenshot "$work/studio.png"
[ -s "$work/studio.png" ] || { echo "FAIL: no screenshot written" >&2; exit 1; }
cd /

step "dpkg -r, dpkg -P"
dpkg -r "${packages[@]}"
dpkg -P "${packages[@]}"
left=0
while IFS= read -r path; do
  [ -n "$path" ] || continue
  # Folders other packages share (/usr/bin, /usr/share/man/man1, ...) stay; our own must go.
  if [ -d "$path" ] && [ ! -L "$path" ]; then
    case "$path" in
      */astro-studio | */astro-studio/* | */astro-studio-headless) ;;
      *) continue ;;
    esac
  fi
  if [ -e "$path" ] || [ -L "$path" ]; then
    echo "left behind: $path" >&2
    left=1
  fi
done < "$scratch/files.txt"
[ "$left" -eq 0 ] || { echo "FAIL: files left after dpkg -P" >&2; exit 1; }
step "passed"
