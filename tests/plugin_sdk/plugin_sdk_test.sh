#!/usr/bin/env bash
# plugin_sdk_test: what docs/plugins.md tells a plugin author, run as written. `cmake --install
# --component sdk` into a scratch prefix (header and package config only), then configure, build
# and install examples/plugin-hello with -DCMAKE_PREFIX_PATH=<prefix> in a scratch folder, check
# the file name, the exported symbols and the install folder, and run the build tree's `astro
# plugins --json` with ASTRO_PLUGIN_PATH=<the example's build folder>: "parity" must be loaded
# from there with domain:parity registered, and `astro evaluate --help` must offer --verifier
# parity. Also checks the version request (0.1 found, 99 not) and that docs/plugins.md quotes the
# example's code as it is.
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR ASTRO CMAKE" >&2
  exit 2
fi
build=$1 source=$2 astro=$3 cmake=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '== %s (%ds)\n' "$*" "$SECONDS"; }
tmp=${ASTRO_TEST_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$tmp"
scratch=$(mktemp -d "$tmp/plugin-sdk-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix

step "docs/plugins.md shows the example as it is"
python3 - "$source" <<'PY'
import sys
root = sys.argv[1]
doc = open(f"{root}/docs/plugins.md").read()
code = open(f"{root}/examples/plugin-hello/parity_plugin.cpp").read()
cmake = open(f"{root}/examples/plugin-hello/CMakeLists.txt").read()
assert code in doc, "docs/plugins.md's copy of parity_plugin.cpp differs from the file"
assert cmake[cmake.index("cmake_minimum_required"):] in doc, "its CMakeLists.txt differs"
PY

step "cmake --install --component sdk"
"$cmake" --install "$build" --prefix "$prefix" --component sdk
[ -f "$prefix/include/astro-studio/astro_plugin.h" ] || fail "astro_plugin.h was not installed"
config=$(find "$prefix" -name AstroStudioConfig.cmake)
[ -n "$config" ] || fail "AstroStudioConfig.cmake was not installed"
echo "installed: $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"

step "configure and build examples/plugin-hello"
example=$scratch/plugin-hello
# A copy: the example must need nothing of the source tree beside it.
cp -r "$source/examples/plugin-hello" "$example"
"$cmake" -S "$example" -B "$example/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$scratch/configure.log" || { cat "$scratch/configure.log"; exit 1; }
"$cmake" --build "$example/build" > "$scratch/build.log" || { cat "$scratch/build.log"; exit 1; }
plugin=$example/build/libastro-plugin-parity.so
[ -f "$plugin" ] || fail "no $plugin; built: $(ls "$example/build")"
# Hidden visibility: the two entry points are the plugin's only exported functions.
exported=$(nm -D --defined-only "$plugin" | awk '$2 == "T" {print $3}' | sort | tr '\n' ' ')
[ "$exported" = "astro_plugin_manifest astro_plugin_register " ] ||
  fail "exported functions are '$exported', expected the two entry points only"

step "install the plugin"
"$cmake" --install "$example/build" --prefix "$scratch/plugin-prefix" > /dev/null
installed=$(cd "$scratch/plugin-prefix" && find . -name 'libastro-plugin-parity.so')
case "$installed" in
  ./lib/*astro-studio/plugins/libastro-plugin-parity.so) echo "installed to $installed" ;;
  *) fail "plugin installed to '$installed', not <prefix>/lib/<multiarch>/astro-studio/plugins" ;;
esac

step "version requests"
mkdir -p "$scratch/version"
for request in "0.1:found" "99:refused"; do
  version=${request%%:*} expected=${request##*:}
  cat > "$scratch/version/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(version_check LANGUAGES CXX)  # a language: the multiarch lib/<tuple> is searched
find_package(AstroStudio $version)
message(STATUS "AstroStudio $version: \${AstroStudio_FOUND} \${AstroStudio_VERSION} api \${AstroStudio_PLUGIN_API_VERSION}")
CMAKE
  rm -rf "$scratch/version/build"
  result=$("$cmake" -S "$scratch/version" -B "$scratch/version/build" \
    -DCMAKE_PREFIX_PATH="$prefix" 2>&1 | grep "AstroStudio $version:" || true)
  echo "$result"
  if [ "$expected" = found ]; then
    [[ "$result" == *": 1 "*" api 1" ]] || fail "find_package(AstroStudio $version) did not find it"
  else
    [[ "$result" == *": 0 "* ]] || fail "find_package(AstroStudio $version) accepted $result"
  fi
done

step "astro plugins --json"
# Only the example's build folder: the plugins of the build tree come after it and may be listed.
report=$(ASTRO_PLUGIN_PATH="$example/build" "$astro" plugins --json)
echo "$report"
python3 - "$report" "$plugin" <<'PY'
import json, os, sys
report, path = json.loads(sys.argv[1]), sys.argv[2]
plugins = report["plugins"] if isinstance(report, dict) else report
parity = [p for p in plugins if p.get("name") == "parity"]
assert len(parity) == 1, f"parity listed {len(parity)} times"
parity = parity[0]
assert parity.get("loaded") is True, f"parity not loaded: {parity.get('refusal')}"
assert os.path.realpath(parity["path"]) == os.path.realpath(path), parity["path"]
assert "domain:parity" in parity.get("registered", []), parity.get("registered")
print("parity loaded from", parity["path"], "registering", parity["registered"])
PY
step "astro evaluate --help"
# Its domain is a --verifier choice of the commands that grade, with its description.
ASTRO_PLUGIN_PATH="$example/build" "$astro" evaluate --help |
  grep -q "parity (even or odd, the last one named wins)" ||
  fail "astro evaluate --help does not offer --verifier parity"
step "done"
