#!/usr/bin/env bash
# Quick start 1: install dependencies, build, and run the main job on the built-in default.
# Under a display it opens Astro Studio; headless it prints `astro doctor`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
bin=build/release/app
"$bin/astro" doctor
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/astro-studio"
fi
