// Supervised fine-tuning of a causal LM on chat-form JSONL: response-only loss, packed sequences,
// AdamW with warm-up + cosine/constant schedule, clipping, gradient accumulation, and exact resume
// from atomic checkpoints (model in HF layout + optimizer, schedule and data position).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/train/lr_schedule.h"
#include "core/train/precision_policy.h"

namespace astro::train {

struct SftOptions {
  std::filesystem::path initialModel;  // HF folder the run starts from
  std::filesystem::path tokenizer;     // folder with tokenizer.json; empty: initialModel
  std::filesystem::path data;          // chat-form or prompt/response JSONL
  std::filesystem::path outputDir;     // checkpoint-<step>/, final/, latest.json

  // Defaults follow the ASTRO paper's SFT recipe for Llama-3.1-70B (AdamW, lr 3e-6, 1 epoch,
  // max length 8192); the miniature world's presets choose their own.
  double learningRate = 3e-6;
  double beta1 = 0.9;
  double beta2 = 0.95;
  double epsilon = 1e-8;
  double weightDecay = 0.0;
  int warmupSteps = 0;
  DecayKind decay = DecayKind::Cosine;
  double finalLearningRateRatio = 0.0;
  int epochs = 1;
  // A step budget: when > 0, exactly this many optimizer steps, over as many epochs as they take
  // (the last one partial), and `epochs` is not used. Two runs on data of different sizes then
  // get the same number of updates (the miniature experiment's ASTRO and Direct arms).
  int steps = 0;
  int maxSequenceLength = 8192;
  // Global batch: each optimizer step trains on exactly `sequencesPerStep` examples (the last
  // step of an epoch on the rest), packed into rows of `rowLength` tokens and run as micro-batches
  // of `rowsPerMicroBatch` rows whose gradients accumulate.
  int sequencesPerStep = 32;
  int rowsPerMicroBatch = 4;
  int rowLength = 0;  // 0: maxSequenceLength
  bool pack = true;   // false: one example per row
  double gradientClip = 1.0;       // 0: off
  std::uint64_t seed = 0;
  int checkpointEvery = 0;         // optimizer steps between checkpoints; 0: only at the end
  int keepCheckpoints = 2;         // older checkpoint-<step>/ folders are removed
  std::string device = "cpu";
  Precision precision = Precision::Auto;  // precision_policy.h: bf16 + fp32 master on CUDA
  // Data parallel: a job of N ranks (launched with --nproc N, torchrun or srun) splits each step's
  // micro-batches among them; with this set the optimizer state is split too (ZeRO stage 1).
  bool shardOptimizerState = false;
  bool skipBadLines = false;
};

struct SftStepMetrics {
  int step = 0;  // 1-based optimizer step just taken
  int totalSteps = 0;
  int epoch = 0;
  double loss = 0;          // mean token loss over the step's trained tokens
  double learningRate = 0;  // used for this step
  double gradNorm = 0;      // before clipping
  double tokensPerSecond = 0;
  std::int64_t trainedTokens = 0;
};

struct SftCallbacks {
  std::function<void(const SftStepMetrics&)> onStep;
  std::function<void(const std::filesystem::path& checkpoint, int step)> onCheckpoint;
  std::function<bool()> shouldStop;  // checked after each step; true: checkpoint and return
};

struct SftResult {
  int stepsTaken = 0;  // in this call
  int finalStep = 0;
  int totalSteps = 0;
  bool stopped = false;   // shouldStop asked to stop before the end
  bool resumed = false;
  double lastLoss = 0;
  std::filesystem::path finalModel;  // outputDir/final when finished
};

// Trains, resuming from outputDir/latest.json when it exists (same options required). A run
// that already finished throws astro::Error saying so instead of training zero steps. In a
// data-parallel job every rank calls it; rank 0 alone writes files and gets callbacks.
SftResult runSft(const SftOptions& options, const SftCallbacks& callbacks = {});

}  // namespace astro::train
