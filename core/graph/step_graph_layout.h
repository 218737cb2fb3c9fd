// A chain of thought's step graph (core/analysis/step_graph.h) as DOT text and as laid-out
// coordinates: steps top to bottom in text order, coloured by role; "backtracks" edges curve back
// to the step returned to without pulling it out of its rank.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/analysis/step_graph.h"
#include "core/graph/graph_layout.h"

namespace astro::graph {

struct StepGraphDotOptions {
  std::size_t maxStepCharacters = 80;  // step text shown per node; longer text is cut
};

// Plain label of step `index`: "#index role" and its text cut to maxStepCharacters.
std::string stepLabelText(const analysis::StepGraph& graph, std::string_view trace, int index,
                          std::size_t maxStepCharacters);

std::string stepGraphToDot(const analysis::StepGraph& graph, std::string_view trace,
                           const StepGraphDotOptions& options = {});

// Layout through dot; node ids are step indices, edge kinds the edge kind names. nullopt when
// `cancel` was set.
std::optional<GraphLayout> layoutStepGraph(const analysis::StepGraph& graph, std::string_view trace,
                                           const StepGraphDotOptions& options = {},
                                           const std::atomic<bool>* cancel = nullptr);

}  // namespace astro::graph
