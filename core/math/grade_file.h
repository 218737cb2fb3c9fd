// Batch grading of a JSONL file of {"prediction", "answer"} lines, as `astro grade` runs it:
// one JSON verdict line per input, in order, and a summary of the counts.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

namespace astro::math {

struct GradeSummary {
  std::int64_t graded = 0;
  std::int64_t correct = 0;
  std::int64_t noAnswer = 0;
  std::map<std::string, std::int64_t> byRule;  // verdicts per deciding rule
  double accuracy() const { return graded == 0 ? 0.0 : static_cast<double>(correct) / graded; }
  std::string describe() const;  // one line for stderr
};

// Reads `in` (named `fileName` in errors); writes {"correct", "extracted", "rule"} per line to
// `out`. `answer` may be a string or a number (AMC ships 27.0). Throws ParseError naming the
// file, line and field for a malformed line; blank lines are skipped.
GradeSummary gradeJsonl(std::istream& in, const std::string& fileName, std::ostream& out);

}  // namespace astro::math
