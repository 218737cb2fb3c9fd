#include "core/train/checkpoint_sweep.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/analysis/partial_correlation.h"
#include "core/analysis/trace_detector.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/evaluation_records.h"

namespace astro::train {

namespace fs = std::filesystem;

namespace {

bool holdsModel(const fs::path& folder) {
  return fs::exists(folder / "config.json") &&
         (fs::exists(folder / "model.safetensors") ||
          fs::exists(folder / "model.safetensors.index.json"));
}

// The step trainer_state.json records, or -1 when there is none.
int recordedStep(const fs::path& folder) {
  fs::path state = folder / "trainer_state.json";
  if (!fs::exists(state)) return -1;
  try {
    return nlohmann::json::parse(readFile(state)).at("step").get<int>();
  } catch (const nlohmann::json::exception& error) {
    throw Error(state.string() + ": corrupt (" + error.what() + ")");
  }
}

// What a stored result was computed from: when it differs, the checkpoint is evaluated again.
nlohmann::json resultInputs(const SweepCheckpoint& checkpoint,
                            const std::vector<math::Problem>& problems,
                            const math::Verifier& verifier, const EvaluationOptions& options) {
  Sha256 problemHash;
  for (const auto& p : problems)
    problemHash.update(p.id + "\n" + p.question + "\n" + p.answer + "\n");
  fs::path weights = checkpoint.model / "model.safetensors";
  if (!fs::exists(weights)) weights = checkpoint.model / "model.safetensors.index.json";
  return {{"model_sha256", sha256FileHex(weights)},
          {"problems_sha256", problemHash.finishHex()},
          {"verifier", verifier.name()},
          {"detector", options.traceDetector ? options.traceDetector->name() : "default"},
          {"step_validator", options.stepValidator != nullptr},
          {"samples", options.samplesPerProblem},
          {"temperature", options.temperature},
          {"top_p", options.topP},
          {"greedy", options.greedy},
          {"max_new_tokens", options.maxNewTokens},
          {"seed", options.seed},
          {"pass_at_k", options.reportPassAtK}};
}

}  // namespace

std::vector<SweepCheckpoint> listSweepCheckpoints(const fs::path& trainerFolder,
                                                  const fs::path& startModel) {
  if (!fs::is_directory(trainerFolder)) {
    throw Error(trainerFolder.string() + ": no such folder");
  }
  std::vector<SweepCheckpoint> found;
  static const std::regex kName("checkpoint-([0-9]+)");
  for (const auto& entry : fs::directory_iterator(trainerFolder)) {
    std::smatch match;
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && std::regex_match(name, match, kName) && holdsModel(entry.path())) {
      found.push_back({name, std::stoi(match[1]), entry.path()});
    }
  }
  std::sort(found.begin(), found.end(),
            [](const SweepCheckpoint& a, const SweepCheckpoint& b) { return a.step < b.step; });
  fs::path final = trainerFolder / "final";
  if (holdsModel(final)) {
    int step = recordedStep(final);
    bool duplicate = std::any_of(found.begin(), found.end(),
                                 [&](const SweepCheckpoint& c) { return c.step == step; });
    if (!duplicate) {
      int after = found.empty() ? 0 : found.back().step;
      found.push_back({"final", step >= 0 ? step : after + 1, final});
    }
  }
  if (found.empty() && holdsModel(trainerFolder)) {
    found.push_back({"model", std::max(0, recordedStep(trainerFolder)), trainerFolder});
  }
  if (found.empty()) {
    throw Error(trainerFolder.string() +
                ": no checkpoint-<step>/ or final/ model (config.json and model.safetensors)");
  }
  if (!startModel.empty()) {
    if (!holdsModel(startModel)) throw Error(startModel.string() + ": not a model folder");
    found.insert(found.begin(), SweepCheckpoint{"start", 0, startModel});
  }
  return found;
}

std::vector<SweepPoint> sweepCheckpoints(const std::vector<SweepCheckpoint>& checkpoints,
                                         const std::vector<math::Problem>& problems,
                                         const math::Verifier& verifier,
                                         const SweepOptions& options,
                                         const SweepCallbacks& callbacks) {
  if (!options.resultsDir.empty()) fs::create_directories(options.resultsDir);
  std::vector<SweepPoint> points;
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const SweepCheckpoint& checkpoint = checkpoints[i];
    if (callbacks.onStart) callbacks.onStart(checkpoint, i, checkpoints.size());
    SweepPoint point{.checkpoint = checkpoint};
    nlohmann::json inputs = resultInputs(checkpoint, problems, verifier, options.evaluation);
    fs::path summaryFile = options.resultsDir / (checkpoint.label + ".json");
    if (!options.resultsDir.empty() && fs::exists(summaryFile)) {
      auto saved = nlohmann::json::parse(readFile(summaryFile), nullptr, false);
      if (!saved.is_discarded() && saved.value("inputs", nlohmann::json()) == inputs) {
        point.evaluation = evaluationSummaryFromJson(saved.at("summary"));
        // A summary from before per-problem rates, the backtrack behaviour or the failure kinds
        // were kept is evaluated again, so every point can enter a paired comparison and the
        // behaviour table.
        point.reused = point.evaluation.problemPassAt1.size() == problems.size() &&
                       point.evaluation.behaviour.has_value() &&
                       point.evaluation.failures.has_value();
      }
    }
    if (!point.reused) {
      auto policy = model::LanguageModel::load(checkpoint.model, options.device);
      auto tokenizer = tokenizer::Tokenizer::fromDirectory(checkpoint.model);
      point.evaluation = evaluatePolicy(policy, tokenizer, problems, verifier, options.evaluation,
                                        callbacks.onProgress);
      if (!options.resultsDir.empty()) {
        writeFileAtomically(options.resultsDir / (checkpoint.label + ".jsonl"),
                            evaluationSamplesJsonl(point.evaluation, problems, checkpoint.label));
        nlohmann::ordered_json summary = {{"label", checkpoint.label},
                                          {"step", checkpoint.step},
                                          {"model", checkpoint.model.string()},
                                          {"summary", evaluationSummaryJson(point.evaluation)},
                                          {"inputs", inputs}};
        writeFileAtomically(summaryFile, summary.dump(2) + "\n");  // last: marks it done
      }
    }
    if (callbacks.onPoint) callbacks.onPoint(point);
    points.push_back(std::move(point));
  }
  return points;
}

SweepCorrelations correlateSweep(const std::vector<SweepPoint>& points, bool countRestarts) {
  std::vector<double> accuracy, backtracks, length, steps;
  for (const auto& point : points) {
    steps.push_back(point.checkpoint.step);
    accuracy.push_back(point.evaluation.passAt1);
    backtracks.push_back(point.evaluation.meanBacktracks +
                         (countRestarts ? point.evaluation.meanRestarts : 0.0));
    length.push_back(point.evaluation.meanCompletionTokens);
  }
  return {analysis::pearson(backtracks, accuracy), analysis::pearson(length, accuracy),
          analysis::detrendedPearson(backtracks, accuracy, steps),
          analysis::detrendedPearson(length, accuracy, steps)};
}

}  // namespace astro::train
