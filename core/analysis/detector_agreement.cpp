#include "core/analysis/detector_agreement.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/search/linearize.h"

namespace astro::analysis {

namespace {

std::vector<std::string> readList(const nlohmann::json& document, const char* key,
                                  const std::string& source) {
  auto it = document.find(key);
  if (it == document.end() || !it->is_array() || it->empty()) {
    throw Error(source + ": " + key + ": expected a non-empty array of strings");
  }
  std::vector<std::string> items;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      throw Error(source + ": " + key + "[" + std::to_string(i) + "]: expected a string");
    }
    items.push_back((*it)[i].get<std::string>());
  }
  return items;
}

void count(bool expected, bool predicted, Agreement& agreement) {
  agreement.truePositives += expected && predicted;
  agreement.falsePositives += !expected && predicted;
  agreement.falseNegatives += expected && !predicted;
}

}  // namespace

ParaphraseBank loadParaphraseBank(const std::filesystem::path& path) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(readFile(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path.string() + ": invalid JSON: " + e.what());
  }
  ParaphraseBank bank;
  bank.id = document.value("id", path.stem().string());
  bank.reflections = readList(document, "reflections", path.string());
  bank.backtracks = readList(document, "backtracks", path.string());
  bank.restarts = readList(document, "restarts", path.string());
  bank.answerChecks = readList(document, "answer_checks", path.string());
  for (std::size_t i = 0; i < bank.backtracks.size(); ++i) {
    if (bank.backtracks[i].find(search::kStepPlaceholder) == std::string::npos) {
      throw Error(path.string() + ": backtracks[" + std::to_string(i) + "]: needs {step}");
    }
  }
  return bank;
}

std::string paraphraseMarkers(const search::RenderedTrace& trace, const ParaphraseBank& bank,
                              std::uint64_t seed) {
  search::SeededRandom random(seed);
  auto pick = [&](const std::vector<std::string>& list) -> const std::string& {
    return list[random.below(list.size())];
  };
  std::string text;
  text.reserve(trace.text.size() + 256);
  std::size_t copied = 0;
  for (const search::MarkerSpan& marker : trace.markers) {
    text.append(trace.text, copied, marker.begin - copied);
    copied = marker.end;
    switch (marker.kind) {
      case search::MarkerKind::kReflection:
        text += pick(bank.reflections);
        break;
      case search::MarkerKind::kBacktrack:
        text += search::fillTemplate(pick(bank.backtracks), search::kStepPlaceholder,
                                     marker.targetQuote);
        break;
      case search::MarkerKind::kRestart:
        text += pick(bank.restarts);
        break;
      case search::MarkerKind::kAnswerCheck:
        text += pick(bank.answerChecks);
        break;
      case search::MarkerKind::kFinalAnswer:
      case search::MarkerKind::kCheck:  // a step's own check: no paraphrase to draw
        text.append(trace.text, marker.begin, marker.end - marker.begin);
        break;
    }
  }
  text.append(trace.text, copied, std::string::npos);
  return text;
}

double Agreement::precision() const {
  std::int64_t predicted = truePositives + falsePositives;
  return predicted == 0 ? 1.0 : static_cast<double>(truePositives) / static_cast<double>(predicted);
}

double Agreement::recall() const {
  std::int64_t expected = truePositives + falseNegatives;
  return expected == 0 ? 1.0 : static_cast<double>(truePositives) / static_cast<double>(expected);
}

void accumulateAgreement(const StepGraph& truth, const StepGraph& predicted,
                         DetectorAgreement& total) {
  ++total.traces;
  if (truth.steps.size() != predicted.steps.size()) ++total.misalignedTraces;
  std::size_t longest = std::max(truth.steps.size(), predicted.steps.size());
  for (std::size_t i = 0; i < longest; ++i) {
    const TraceStep* expected = i < truth.steps.size() ? &truth.steps[i] : nullptr;
    const TraceStep* found = i < predicted.steps.size() ? &predicted.steps[i] : nullptr;
    auto is = [](const TraceStep* step, StepRole role) { return step && step->role == role; };
    count(expected && expected->reflects, found && found->reflects, total.reflections);
    count(is(expected, StepRole::kBacktrack), is(found, StepRole::kBacktrack), total.backtracks);
    count(is(expected, StepRole::kRestart), is(found, StepRole::kRestart), total.restarts);
    if (is(expected, StepRole::kBacktrack) && is(found, StepRole::kBacktrack)) {
      ++total.backtrackTargetsCompared;
      total.backtrackTargetsMatched += expected->returnsTo == found->returnsTo;
    }
  }
}

}  // namespace astro::analysis
