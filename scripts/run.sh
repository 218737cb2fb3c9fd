#!/usr/bin/env bash
# Quick start 1: install dependencies, build the two programs (not the tests), and run the main job
# on the built-in default: the whole ASTRO pipeline on the miniature world
# (resources/pipelines/miniature-quick.toml, 13 minutes on a fresh 2-core Debian 12). Under a display
# the run then opens in Astro Studio; headless, its summary is printed. The workspace is
# $ASTRO_WORKSPACE, else build/workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Only the two programs and their libraries: scripts/test.sh builds the tests and benchmarks into
# the same folder, reusing these objects.
scripts/build.sh release --target astro astro-studio
bin=build/release/app
workspace=${ASTRO_WORKSPACE:-$PWD/build/workspace}
"$bin/astro" doctor
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$bin/astro" --workspace "$workspace" run --format text resources/pipelines/miniature-quick.toml | tee "$log"
run_id=$(awk 'NR == 1 && $1 == "run" { print $2 }' "$log")
[ -n "$run_id" ] || { echo "run.sh: astro run printed no run id" >&2; exit 1; }
"$bin/astro" --workspace "$workspace" runs show "$run_id"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/astro-studio" --workspace "$workspace" --open-run "$run_id"
fi
