// The phrase set and exact detector a stage uses for its domain's traces: the set its `phrases`
// input names (given, or the linearize stage's), else the domain's own (Domain::phraseSet), with
// the domain's step delimiter always. Linearize writes with what rl, evaluate and analyze then
// read back, so the backtracks they count are the ones procedure cloning wrote.
#pragma once

#include <memory>

#include "core/analysis/exact_detector.h"
#include "core/domain/domain.h"
#include "core/pipeline/stage_context.h"
#include "core/search/phrase_set.h"

namespace astro::pipeline {

search::PhraseSet stagePhrases(const domain::Domain& domain, const StageContext& context);

std::shared_ptr<const analysis::ExactDetector> stageDetector(const domain::Domain& domain,
                                                             const StageContext& context);

}  // namespace astro::pipeline
