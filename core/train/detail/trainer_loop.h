// The skeleton every trainer shares (SFT, GRPO, and base pretraining through SFT): resume by
// fingerprint, the model loaded under the precision policy, the optimizer (ShardedAdamW: master
// weights, data-parallel reduction, ZeRO-1), the learning-rate schedule, stop requests, atomic
// checkpoints and the final model. A trainer keeps only its batches and its loss:
//
//   TrainerLoop loop(spec);
//   while (!loop.finished()) {
//     loop.zeroGrad();
//     ... forward/backward of this rank's share, losses scaled by the global normaliser;
//         loop.lastBackwardOfStep() before the last backward ...
//     double gradNorm = loop.applyGradients();
//     ... report (loop.isRankZero()) ...
//     if (loop.endStep()) return stopped;
//   }
//   auto final = loop.finish();
//
// Every rank of a data-parallel job runs the same loop; collectives happen in applyGradients,
// endStep (the stop decision and checkpoints) and finish. Rank 0 alone writes files.
// Randomness needs no checkpoint: every draw derives from (seed, step).
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/dist/detail/communicator.h"
#include "core/model/detail/llama_module.h"
#include "core/train/detail/sharded_adamw.h"
#include "core/train/lr_schedule.h"
#include "core/train/precision_policy.h"

namespace astro::train::detail {

struct TrainerSpec {
  std::string name;                     // "sft", "grpo": in messages
  std::filesystem::path initialModel;   // HF folder the run starts from
  std::filesystem::path tokenizerFrom;  // tokenizer files copied into each checkpoint
  std::filesystem::path outputDir;
  nlohmann::json fingerprint;  // what must match for a resume (the loop adds its own settings)
  int totalSteps = 1;
  LrSchedule schedule;
  AdamWSettings adamw;
  double gradientClip = 1.0;  // 0: off
  int checkpointEvery = 0;    // 0: only at the end (and on stop)
  int keepCheckpoints = 2;
  std::string device = "cpu";
  Precision precision = Precision::Auto;
  bool shardOptimizerState = false;  // ZeRO stage 1 over the job's ranks
  std::function<bool()> shouldStop;  // asked on rank 0 after each step
  std::function<void(const std::filesystem::path&, int)> onCheckpoint;  // rank 0
};

// The fields every trainer's options share (SftOptions, GrpoOptions: the same names), copied
// into a spec; the trainer adds its name, fingerprint, tokenizer source and callbacks.
template <typename Options>
TrainerSpec trainerSpecFor(const Options& o, int totalSteps) {
  TrainerSpec spec;
  spec.initialModel = o.initialModel;
  spec.outputDir = o.outputDir;
  spec.totalSteps = totalSteps;
  spec.schedule = {.peakLearningRate = o.learningRate,
                   .warmupSteps = o.warmupSteps,
                   .totalSteps = totalSteps,
                   .decay = o.decay};
  spec.adamw = {.beta1 = o.beta1, .beta2 = o.beta2, .eps = o.epsilon, .weightDecay = o.weightDecay};
  spec.gradientClip = o.gradientClip;
  spec.checkpointEvery = o.checkpointEvery;
  spec.keepCheckpoints = o.keepCheckpoints;
  spec.device = o.device;
  spec.precision = o.precision;
  spec.shardOptimizerState = o.shardOptimizerState;
  return spec;
}

class TrainerLoop {
 public:
  // Joins the job's communicator, reads outputDir/latest.json (a checkpoint of other options, or
  // of a finished run, throws astro::Error saying so), loads the model and optimizer state.
  explicit TrainerLoop(TrainerSpec spec);

  model::detail::LlamaModel& module() { return module_; }
  const torch::Device& device() const { return device_; }
  dist::detail::Communicator& communicator() { return *communicator_; }
  int rank() const { return communicator_->rank(); }
  int worldSize() const { return communicator_->worldSize(); }
  bool isRankZero() const { return communicator_->isRankZero(); }

  int step() const { return step_; }  // optimizer steps taken so far (0-based index of the next)
  int totalSteps() const { return spec_.totalSteps; }
  bool finished() const { return step_ >= spec_.totalSteps; }
  bool resumed() const { return resumed_; }
  double learningRate() const { return spec_.schedule.at(step_); }

  void zeroGrad() { optimizer_->zeroGrad(); }
  // Before the backward pass of this rank's last micro-batch of the step: its gradients are
  // reduced bucket by bucket while backward runs (ShardedAdamW::reduceDuringNextBackward).
  void lastBackwardOfStep() { optimizer_->reduceDuringNextBackward(); }
  // One optimizer update at this step's learning rate; the gradient norm before clipping.
  double applyGradients() { return optimizer_->step(learningRate(), spec_.gradientClip); }
  // Closes the step: counts it, agrees with the other ranks on a stop request, checkpoints when
  // due or stopping. True: stop now (a checkpoint was written).
  bool endStep();
  // Final checkpoint and outputDir/final; returns that folder (on every rank).
  std::filesystem::path finish();

 private:
  void checkpoint();

  TrainerSpec spec_;
  std::shared_ptr<dist::detail::Communicator> communicator_;
  torch::Device device_{torch::kCPU};
  model::detail::LlamaModel module_{nullptr};
  std::unique_ptr<ShardedAdamW> optimizer_;
  nlohmann::json fingerprint_;
  int step_ = 0;
  bool resumed_ = false;
};

}  // namespace astro::train::detail
