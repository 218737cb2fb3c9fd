#!/usr/bin/env bash
# Quick start 2: install dependencies, build, run bounded libFuzzer runs of every fuzz target
# (clang build; ASTRO_FUZZ_SECONDS=0 skips them), then the whole test suite through CTest.
# Extra arguments go to ctest (e.g. -L unit, -LE slow, -R store).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
if [ "${ASTRO_FUZZ_SECONDS:-15}" != 0 ]; then
  scripts/fuzz.sh "${ASTRO_FUZZ_SECONDS:-15}"
fi
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# OpenBLAS's fast kernels for test executables too (scripts/blas-core.sh says why).
core=$(scripts/blas-core.sh)
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -n "$core" ]; then export OPENBLAS_CORETYPE=$core; fi
ctest --test-dir build/release --output-on-failure -j "$(nproc)" "$@"
