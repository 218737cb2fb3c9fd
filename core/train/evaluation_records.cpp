#include "core/train/evaluation_records.h"

#include "core/base/error.h"

namespace astro::train {

nlohmann::ordered_json evaluationSampleJson(const EvaluationSample& sample,
                                            const math::Problem& problem,
                                            const std::string& checkpoint) {
  nlohmann::ordered_json line = {{"problem_id", problem.id},
                                 {"prompt", problem.question},
                                 {"completion", sample.completion},
                                 {"answer", problem.answer}};
  if (!checkpoint.empty()) line["checkpoint"] = checkpoint;
  line["sample"] = sample.sampleIndex;
  line["correct"] = sample.correct;
  line["extracted"] = sample.extracted;
  line["rule"] = sample.rule;
  line["finish_reason"] = sample.finishReason;
  line["tokens"] = sample.tokens;
  line["steps"] = sample.steps;
  line["backtracks"] = sample.backtracks;
  line["restarts"] = sample.restarts;
  line["reflections"] = sample.reflections;
  line["returns_after_wrong_branch"] = sample.returnsAfterWrongBranch;
  line["failure"] = analysis::answerFailureName(sample.failure);
  return line;
}

std::string evaluationSamplesJsonl(const EvaluationResult& result,
                                   const std::vector<math::Problem>& problems,
                                   const std::string& checkpoint) {
  std::string lines;
  for (const EvaluationSample& sample : result.samples) {
    if (sample.problemIndex >= problems.size()) {
      throw Error("evaluation sample names problem " + std::to_string(sample.problemIndex) +
                  " of " + std::to_string(problems.size()));
    }
    lines += evaluationSampleJson(sample, problems[sample.problemIndex], checkpoint)
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
             "\n";
  }
  return lines;
}

nlohmann::ordered_json evaluationSummaryJson(const EvaluationResult& result) {
  nlohmann::ordered_json passAtK = nlohmann::ordered_json::object();
  for (auto [k, value] : result.passAtK) passAtK[std::to_string(k)] = value;
  nlohmann::ordered_json summary = {{"pass@1", result.passAt1},
                                    {"greedy", result.greedyAccuracy},
                                    {"pass@k", passAtK},
                                    {"mean_completion_tokens", result.meanCompletionTokens},
                                    {"mean_backtracks", result.meanBacktracks},
                                    {"mean_restarts", result.meanRestarts},
                                    {"per_problem_pass@1", result.problemPassAt1}};
  if (const auto& b = result.behaviour) {
    summary["behaviour"] = {{"answers", b->answers},
                            {"returns", b->returns},
                            {"returns_after_wrong_branch", b->returnsAfterWrongBranch},
                            {"answers_with_return", b->answersWithReturn},
                            {"recovered_answers", b->recoveredAnswers}};
  }
  if (const auto& f = result.failures) {
    summary["failures"] = {{"answers", f->answers},
                           {"invalid_step", f->invalidStep},
                           {"wrong_answer", f->wrongAnswer},
                           {"no_answer", f->noAnswer}};
  }
  return summary;
}

EvaluationResult evaluationSummaryFromJson(const nlohmann::json& json) {
  EvaluationResult result;
  try {
    result.passAt1 = json.at("pass@1").get<double>();
    result.greedyAccuracy = json.at("greedy").get<double>();
    for (const auto& [k, value] : json.at("pass@k").items()) {
      result.passAtK.emplace_back(std::stoi(k), value.get<double>());
    }
    result.meanCompletionTokens = json.at("mean_completion_tokens").get<double>();
    result.meanBacktracks = json.at("mean_backtracks").get<double>();
    result.meanRestarts = json.at("mean_restarts").get<double>();
    // Absent from summaries written before it existed: empty (no paired comparison).
    if (json.contains("per_problem_pass@1")) {
      result.problemPassAt1 = json.at("per_problem_pass@1").get<std::vector<double>>();
    }
    // Likewise: nullopt (the reports show n/a, the checkpoint sweep evaluates again).
    if (json.contains("behaviour")) {
      const auto& b = json.at("behaviour");
      result.behaviour = analysis::BacktrackBehaviour{
          .answers = b.at("answers").get<int>(),
          .returns = b.at("returns").get<int>(),
          .returnsAfterWrongBranch = b.at("returns_after_wrong_branch").get<int>(),
          .answersWithReturn = b.at("answers_with_return").get<int>(),
          .recoveredAnswers = b.at("recovered_answers").get<int>()};
    }
    // Likewise: nullopt (the reports show n/a).
    if (json.contains("failures")) {
      const auto& f = json.at("failures");
      result.failures = analysis::AnswerFailures{.answers = f.at("answers").get<int>(),
                                                 .invalidStep = f.at("invalid_step").get<int>(),
                                                 .wrongAnswer = f.at("wrong_answer").get<int>(),
                                                 .noAnswer = f.at("no_answer").get<int>()};
    }
  } catch (const std::exception& error) {  // a missing key, a wrong type, a k that is no number
    throw Error(std::string("evaluation summary: ") + error.what());
  }
  return result;
}

}  // namespace astro::train
