#!/bin/sh
# One command for the model benchmark table: writes the two random checkpoints, runs the Python
# peer (PyTorch eager, Debian python3-torch) and bench_model on the same weights and inputs.
#   tests/benchmarks/model/run_model_bench.sh [BUILD_DIR]   (default build/release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/release}
bench="$build/tests/benchmarks/model/bench_model"
[ -x "$bench" ] || { echo "no $bench: build the bench_model target first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write-checkpoints "$work"
/usr/bin/python3 "$here/peer_llama.py" bench --checkpoints "$work" --out "$work/peer.json"
"$bench" --checkpoints "$work" --peer "$work/peer.json"
