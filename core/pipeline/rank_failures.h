// How a failure on another rank of a data-parallel run reaches the run's event log: the failing
// rank writes its message to runs/<id>/rank-<r>.error before it exits, and rank 0, whose next
// collective then fails, adds those messages to the stage's error event.
#pragma once

#include <string>

#include "core/pipeline/run_layout.h"

namespace astro::pipeline {

void recordRankFailure(const RunLayout& layout, int rank, const std::string& message);
// "rank 1: <message>; rank 3: <message>", or empty when no rank left one.
std::string rankFailures(const RunLayout& layout);
void clearRankFailures(const RunLayout& layout);

}  // namespace astro::pipeline
