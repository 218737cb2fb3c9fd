// One function per stage kind: each runs its library (core/train, core/search, core/analysis) on
// the context's inputs into the context's folder, reports progress, metrics, artifacts and its
// pass rates, resumes from what the folder already holds, and throws StopRequested when stopped.
#pragma once

#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/stage_context.h"

namespace astro::pipeline {

void runPretrainBaseStage(const PretrainBaseStage& config, StageContext& context);
void runSearchStage(const SearchStage& config, StageContext& context);
void runLinearizeStage(const LinearizeStage& config, StageContext& context);
void runSftStage(const SftStage& config, StageContext& context);
void runRlStage(const RlStage& config, StageContext& context);
void runEvaluateStage(const EvaluateStage& config, StageContext& context);
void runAnalyzeStage(const AnalyzeStage& config, StageContext& context);

// The stage function for `config`'s kind.
void runStage(const StageConfig& config, StageContext& context);

// Whether every rank of a data-parallel run takes part in the stage (it trains, searches or
// samples on its share); the others run on rank 0 alone.
bool runsOnEveryRank(StageKind kind);

}  // namespace astro::pipeline
