// Pass rates of a policy as every stage reports them: one log line ("pass@1 0.312, greedy 0.410,
// pass@32 0.710"), one metric per rate, and a JSON object for the stage's result file.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/pipeline/stage_context.h"
#include "core/train/evaluation.h"

namespace astro::pipeline {

struct PassRates {
  int problems = 0;
  int samplesPerProblem = 0;
  double passAt1 = 0;
  std::optional<double> greedy;
  std::vector<std::pair<int, double>> passAtK;  // k > 1
  double meanCompletionTokens = 0;

  std::string text() const;  // "pass@1 0.312, greedy 0.410, pass@32 0.710"
  nlohmann::ordered_json toJson() const;
};

// The inverse of PassRates::toJson.
PassRates passRatesFromJson(const nlohmann::ordered_json& json);

PassRates passRates(const train::EvaluationResult& result, int problems, int samplesPerProblem,
                    bool greedy = true);

// Logs "<what>: <rates>" and stores metrics "<metricPrefix>pass@1", "...greedy", "...pass@k".
void reportPassRates(StageContext& context, const std::string& what, const PassRates& rates,
                     const std::string& metricPrefix = {});

}  // namespace astro::pipeline
