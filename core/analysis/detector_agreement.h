// Measuring the heuristic detector against the exact one: render the project's own traces,
// paraphrase every marker (resources/phrases/heuristic_eval_paraphrases.json), run the heuristic
// detector on the paraphrased text and compare its step roles with the exact detector's on the
// original. Steps align by index because paraphrases never contain a blank line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/analysis/step_graph.h"
#include "core/search/render_trace.h"

namespace astro::analysis {

struct ParaphraseBank {
  std::string id;
  std::vector<std::string> reflections;
  std::vector<std::string> backtracks;  // each holds "{step}"
  std::vector<std::string> restarts;
  std::vector<std::string> answerChecks;
};

ParaphraseBank loadParaphraseBank(const std::filesystem::path& path);

// The trace with each reflection/backtrack/restart/answer-check marker replaced by a paraphrase
// drawn with `seed` (backtracks keep their quoted step); final-answer markers stay as they are.
std::string paraphraseMarkers(const search::RenderedTrace& trace, const ParaphraseBank& bank,
                              std::uint64_t seed);

struct Agreement {
  std::int64_t truePositives = 0;
  std::int64_t falsePositives = 0;
  std::int64_t falseNegatives = 0;
  double precision() const;  // 1 when nothing was predicted
  double recall() const;     // 1 when nothing was expected
};

struct DetectorAgreement {
  Agreement reflections;                      // steps flagged `reflects`
  Agreement backtracks;                       // steps with role kBacktrack
  Agreement restarts;                         // steps with role kRestart
  std::int64_t backtrackTargetsCompared = 0;  // true-positive backtracks
  std::int64_t backtrackTargetsMatched = 0;   // ... whose returnsTo agrees
  std::int64_t traces = 0;
  std::int64_t misalignedTraces = 0;  // step counts differed (compared up to the shorter)
};

// Adds one trace's comparison of `predicted` against `truth` to `total`.
void accumulateAgreement(const StepGraph& truth, const StepGraph& predicted,
                         DetectorAgreement& total);

}  // namespace astro::analysis
