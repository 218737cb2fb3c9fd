#!/bin/sh
# One command for the SFT throughput table: writes the corpus, initial weights and the trainer's
# exact batches, trains them in PyTorch eager (peer_sft.py, Debian python3-torch), then
# with Astro's trainer, and prints both side by side with the ratio.
#   tests/benchmarks/train/run_sft_bench.sh [BUILD_DIR]   (default build/release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/release}
bench="$build/tests/benchmarks/train/bench_sft"
[ -x "$bench" ] || { echo "no $bench: build the bench_sft target first" >&2; exit 1; }
# Both sides on the same OpenBLAS kernels (bench_sft sets them itself; scripts/blas-core.sh).
core=$("$here/../../../scripts/blas-core.sh")
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -n "$core" ]; then export OPENBLAS_CORETYPE=$core; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --prepare "$work"
/usr/bin/python3 "$here/peer_sft.py" --work "$work" --out "$work/peer.json"
"$bench" --run "$work" --peer "$work/peer.json"
