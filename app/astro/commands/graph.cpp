// `astro graph --tree TREE.json --out FILE [--format dot|svg|pdf|png]`: draws a search tree (the
// JSON interchange format) through Graphviz; large trees are pruned by visits (--max-nodes).
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/graph/graph_export.h"
#include "core/search/tree_json.h"

namespace {

struct GraphOptions {
  std::string tree;
  std::string out;
  std::string format;  // empty: from the extension of --out
  int maxNodes = 2000;
  std::size_t maxLabel = 60;
  std::string rankDirection = "TB";
};

void runGraph(const GraphOptions& options) {
  std::string formatName = options.format;
  if (formatName.empty()) {
    formatName = std::filesystem::path(options.out).extension().string();
    if (!formatName.empty()) formatName.erase(0, 1);
    if (formatName.empty()) throw astro::UsageError("give --format or an --out with an extension");
  }
  auto format = astro::graph::exportFormatFromName(formatName);
  auto tree = astro::search::loadTree(options.tree);
  astro::graph::TreeDotOptions dot{.maxStepCharacters = options.maxLabel,
                                   .nodeLimit = options.maxNodes,
                                   .rankDirection = options.rankDirection};
  astro::graph::exportTree(tree, format, options.out, dot);
  int shown = options.maxNodes > 0 ? std::min(options.maxNodes, tree.size()) : tree.size();
  std::cout << "wrote " << options.out << " (" << formatName << ", " << shown << " of "
            << tree.size() << " nodes";
  if (shown < tree.size()) std::cout << ", pruned by visits to --max-nodes " << options.maxNodes;
  std::cout << ")\n";
}

const astro::cli::CommandRegistration kGraph{"41-graph", [](CLI::App& root) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* graph = root.add_subcommand(
      "graph", "Draw a search tree (JSON interchange format) as DOT, SVG, PDF or PNG");
  graph->add_option("--tree", options->tree, "Search tree JSON file")
      ->required()
      ->check(CLI::ExistingFile);
  graph->add_option("--out", options->out, "Output file")->required();
  graph->add_option("--format", options->format, "dot, svg, pdf or png (default: from --out)")
      ->check(CLI::IsMember({"dot", "svg", "pdf", "png"}));
  graph->add_option("--max-nodes", options->maxNodes,
                    "Keep at most this many nodes, most visited first (0: all)")
      ->check(CLI::Range(0, 10000000));
  graph->add_option("--max-label", options->maxLabel, "Characters of step text per node")
      ->check(CLI::Range(1, 100000));
  graph->add_option("--rankdir", options->rankDirection, "TB (root on top) or LR")
      ->check(CLI::IsMember({"TB", "LR"}));
  graph->callback([options] { runGraph(*options); });
}};

}  // namespace
