// Reporting pass rates (pass_rates.h).
#include "core/pipeline/stages/pass_rates.h"

#include <cstdio>

namespace astro::pipeline {

namespace {
std::string fixed3(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f", value);
  return buffer;
}
}  // namespace

std::string PassRates::text() const {
  std::string text = "pass@1 " + fixed3(passAt1);
  if (greedy) text += ", greedy " + fixed3(*greedy);
  for (auto [k, value] : passAtK) text += ", pass@" + std::to_string(k) + " " + fixed3(value);
  return text;
}

nlohmann::ordered_json PassRates::toJson() const {
  nlohmann::ordered_json json = {
      {"problems", problems}, {"samples_per_problem", samplesPerProblem}, {"pass@1", passAt1}};
  if (greedy) json["greedy"] = *greedy;
  for (auto [k, value] : passAtK) json["pass@" + std::to_string(k)] = value;
  json["mean_completion_tokens"] = meanCompletionTokens;
  return json;
}

PassRates passRatesFromJson(const nlohmann::ordered_json& json) {
  PassRates rates{.problems = json.at("problems").get<int>(),
                  .samplesPerProblem = json.at("samples_per_problem").get<int>(),
                  .passAt1 = json.at("pass@1").get<double>(),
                  .meanCompletionTokens = json.at("mean_completion_tokens").get<double>()};
  if (json.contains("greedy")) rates.greedy = json["greedy"].get<double>();
  for (const auto& [key, value] : json.items()) {
    if (key.starts_with("pass@") && key != "pass@1") {
      rates.passAtK.emplace_back(std::stoi(key.substr(5)), value.get<double>());
    }
  }
  return rates;
}

PassRates passRates(const train::EvaluationResult& result, int problems, int samplesPerProblem,
                    bool greedy) {
  PassRates rates{.problems = problems,
                  .samplesPerProblem = samplesPerProblem,
                  .passAt1 = result.passAt1,
                  .meanCompletionTokens = result.meanCompletionTokens};
  if (greedy) rates.greedy = result.greedyAccuracy;
  for (auto [k, value] : result.passAtK) {
    if (k > 1) rates.passAtK.emplace_back(k, value);
  }
  return rates;
}

void reportPassRates(StageContext& context, const std::string& what, const PassRates& rates,
                     const std::string& metricPrefix) {
  context.metric(metricPrefix + "pass@1", 0, rates.passAt1);
  if (rates.greedy) context.metric(metricPrefix + "greedy", 0, *rates.greedy);
  for (auto [k, value] : rates.passAtK) {
    context.metric(metricPrefix + "pass@" + std::to_string(k), 0, value);
  }
  context.log(what + ": " + rates.text(), {{"pass_rates", rates.toJson()}});
}

}  // namespace astro::pipeline
