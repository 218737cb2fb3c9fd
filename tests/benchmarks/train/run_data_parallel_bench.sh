#!/bin/sh
# Data-parallel SFT on this machine's cores: `astro sft --nproc 2` with one thread per rank (two
# processes over Gloo) beside `astro sft` with two threads (one process), on the miniature world's
# corpus and models (bench_sft --prepare), the same global batch on both sides. Prints the median
# tokens/s of each (steps 3..N of three alternating runs) and the ratio.
#   tests/benchmarks/train/run_data_parallel_bench.sh [BUILD_DIR] [MODEL...]   (default tiny small)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/release}
[ $# -gt 0 ] && shift
models=${*:-tiny small}
bench="$build/tests/benchmarks/train/bench_sft"
astro="$build/app/astro"
[ -x "$bench" ] && [ -x "$astro" ] || { echo "build bench_sft and astro first" >&2; exit 1; }
core=$("$here/../../../scripts/blas-core.sh")
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -n "$core" ]; then export OPENBLAS_CORETYPE=$core; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --prepare "$work" >/dev/null
steps=14
train() {  # model label nproc threads round
  out="$work/$1-$2-$5"
  ASTRO_THREADS=$4 "$astro" sft --model "$work/$1/init" --data "$work/corpus.jsonl" --out "$out" \
    --lr 4e-3 --batch 16 --micro-batch-rows 8 --max-length 256 --no-pack --warmup 2 \
    --epochs 1 --seed 1 --nproc "$3" > "$out.jsonl" 2> "$out.err" &
  pid=$!
  # Stop after $steps steps: the corpus holds more; the launcher forwards SIGTERM to its ranks.
  while :; do
    done_steps=$(grep -c '"step"' "$out.jsonl" 2>/dev/null) || true
    [ "${done_steps:-0}" -ge $steps ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
  done
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  if [ "$(grep -c '"step"' "$out.jsonl" 2>/dev/null)" -le 2 ] 2>/dev/null; then
    echo "astro sft ($2, $1) trained fewer than 3 steps:" >&2; tail -5 "$out.err" >&2; exit 1
  fi
  cat "$out.jsonl" >> "$work/$1-$2.all"
}
for model in $models; do
  for round in 1 2 3; do
    train "$model" one-process-2-threads 1 2 "$round"
    train "$model" two-ranks-1-thread 2 1 "$round"
  done
done
/usr/bin/python3 - "$work" $models <<'PY'
import json, statistics, sys
work, models = sys.argv[1], sys.argv[2:]
print("SFT tokens/s, global batch 16 (8 rows per micro-batch), median of steps 3..14 of 3 runs each")
print(f"{'model':8}{'1 proc x 2 thr':>16}{'2 ranks x 1 thr':>17}{'ratio':>8}")
for model in models:
    rates = {}
    for side in ("one-process-2-threads", "two-ranks-1-thread"):
        values = []
        for line in open(f"{work}/{model}-{side}.all"):
            record = json.loads(line)
            if "tokens_per_s" in record and record["step"] > 2:
                values.append(record["tokens_per_s"])
        rates[side] = statistics.median(values) if values else 0.0
    one, two = rates["one-process-2-threads"], rates["two-ranks-1-thread"]
    print(f"{model:8}{one:16.0f}{two:17.0f}{(two / one if one else 0):8.2f}")
PY
