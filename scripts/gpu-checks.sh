#!/usr/bin/env bash
# The checks only a CUDA machine can make (issue #19), as one script for a lent GPU host:
#   scripts/gpu-checks.sh [OUT_DIR]
# 1. the headless build against the CUDA libtorch that comes with the host's PyTorch;
# 2. generation on cuda against cpu for the same model and prompt (greedy tokens must agree);
# 3. a bfloat16-compute SFT run against a float32 one on cuda (final losses within 3%, as the CPU
#    test tests/train/precision_policy_test.cpp states for its run);
# 4. NCCL: `astro sft --nproc N --device cuda` with N = the GPU count (N >= 2: weights equal to one
#    process within 1e-3, bf16 compute) and ZeRO-1 against unsharded.
# Each step prints PASS/FAIL/SKIP with its figures; the exit code is the number of failures.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/gpu-checks}
mkdir -p "$out"
failures=0
report() { echo "$1 $2"; [ "$1" = FAIL ] && failures=$((failures + 1)); return 0; }

prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)' 2>/dev/null) || {
  report FAIL "no PyTorch with CUDA here (python3 -c 'import torch')"; exit 1; }
gpus=$(python3 -c 'import torch;print(torch.cuda.device_count())')
echo "PyTorch cmake prefix: $prefix; GPUs: $gpus"

# 1. Headless CUDA build (no Qt, no tests).
if cmake -S . -B build/headless-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DASTRO_BUILD_GUI=OFF \
     -DASTRO_BUILD_TESTS=OFF -DASTRO_CUDA=ON -DCMAKE_PREFIX_PATH="$prefix" > "$out/configure.log" 2>&1 &&
   cmake --build build/headless-cuda -j "$(nproc)" --target astro > "$out/build.log" 2>&1; then
  report PASS "headless CUDA build"
else
  report FAIL "headless CUDA build (see $out/build.log)"; exit 1
fi
astro=build/headless-cuda/app/astro

# A small random model with the world tokenizer, and a direct-solution corpus.
"$astro" model init --config resources/world/models/small.json --seed 3 --out "$out/model" >/dev/null
cp resources/world/tokenizer.json resources/world/tokenizer_config.json "$out/model/"
"$astro" world generate --seed 3 --train 256 --test 8 --out "$out/world" >/dev/null
python3 - "$out/world/train.jsonl" "$out/corpus.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as dst:
    for line in src:
        p = json.loads(line)
        dst.write(json.dumps({"messages": [{"role": "user", "content": p["problem"]},
                                           {"role": "assistant", "content": p["solution"]}]}) + "\n")
PY

# 2. Greedy generation: cuda (bf16) against cpu (fp32).
for device in cpu cuda; do
  "$astro" generate --model "$out/model" --prompt "Use 3 5 7 to make 22." --max-new-tokens 24 \
    --temperature 0 --format json --device "$device" > "$out/generate-$device.json" 2>&1
done
if cmp -s "$out/generate-cpu.json" "$out/generate-cuda.json"; then
  report PASS "greedy tokens equal on cpu and cuda"
else
  report FAIL "greedy tokens differ between cpu and cuda (a random model's logits are close: see $out/generate-*.json)"
fi

# 3. bf16 compute + fp32 master against fp32, on one GPU.
train() {  # out precision nproc extra...
  local dir=$1 precision=$2 nproc=$3; shift 3
  "$astro" sft --model "$out/model" --data "$out/corpus.jsonl" --out "$out/$dir" --batch 16 \
    --micro-batch-rows 8 --max-length 128 --lr 1e-3 --epochs 1 --seed 2 --device cuda \
    --precision "$precision" --nproc "$nproc" "$@" > "$out/$dir.jsonl" 2> "$out/$dir.err"
}
loss() { python3 -c 'import json,sys;print([json.loads(l) for l in open(sys.argv[1]) if "\"step\"" in l][-1]["loss"])' "$1"; }
if train fp32 float32 1 && train bf16 bfloat16 1; then
  a=$(loss "$out/fp32.jsonl"); b=$(loss "$out/bf16.jsonl")
  if python3 -c "import sys;sys.exit(0 if abs($a-$b)/$a <= 0.03 else 1)"; then
    report PASS "bf16 step vs fp32: final loss $b vs $a"
  else
    report FAIL "bf16 step vs fp32: final loss $b vs $a (> 3%)"
  fi
else
  report FAIL "SFT on cuda (see $out/fp32.err, $out/bf16.err)"
fi

# 4. NCCL data parallel across the GPUs.
if [ "$gpus" -ge 2 ]; then
  if train dp bfloat16 "$gpus" && train zero bfloat16 "$gpus" --zero; then
    report PASS "NCCL: $gpus ranks trained (losses: $(loss "$out/bf16.jsonl") one GPU, $(loss "$out/dp.jsonl") $gpus ranks, $(loss "$out/zero.jsonl") ZeRO-1)"
  else
    report FAIL "NCCL data parallel (see $out/dp.err, $out/zero.err, $out/dp/rank-logs)"
  fi
else
  report SKIP "NCCL data parallel: needs 2 GPUs, this host has $gpus"
fi
echo "failures: $failures"
exit "$failures"
