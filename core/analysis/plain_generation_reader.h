// The built-in "plain" generation format: one JSON object per line,
//   {"prompt"|"problem"|"question", "completion"|"response"|"generation"|"output",
//    optional "answer"|"gts"|"ground_truth"|"gold", "checkpoint"|"step",
//    "benchmark"|"data_source", "id"|"problem_id"|"unique_id"|"idx"}
// (the first key present wins). A line is plain when its object has one of the prompt keys.
#pragma once

#include "core/analysis/generation_reader.h"

namespace astro::analysis {

class PlainGenerationReader final : public GenerationReader {
 public:
  std::string_view name() const override { return "plain"; }
  std::string_view description() const override;
  bool detects(std::string_view line) const override;
  GenerationRecord read(std::string_view line) const override;
};

}  // namespace astro::analysis
