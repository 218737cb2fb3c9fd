// TrainerLoop (trainer_loop.h): resume, checkpoints, stop agreement and the final model.
#include "core/train/detail/trainer_loop.h"

#include "core/base/error.h"
#include "core/dist/detail/job_communicator.h"
#include "core/dist/dist_environment.h"
#include "core/model/runtime.h"
#include "core/train/detail/checkpoint_state.h"

namespace astro::train::detail {

namespace fs = std::filesystem;

namespace {

// Bumped when the checkpoint layout changes, so an older run says it cannot be resumed instead of
// failing inside the optimizer state.
constexpr int kTrainerStateFormat = 2;

// "cuda" without an index means this rank's own GPU: cuda:LOCAL_RANK in a data-parallel job.
torch::Device parseDevice(const std::string& requested) {
  const std::string name = dist::deviceForThisRank(requested, dist::distEnvironmentFromProcess());
  try {
    torch::Device device(name);
    if (device.is_cuda() && !torch::cuda::is_available()) {
      throw Error("device '" + name + "' requested but this libtorch sees no CUDA device");
    }
    return device;
  } catch (const c10::Error&) {
    throw UsageError("unknown device '" + name + "' (expected cpu or cuda[:N])");
  }
}

}  // namespace

TrainerLoop::TrainerLoop(TrainerSpec spec) : spec_(std::move(spec)) {
  if (spec_.outputDir.empty()) throw UsageError(spec_.name + ": an output folder is required");
  if (spec_.totalSteps < 1) throw UsageError(spec_.name + ": no optimizer step to take");
  model::initTorchRuntime();
  device_ = parseDevice(spec_.device);
  PrecisionPolicy precision = resolvePrecision(spec_.precision, spec_.device);
  communicator_ = dist::detail::jobCommunicator(device_);
  if (isRankZero()) fs::create_directories(spec_.outputDir);
  communicator_->barrier();  // the folder exists for every rank (same filesystem)

  fingerprint_ = spec_.fingerprint;
  fingerprint_["trainer_state_format"] = kTrainerStateFormat;
  fingerprint_["bf16_compute"] = precision.bf16Compute;

  fs::path startModel = spec_.initialModel;
  if (auto resume = readLatestCheckpoint(spec_.outputDir)) {
    if (resume->fingerprint != fingerprint_) {
      throw Error(spec_.outputDir.string() + ": the checkpoint " + resume->folder.string() +
                  " was made with other data, options or an older astro; use a new output folder");
    }
    if (resume->step >= spec_.totalSteps) {
      throw Error(spec_.outputDir.string() + ": this run already finished (" +
                  std::to_string(resume->step) + " of " + std::to_string(spec_.totalSteps) +
                  " steps); nothing to resume");
    }
    step_ = resume->step;
    startModel = resume->folder;
    resumed_ = true;
  }
  module_ = model::detail::loadLlamaModel(
      startModel, device_, precision.bf16Compute ? torch::kBFloat16 : torch::kFloat32);
  module_->train();
  optimizer_ = std::make_unique<ShardedAdamW>(module_->parameters(), spec_.adamw, communicator_,
                                              spec_.shardOptimizerState);
  if (resumed_) optimizer_->load(startModel / "optimizer.pt");
}

bool TrainerLoop::endStep() {
  ++step_;
  bool stop = isRankZero() && spec_.shouldStop && spec_.shouldStop();
  if (worldSize() > 1) stop = communicator_->broadcastBytes(stop ? "1" : "0") == "1";
  bool due = spec_.checkpointEvery > 0 && step_ % spec_.checkpointEvery == 0;
  if (finished()) return false;  // finish() writes the last checkpoint
  if (due || stop) checkpoint();
  return stop;
}

void TrainerLoop::checkpoint() {
  if (!isRankZero()) {
    optimizer_->save({});  // the collective half; rank 0 writes
    return;
  }
  fs::path folder = writeCheckpoint(spec_.outputDir, step_, fingerprint_, [&](const fs::path& into) {
    model::detail::saveLlamaModel(module_, into);
    copyTokenizerFiles(spec_.tokenizerFrom, into);
    optimizer_->save(into / "optimizer.pt");
  });
  pruneCheckpoints(spec_.outputDir, spec_.keepCheckpoints);
  if (spec_.onCheckpoint) spec_.onCheckpoint(folder, step_);
}

fs::path TrainerLoop::finish() {
  checkpoint();
  fs::path final = spec_.outputDir / "final";
  if (isRankZero()) final = publishFinalModel(spec_.outputDir, step_);
  communicator_->barrier();
  return final;
}

}  // namespace astro::train::detail
