// Settings of GRPO with verifiable rewards. Defaults are the ASTRO paper's RL recipe for
// Llama-3.1-70B-Instruct (lr 2e-7, 256 prompts per step, group of 4, temperature 1.0, 80 warm-up
// steps, max length 15,360); the miniature presets choose their own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/train/lr_schedule.h"
#include "core/train/precision_policy.h"

namespace astro::train {

enum class LossAggregation { TokenMean, SequenceMean };
LossAggregation parseLossAggregation(const std::string& name);  // "token-mean" | "sequence-mean"

struct GrpoOptions {
  std::filesystem::path initialModel;    // the SFT checkpoint (HF layout with tokenizer files)
  std::filesystem::path referenceModel;  // KL reference; empty: initialModel
  std::filesystem::path outputDir;       // checkpoint-<step>/, rollouts/, final/

  int steps = 100;
  int promptsPerStep = 256;  // ASTRO RL: batch of 256 prompts
  int groupSize = 4;         // ASTRO RL: 4 completions per prompt
  double temperature = 1.0;  // ASTRO RL: temperature 1.0
  double topP = 1.0;
  int maxNewTokens = 15360;  // ASTRO RL: max length 15,360
  double learningRate = 2e-7;  // ASTRO RL (70B): lr 2e-7
  int warmupSteps = 80;        // ASTRO RL: 80 warm-up steps
  DecayKind decay = DecayKind::Constant;
  double beta1 = 0.9;
  double beta2 = 0.95;
  double epsilon = 1e-8;
  double weightDecay = 0.0;
  double gradientClip = 1.0;

  double clipLow = 0.2;   // PPO clip: ratio >= 1 - clipLow
  double clipHigh = 0.2;  // ratio <= 1 + clipHigh (raise it for DAPO's clip-higher)
  double klCoefficient = 0.0;  // 0: no reference model is loaded at all
  bool divideByStd = true;     // false: advantages r - mean (Dr. GRPO)
  LossAggregation aggregation = LossAggregation::TokenMean;
  int optimizationEpochs = 1;  // optimizer steps per batch of rollouts
  int microBatchSize = 16;     // completions per forward/backward

  std::uint64_t seed = 0;
  int checkpointEvery = 10;
  int keepCheckpoints = 2;
  std::string device = "cpu";
  Precision precision = Precision::Auto;  // precision_policy.h: bf16 + fp32 master on CUDA
  // Data parallel: each rank samples a share of the rollouts and trains on a share of the
  // micro-batches; with this set the optimizer state is split too (ZeRO stage 1).
  bool shardOptimizerState = false;
};

}  // namespace astro::train
