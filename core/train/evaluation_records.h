// Evaluation results as files: every graded sample as one JSON line (the plain generation format
// `astro analyze --input` imports, with the trace statistics beside it) and the summary of a
// result as one JSON object that reads back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/math/problem.h"
#include "core/train/evaluation.h"

namespace astro::train {

// {"problem_id", "prompt", "completion", "answer", "checkpoint" (when not empty), "sample"
// (-1: greedy), "correct", "extracted", "rule", "finish_reason", "tokens", "steps",
// "backtracks", "restarts", "reflections", "returns_after_wrong_branch"}.
nlohmann::ordered_json evaluationSampleJson(const EvaluationSample& sample,
                                            const math::Problem& problem,
                                            const std::string& checkpoint = {});

// One line per sample of `result`, whose problem indices point into `problems`. Invalid UTF-8 in
// sampled text becomes U+FFFD so every line stays valid JSON.
std::string evaluationSamplesJsonl(const EvaluationResult& result,
                                   const std::vector<math::Problem>& problems,
                                   const std::string& checkpoint = {});

// {"pass@1", "greedy", "pass@k": {"1": ..}, "mean_completion_tokens", "mean_backtracks",
// "mean_restarts", "per_problem_pass@1", "behaviour": {"answers", "returns",
// "returns_after_wrong_branch", "answers_with_return", "recovered_answers"}}; the samples are not
// part of it.
nlohmann::ordered_json evaluationSummaryJson(const EvaluationResult& result);
// The inverse (samples left empty); throws astro::Error naming the missing key.
EvaluationResult evaluationSummaryFromJson(const nlohmann::json& json);

}  // namespace astro::train
