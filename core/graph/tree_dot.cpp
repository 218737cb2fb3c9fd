#include "core/graph/tree_dot.h"

#include <cstdio>

#include "core/graph/dot_escape.h"
#include "core/graph/tree_pruning.h"

namespace astro::graph {

namespace {

// Cuts at a character (not byte) boundary so a UTF-8 sequence is never split.
std::string cutText(const std::string& text, std::size_t maxCharacters) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (characters++ == maxCharacters) return text.substr(0, i) + "...";
  }
  return text;
}

const char* fillColour(const search::TreeNode& node) {
  if (node.isCorrectTerminal()) return "#c8e6c9";
  if (node.terminal && node.correct.has_value()) return "#ffcdd2";
  if (node.terminal) return "#eeeeee";
  return "#ffffff";
}

}  // namespace

std::string nodeLabelText(const search::SearchTree& tree, int id, std::size_t maxStepCharacters) {
  const search::TreeNode& node = tree.node(id);
  char header[96];
  std::snprintf(header, sizeof header, "#%d  N=%d  Q=%.2f", id, node.visits, node.q());
  std::string label = header;
  const std::string& text = id == 0 ? tree.problem() : node.text;
  if (!text.empty()) label += "\n" + cutText(text, maxStepCharacters);
  if (node.terminal) {
    label += "\nanswer: " + cutText(node.answer.value_or("-"), 24);
    label += !node.correct.has_value() ? " (ungraded)" : *node.correct ? " (correct)" : " (wrong)";
  }
  return label;
}

TreeDot treeToDot(const search::SearchTree& tree, const TreeDotOptions& options) {
  TreeDot dot;
  dot.totalNodes = tree.size();
  dot.keptIds = pruneByVisits(tree, options.nodeLimit);
  std::vector<char> kept(static_cast<std::size_t>(tree.size()), 0);
  for (int id : dot.keptIds) kept[static_cast<std::size_t>(id)] = 1;

  std::string& out = dot.text;
  out.reserve(dot.keptIds.size() * 160);
  out += "digraph search_tree {\n";
  out += "  graph [rankdir=" + std::string(options.rankDirection == "LR" ? "LR" : "TB") +
         ", nodesep=0.25, ranksep=0.4, charset=\"UTF-8\"";
  if (dot.keptIds.size() < static_cast<std::size_t>(dot.totalNodes)) {
    out += ", label=" + quotedLabel("pruned by visits: " + std::to_string(dot.keptIds.size()) +
                                    " of " + std::to_string(dot.totalNodes) + " nodes shown");
  }
  out += "];\n";
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [arrowsize=0.6];\n";
  for (int id : dot.keptIds) {
    const search::TreeNode& node = tree.node(id);
    out += "  n" + std::to_string(id) +
           " [label=" + quotedLabel(nodeLabelText(tree, id, options.maxStepCharacters)) +
           ", fillcolor=\"" + fillColour(node) + "\"";
    if (node.terminal) out += ", peripheries=2";
    out += "];\n";
  }
  for (int id : dot.keptIds) {
    const search::TreeNode& node = tree.node(id);
    if (!node.parent || !kept[static_cast<std::size_t>(*node.parent)]) continue;
    out += "  n" + std::to_string(*node.parent) + " -> n" + std::to_string(id) + ";\n";
  }
  out += "}\n";
  return dot;
}

}  // namespace astro::graph
