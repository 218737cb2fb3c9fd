#!/usr/bin/env bash
# Installs every Debian 12 package Astro Studio builds, tests and runs with, and the npm packages
# of tests/serve/node (the official OpenAI Node client that drives `astro serve`). Idempotent: a
# second run installs nothing and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev libvulkan-dev
  libtorch-dev libopenblas0-openmp libgloo-dev
  libgraphviz-dev graphviz
  libsqlite3-dev sqlite3
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libpcre2-dev libicu-dev libcpp-httplib-dev
  clang libclang-rt-14-dev
  xvfb xauth xfonts-base fonts-dejavu-core
  librsvg2-bin lintian desktop-file-utils appstream
  python3-torch python3-numpy python3-scipy
  openssh-client openssh-server tar
  slurmctld slurmd slurm-client munge
)
# Node for tests/serve/node; Debian's only when there is no node on PATH (nvm, NodeSource, ...).
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
  else
    sudo=
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The openai package at the version tests/serve/node/package-lock.json pins (git-ignored).
if [ ! -d tests/serve/node/node_modules ]; then
  echo "installing tests/serve/node/node_modules (npm ci)"
  npm ci --prefix tests/serve/node --no-audit --no-fund
fi
