#include "core/graph/step_graph_layout.h"

#include "core/graph/detail/dot_layout.h"
#include "core/graph/dot_escape.h"

namespace astro::graph {

namespace {

const char* fillColour(analysis::StepRole role) {
  switch (role) {
    case analysis::StepRole::kStep:
      return "#ffffff";
    case analysis::StepRole::kReflection:
      return "#fff9c4";
    case analysis::StepRole::kBacktrack:
      return "#ffe0b2";
    case analysis::StepRole::kRestart:
      return "#ffcdd2";
  }
  return "#ffffff";
}

const char* edgeStyle(analysis::EdgeKind kind) {
  switch (kind) {
    case analysis::EdgeKind::kContinues:
      return "";
    case analysis::EdgeKind::kReflects:
      return ", style=dashed";
    // Back edges must not drag the target's rank: constraint=false keeps text order top-down.
    case analysis::EdgeKind::kBacktracks:
      return ", color=\"#e65100\", constraint=false";
    case analysis::EdgeKind::kRestarts:
      return ", color=\"#c62828\", penwidth=2";
  }
  return "";
}

}  // namespace

std::string stepLabelText(const analysis::StepGraph& graph, std::string_view trace, int index,
                          std::size_t maxStepCharacters) {
  const analysis::TraceStep& step = graph.steps.at(static_cast<std::size_t>(index));
  std::string label =
      "#" + std::to_string(index) + " " + std::string(analysis::stepRoleName(step.role));
  if (step.role == analysis::StepRole::kBacktrack && step.returnsTo >= 0) {
    label += " to #" + std::to_string(step.returnsTo);
  }
  std::string_view text = trace.substr(step.begin, step.end - step.begin);
  std::string cut;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      cut += text[i];
      continue;
    }
    if (characters++ == maxStepCharacters) {
      cut += "...";
      break;
    }
    cut += text[i] == '\n' ? ' ' : text[i];
  }
  return label + "\n" + cut;
}

std::string stepGraphToDot(const analysis::StepGraph& graph, std::string_view trace,
                           const StepGraphDotOptions& options) {
  std::string out = "digraph step_graph {\n";
  out += "  graph [rankdir=TB, nodesep=0.3, ranksep=0.3, charset=\"UTF-8\"];\n";
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [arrowsize=0.6];\n";
  for (int i = 0; i < static_cast<int>(graph.steps.size()); ++i) {
    out += "  n" + std::to_string(i) +
           " [label=" + quotedLabel(stepLabelText(graph, trace, i, options.maxStepCharacters)) +
           ", fillcolor=\"" + fillColour(graph.steps[static_cast<std::size_t>(i)].role) + "\"];\n";
  }
  for (const analysis::StepEdge& edge : graph.edges) {
    out += "  n" + std::to_string(edge.from) + " -> n" + std::to_string(edge.to) + " [class=\"" +
           std::string(analysis::edgeKindName(edge.kind)) + "\"" + edgeStyle(edge.kind) + "];\n";
  }
  out += "}\n";
  return out;
}

std::optional<GraphLayout> layoutStepGraph(const analysis::StepGraph& graph, std::string_view trace,
                                           const StepGraphDotOptions& options,
                                           const std::atomic<bool>* cancel) {
  if (cancel && cancel->load()) return std::nullopt;
  GraphLayout layout;
  layout.engine = "dot";
  layout.totalNodes = layout.shownNodes = static_cast<int>(graph.steps.size());
  for (int i = 0; i < static_cast<int>(graph.steps.size()); ++i) {
    LayoutNode node;
    node.id = i;
    node.label = stepLabelText(graph, trace, i, options.maxStepCharacters);
    node.role = std::string(analysis::stepRoleName(graph.steps[static_cast<std::size_t>(i)].role));
    layout.nodes.push_back(std::move(node));
  }
  if (layout.nodes.empty()) return layout;
  if (!detail::layoutDotText(stepGraphToDot(graph, trace, options), "step graph", layout, cancel)) {
    return std::nullopt;
  }
  return layout;
}

}  // namespace astro::graph
