#!/bin/sh
# One command for the model benchmark table: writes the two random checkpoints, then runs the
# Python peer (PyTorch eager, Debian python3-torch) and bench_model on the same weights and inputs
# in alternating rounds (peer, ours, peer, ours, ...), so a busy spell of a shared machine falls
# on both sides; the table shows per-metric medians over the rounds and each round's ratio range.
#   tests/benchmarks/model/run_model_bench.sh [BUILD_DIR] [ROUNDS]   (default build/release, 3)
# Both sides use $ASTRO_THREADS threads when it is set, else one per core.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/release}
rounds=${2:-3}
bench="$build/tests/benchmarks/model/bench_model"
[ -x "$bench" ] || { echo "no $bench: build the bench_model target first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write-checkpoints "$work"
ours="" peer=""
round=1
while [ "$round" -le "$rounds" ]; do
  echo "round $round of $rounds (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  /usr/bin/python3 "$here/peer_llama.py" bench --checkpoints "$work" --out "$work/peer$round.json"
  "$bench" --checkpoints "$work" --out "$work/ours$round.json"
  ours="$ours${ours:+,}$work/ours$round.json"
  peer="$peer${peer:+,}$work/peer$round.json"
  round=$((round + 1))
done
"$bench" --table "$ours" --peer "$peer"
