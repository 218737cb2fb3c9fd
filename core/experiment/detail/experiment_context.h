// What the miniature experiment's stages share (private to core/experiment): the options, the
// progress log, the held-out split and RL prompts, and the clock that sums each stage's time
// over every invocation (timings.json).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/experiment/miniature_experiment.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::experiment::detail {

// Seconds per stage in the order the stages first ran, kept in a JSON file so a resumed run
// reports the time of every part.
class StageClock {
 public:
  explicit StageClock(std::filesystem::path file);
  // Adds the seconds since `started` to `stage` and saves the file.
  void add(const std::string& stage, std::chrono::steady_clock::time_point started);
  const std::vector<std::pair<std::string, double>>& seconds() const { return seconds_; }

 private:
  std::filesystem::path file_;
  std::vector<std::pair<std::string, double>> seconds_;
};

struct ExperimentContext {
  const MiniatureOptions& options;
  const MiniatureCallbacks& callbacks;
  StageClock& clock;
  const math::Verifier& verifier;
  std::filesystem::path baseModel;
  std::vector<math::Problem> heldOut;
  std::vector<math::Problem> rlPrompts;  // before curation

  void log(const std::string& stage, const std::string& message) const {
    if (callbacks.log) callbacks.log(stage, message);
  }
};

// One arm: SFT from the base policy on `data` (`sftSteps` optimizer steps; 0: the options'
// epochs), prompt curation, GRPO, and the sweep of the SFT model and every RL checkpoint on the
// held-out split, all under <out>/<name>.
ArmResults runArm(const std::string& name, const std::filesystem::path& data, int sftSteps,
                  const ExperimentContext& context);

// The non-empty lines of a JSONL file: its records.
int countRecords(const std::filesystem::path& jsonl);

// "0.312" (three decimals), for log lines.
std::string decimals(double value, int digits = 3);

}  // namespace astro::experiment::detail
