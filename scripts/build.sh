#!/usr/bin/env bash
# Configures (once) and builds a CMake preset (default: release) incrementally; arguments after the
# preset go to `cmake --build` (scripts/run.sh builds `--target astro astro-studio` only).
# Usage: scripts/build.sh [PRESET] [CMAKE_BUILD_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
shift || true
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
# Torch translation units need ~1 GiB each; two jobs fit the smallest supported machine.
jobs=${ASTRO_BUILD_JOBS:-$(nproc)}
cmake --build "build/$preset" -j "$jobs" "$@"
