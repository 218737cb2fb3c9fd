// The miniature reports' failure columns (miniature_failures.h).
#include "core/experiment/miniature_failures.h"

#include "core/analysis/report_tables.h"

namespace astro::experiment {

namespace {

std::string shareCell(int count, int total) {
  if (total <= 0) return "n/a";
  return analysis::formatNumber(double(count) / total, 3) + " (" + std::to_string(count) + " of " +
         std::to_string(total) + ")";
}

}  // namespace

nlohmann::ordered_json failuresJson(const std::optional<analysis::AnswerFailures>& failures) {
  if (!failures) return nullptr;
  const int wrong = failures->wrong();
  return {{"answers", failures->answers},
          {"wrong", wrong},
          {"invalid_step", failures->invalidStep},
          {"wrong_answer", failures->wrongAnswer},
          {"no_answer", failures->noAnswer},
          {"invalid_step_share",
           wrong > 0 ? nlohmann::ordered_json(double(failures->invalidStep) / wrong) : nullptr}};
}

std::string failureHeaderCells() { return " wrong: invalid step | wrong: valid steps |"; }

std::string failureCells(const std::optional<analysis::AnswerFailures>& failures) {
  if (!failures) return " n/a | n/a |";
  return " " + shareCell(failures->invalidStep, failures->wrong()) + " | " +
         shareCell(failures->wrongAnswer, failures->wrong()) + " |";
}

}  // namespace astro::experiment
