// Stage dispatch (stages.h): one place that maps a stage's config to its function and says which
// stages all ranks of a data-parallel run take part in.
#include <type_traits>
#include <variant>

#include "core/pipeline/stages/stages.h"

namespace astro::pipeline {

void runStage(const StageConfig& config, StageContext& context) {
  std::visit(
      [&](const auto& parameters) {
        using T = std::decay_t<decltype(parameters)>;
        if constexpr (std::is_same_v<T, PretrainBaseStage>)
          runPretrainBaseStage(parameters, context);
        if constexpr (std::is_same_v<T, SearchStage>) runSearchStage(parameters, context);
        if constexpr (std::is_same_v<T, LinearizeStage>) runLinearizeStage(parameters, context);
        if constexpr (std::is_same_v<T, SftStage>) runSftStage(parameters, context);
        if constexpr (std::is_same_v<T, RlStage>) runRlStage(parameters, context);
        if constexpr (std::is_same_v<T, EvaluateStage>) runEvaluateStage(parameters, context);
        if constexpr (std::is_same_v<T, AnalyzeStage>) runAnalyzeStage(parameters, context);
      },
      config.parameters);
}

bool runsOnEveryRank(StageKind kind) {
  switch (kind) {
    case StageKind::kPretrainBase:
    case StageKind::kSearch:
    case StageKind::kSft:
    case StageKind::kRl:
    case StageKind::kEvaluate:
      return true;
    default:
      return false;
  }
}

}  // namespace astro::pipeline
