// `astro graph --tree TREE.json --out FILE [--format dot|svg|pdf|png]`: draws a search tree (the
// JSON interchange format) through Graphviz; large trees are pruned by visits (--max-nodes).
// `astro graph --tree-id N --out FILE`: the same for tree N of the workspace's run store (see
// `astro trees list`).
// `astro graph --trace TRACE.txt --out FILE`: draws a chain of thought as its step graph.
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "app/astro/verifier_flag.h"
#include "core/analysis/exact_detector.h"
#include "core/analysis/heuristic_detector.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/domain/domain_registry.h"
#include "core/graph/graph_export.h"
#include "core/graph/step_graph_layout.h"
#include "core/search/phrase_set.h"
#include "core/search/tree_json.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"

namespace {

struct GraphOptions {
  std::string tree;
  std::int64_t treeId = 0;
  std::string trace;
  std::string detector = "heuristic";
  std::string verifier{astro::domain::kAutoDomain};  // --detector exact: the trace's domain
  std::string phraseSet;                             // --detector exact: else the domain's
  std::string out;
  std::string format;  // empty: from the extension of --out
  int maxNodes = 2000;
  std::size_t maxLabel = 60;
  std::string rankDirection = "TB";
};

// Tree `treeId` of the workspace, without creating a workspace that is not there.
astro::search::SearchTree storedTree(std::int64_t treeId) {
  const auto folder = astro::cli::globalOptions().resolvedWorkspace();
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no tree " + std::to_string(treeId) + " in workspace " + folder.string());
  }
  auto workspace = astro::store::Workspace::open(folder);
  return astro::search::treeFromStore(workspace.trees().get(treeId));
}

void runGraph(const GraphOptions& options) {
  std::string formatName = options.format;
  if (formatName.empty()) {
    formatName = std::filesystem::path(options.out).extension().string();
    if (!formatName.empty()) formatName.erase(0, 1);
    if (formatName.empty()) throw astro::UsageError("give --format or an --out with an extension");
  }
  auto format = astro::graph::exportFormatFromName(formatName);
  if (!options.tree.empty() + !options.trace.empty() + (options.treeId > 0) != 1) {
    throw astro::UsageError("give exactly one of --tree, --tree-id and --trace");
  }
  if (!options.trace.empty()) {
    std::string trace = astro::readFile(options.trace);
    std::shared_ptr<const astro::analysis::TraceDetector> detector;
    if (options.detector == "exact") {
      // A bare trace names no problem: "auto" resolves to the fallback domain (math).
      std::optional<astro::search::PhraseSet> named;
      if (!options.phraseSet.empty()) named = astro::search::loadPhraseSet(options.phraseSet);
      detector = astro::analysis::ExactDetector::forDomain(
          astro::domain::resolveDomain(options.verifier, {}), named);
    } else {
      detector = std::make_shared<astro::analysis::HeuristicDetector>();
    }
    auto graph = detector->detect(trace);
    std::string dot =
        astro::graph::stepGraphToDot(graph, trace, {.maxStepCharacters = options.maxLabel});
    astro::writeFileAtomically(options.out, astro::graph::renderDot(dot, format, options.trace));
    std::cout << "wrote " << options.out << " (" << formatName << ", " << graph.steps.size()
              << " steps, " << graph.backtracks() << " backtracks, " << graph.restarts()
              << " restarts, " << graph.reflections() << " reflections)\n";
    return;
  }
  auto tree =
      options.treeId > 0 ? storedTree(options.treeId) : astro::search::loadTree(options.tree);
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

const astro::cli::CommandRegistration kGraph{
    "41-graph", [](CLI::App& root) {
      auto options = std::make_shared<GraphOptions>();
      CLI::App* graph = root.add_subcommand(
          "graph",
          "Draw a search tree (JSON interchange format or stored in the workspace) or a trace's "
          "step graph as DOT, SVG, PDF or PNG");
      graph->add_option("--tree", options->tree, "Search tree JSON file")->check(CLI::ExistingFile);
      graph
          ->add_option("--tree-id", options->treeId,
                       "A search tree stored in the workspace (see astro trees list)")
          ->check(CLI::PositiveNumber);
      graph
          ->add_option("--trace", options->trace,
                       "A chain of thought (text) to draw as a step graph")
          ->check(CLI::ExistingFile);
      graph
          ->add_option("--detector", options->detector,
                       "--trace: heuristic, or exact (rendered by astro with the domain's step "
                       "delimiter and phrase set, or --phrase-set)")
          ->check(CLI::IsMember({"heuristic", "exact"}));
      graph
          ->add_option("--phrase-set", options->phraseSet,
                       "--detector exact: the phrase set JSON the trace was rendered with")
          ->check(CLI::ExistingFile);
      // --detector exact: the trace's domain (auto: the fallback, as a trace names no problem).
      astro::cli::addVerifierFlag(graph, options->verifier);
      graph->add_option("--out", options->out, "Output file")->required();
      graph->add_option("--format", options->format, "dot, svg, pdf or png (default: from --out)")
          ->check(CLI::IsMember({"dot", "svg", "pdf", "png"}));
      graph
          ->add_option("--max-nodes", options->maxNodes,
                       "Keep at most this many nodes, most visited first (0: all)")
          ->check(CLI::Range(0, 10000000));
      graph->add_option("--max-label", options->maxLabel, "Characters of step text per node")
          ->check(CLI::Range(1, 100000));
      graph->add_option("--rankdir", options->rankDirection, "TB (root on top) or LR")
          ->check(CLI::IsMember({"TB", "LR"}));
      graph->callback([options] { runGraph(*options); });
    }};

}  // namespace
