#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang + ASan/UBSan) and runs each for a bounded
# time on a copy of its corpus. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${ASTRO_FUZZ_SECONDS:-20}}
scripts/build.sh fuzz --target fuzz_all
list=build/fuzz/fuzzers.txt
[ -s "$list" ] || { echo "no fuzz targets"; exit 0; }
while read -r name corpus; do
  binary=$(find build/fuzz -type f -name "$name" -perm -u+x | head -1)
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  cp -n "$corpus"/* "$work"/ 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  "$binary" -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 "$work" \
    2>build/fuzz/$name.log || { tail -40 build/fuzz/$name.log; exit 1; }
  grep -E 'stat::number_of_executed_units' build/fuzz/$name.log || true
done <"$list"
echo "fuzz: every target ran ${seconds}s without a finding"
