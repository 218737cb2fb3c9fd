// Folders of a run (run_layout.h).
#include "core/pipeline/run_layout.h"

#include <string>

#include "core/base/error.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

RunLayout::RunLayout(fs::path workspace, std::int64_t runId)
    : workspace_(fs::absolute(workspace).lexically_normal()), runId_(runId) {
  if (runId <= 0) throw UsageError("run ids are positive (got " + std::to_string(runId) + ")");
}

fs::path RunLayout::runFolder() const { return workspace_ / "runs" / std::to_string(runId_); }

fs::path RunLayout::lockFile() const { return runFolder() / "worker.lock"; }

fs::path RunLayout::cancelFile() const { return runFolder() / "cancel-requested"; }

fs::path RunLayout::stageFolder(int position, StageKind kind) const {
  return runFolder() / (std::to_string(position) + "-" + std::string(stageKindName(kind)));
}

fs::path RunLayout::resolve(const InputRef& input, const PipelineConfig& config) const {
  if (input.external()) return input.path;
  for (std::size_t i = 0; i < config.stages.size(); ++i) {
    if (config.stages[i].kind == *input.stage) {
      return stageFolder(static_cast<int>(i) + 1, *input.stage) /
             stageOutput(*input.stage, input.output);
    }
  }
  throw Error("no " + std::string(stageKindName(*input.stage)) + " stage in this run");
}

fs::path stageOutput(StageKind kind, std::string_view output) {
  switch (kind) {
    case StageKind::kPretrainBase:
      if (output == "model") return "model";
      if (output == "train") return fs::path("data") / "train.jsonl";
      if (output == "test") return fs::path("data") / "test.jsonl";
      break;
    case StageKind::kSearch:
      if (output == "trees") return "trees.jsonl";
      break;
    case StageKind::kLinearize:
      if (output == "astro") return "astro_sft.jsonl";
      if (output == "direct") return "direct_sft.jsonl";
      break;
    case StageKind::kSft:
    case StageKind::kRl:
      if (output == "model") return "final";
      break;
    case StageKind::kEvaluate:
      if (output == "samples") return "samples.jsonl";
      break;
    case StageKind::kAnalyze:
      break;
  }
  throw Error("the " + std::string(stageKindName(kind)) + " stage has no output '" +
              std::string(output) + "'");
}

}  // namespace astro::pipeline
