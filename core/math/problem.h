// One problem of any domain (MATH, GSM8K, AMC/AIME, the miniature world): what a dataset loader
// yields and what search, training and evaluation consume.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace astro::math {

struct Problem {
  std::string id;        // unique within its dataset (unique_id, id, or "<file>:<line>")
  std::string question;  // the prompt text shown to the policy
  std::string answer;    // the gold final answer (bare, as graded)
  std::string solution;  // reference worked solution when the source has one
  std::string subject;
  int level = 0;              // 1-5 for MATH, 0 when unknown
  std::string source;         // dataset name, e.g. "math500", "countdown"
  nlohmann::json extra = {};  // domain fields a verifier needs (e.g. countdown numbers/target)
};

}  // namespace astro::math
