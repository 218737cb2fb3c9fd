// `astro trees list|export|import`: the search trees a run holds in the workspace database, listed,
// written out in the JSON interchange format (one tree as JSON, many as JSONL), or read in from it
// (core/store/tree_repository.h, core/search/tree_json.h).
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/astro/command_registry.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/search/tree_json.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"

namespace {

using astro::store::TreeSummary;
using nlohmann::ordered_json;

struct ListOptions {
  std::int64_t runId = 0;
  std::string stage;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
  bool json = false;
};

struct ExportOptions {
  std::int64_t treeId = 0;
  std::int64_t runId = 0;
  std::string stage;
  std::string problemId;
  bool all = false;
  std::filesystem::path out;
  int indent = 2;
};

struct ImportOptions {
  std::filesystem::path file;
  std::int64_t runId = 0;
  std::string newRun;
  std::string stage = "import";
  std::string problemId;
};

// Reading must not create a workspace as a side effect: no database means no such run.
astro::store::Workspace openExisting(const std::string& missing) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error(missing + " in workspace " + folder.string());
  }
  return astro::store::Workspace::open(folder);
}

std::optional<std::string> stageFilter(const std::string& stage) {
  return stage.empty() ? std::nullopt : std::optional<std::string>(stage);
}

ordered_json summaryJson(const TreeSummary& tree) {
  return {{"id", tree.id},
          {"run", tree.runId},
          {"stage", tree.stage},
          {"problem_id", tree.problemId},
          {"problem", tree.problem},
          {"answer", tree.referenceAnswer},
          {"nodes", tree.stats.nodes},
          {"max_depth", tree.stats.maxDepth},
          {"terminals", tree.stats.terminals},
          {"correct_terminals", tree.stats.correctTerminals},
          {"root_visits", tree.stats.rootVisits},
          {"created", astro::store::formatTimestamp(tree.created)}};
}

std::string oneLine(const std::string& text, std::size_t width) {
  std::string line;
  for (char c : text) line += (c == '\n' || c == '\t') ? ' ' : c;
  return line.size() > width ? line.substr(0, width - 3) + "..." : line;
}

void listTrees(const ListOptions& options) {
  auto workspace = openExisting("no run " + std::to_string(options.runId));
  workspace.runs().get(options.runId);
  auto trees = workspace.trees();
  const auto stage = stageFilter(options.stage);
  const auto page =
      trees.list(options.runId, {.stage = stage, .offset = options.offset, .limit = options.limit});
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const TreeSummary& tree : page) list.push_back(summaryJson(tree));
    std::cout << list.dump() << "\n";
    return;
  }
  const std::int64_t total = trees.count(options.runId, stage);
  std::printf("%lld trees in run %lld%s; showing %zu from %lld\n", static_cast<long long>(total),
              static_cast<long long>(options.runId),
              stage ? (" (stage " + *stage + ")").c_str() : "", page.size(),
              static_cast<long long>(options.offset));
  if (page.empty()) return;
  std::printf("%8s  %-8s  %-20s  %6s  %5s  %9s  %7s  %s\n", "TREE", "STAGE", "PROBLEM ID", "NODES",
              "DEPTH", "TERMINALS", "CORRECT", "PROBLEM");
  for (const TreeSummary& tree : page) {
    std::printf("%8lld  %-8s  %-20s  %6d  %5d  %9d  %7d  %s\n", static_cast<long long>(tree.id),
                tree.stage.c_str(), oneLine(tree.problemId, 20).c_str(), tree.stats.nodes,
                tree.stats.maxDepth, tree.stats.terminals, tree.stats.correctTerminals,
                oneLine(tree.problem, 50).c_str());
  }
}

// Writes to `out` atomically, or to stdout when it is empty.
void writeText(const std::filesystem::path& out, const std::string& text) {
  if (out.empty()) {
    std::cout << text;
    return;
  }
  astro::writeFileAtomically(out, text);
}

void exportTrees(const ExportOptions& options) {
  const int chosen = (options.treeId > 0) + !options.problemId.empty() + options.all;
  if (chosen != 1) {
    throw astro::UsageError("trees export: give exactly one of TREE_ID, --problem, --all");
  }
  if (options.treeId == 0 && options.runId == 0) {
    throw astro::UsageError("trees export: --problem and --all need --run");
  }
  auto workspace = openExisting(options.treeId > 0 ? "no tree " + std::to_string(options.treeId)
                                                   : "no run " + std::to_string(options.runId));
  auto trees = workspace.trees();
  if (options.treeId > 0) {
    const auto tree = astro::search::treeFromStore(trees.get(options.treeId));
    writeText(options.out, astro::search::treeToJsonText(tree, options.indent) + "\n");
    return;
  }
  workspace.runs().get(options.runId);
  const std::string stage = options.stage.empty() ? "search" : options.stage;
  if (!options.problemId.empty()) {
    const auto stored = trees.find(options.runId, stage, options.problemId);
    if (!stored) {
      throw astro::Error("run " + std::to_string(options.runId) + " holds no " + stage +
                         " tree for problem '" + options.problemId + "'");
    }
    const auto tree = astro::search::treeFromStore(*stored);
    writeText(options.out, astro::search::treeToJsonText(tree, options.indent) + "\n");
    return;
  }
  // --all: JSONL, one tree per line, read a page at a time so a large run never sits in memory.
  constexpr std::int64_t kPage = 256;
  std::string text;
  const auto filter = stageFilter(options.stage);
  for (std::int64_t offset = 0;; offset += kPage) {
    const auto page =
        trees.list(options.runId, {.stage = filter, .offset = offset, .limit = kPage});
    for (const TreeSummary& summary : page) {
      text += astro::search::treeToJsonText(astro::search::treeFromStore(trees.get(summary.id)));
      text += '\n';
    }
    if (options.out.empty()) {
      std::cout << text;
      text.clear();
    }
    if (static_cast<std::int64_t>(page.size()) < kPage) break;
  }
  if (!options.out.empty()) astro::writeFileAtomically(options.out, text);
}

void importTrees(const ImportOptions& options) {
  if ((options.runId > 0) == !options.newRun.empty()) {
    throw astro::UsageError("trees import: give exactly one of --run and --new-run");
  }
  const bool jsonl = options.file.extension() == ".jsonl";
  if (jsonl && !options.problemId.empty()) {
    throw astro::UsageError(
        "trees import: --problem-id is for one .json tree (JSONL lines are "
        "named <file>:<line>)");
  }
  // Problem ids: the given one, the file name for one tree, <file name>:<line> for JSONL.
  std::vector<std::pair<std::string, astro::search::SearchTree>> trees;
  const std::string name = options.file.filename().string();
  if (jsonl) {
    std::ifstream in(options.file);
    if (!in) throw astro::IoError(options.file.string(), "open", errno);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = name + ":" + std::to_string(number);
      trees.emplace_back(where, astro::search::treeFromJsonText(
                                    line, options.file.string() + ":" + std::to_string(number)));
    }
  } else {
    trees.emplace_back(options.problemId.empty() ? name : options.problemId,
                       astro::search::loadTree(options.file));
  }
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  std::int64_t runId = options.runId;
  std::vector<astro::store::NewTree> rows;
  workspace.transaction([&] {
    if (!options.newRun.empty()) {
      runId = workspace.runs()
                  .create({.name = options.newRun, .kind = astro::store::RunKind::kImported})
                  .id;
    }
    for (auto& [problemId, tree] : trees) {
      rows.push_back(astro::search::toNewTree(tree, runId, options.stage, problemId));
    }
    workspace.trees().saveAll(rows);  // all or none: a tree already there refuses the import
  });
  std::printf("imported %zu trees from %s into run %lld (stage %s)\n", rows.size(),
              options.file.c_str(), static_cast<long long>(runId), options.stage.c_str());
}

const astro::cli::CommandRegistration kTrees{
    "55-trees", [](CLI::App& root) {
      CLI::App& trees = astro::cli::commandGroup(
          root, "trees",
          "Search trees stored in the workspace: list a run's trees, export them as interchange "
          "JSON/JSONL, import JSON/JSONL trees into a run");

      auto listOptions = std::make_shared<ListOptions>();
      CLI::App* list = trees.add_subcommand(
          "list", "List a run's trees: id, stage, problem id, nodes, depth, terminals, correct");
      list->add_option("--run", listOptions->runId, "Run id (see astro runs list)")
          ->required()
          ->check(CLI::PositiveNumber);
      list->add_option("--stage", listOptions->stage, "Only trees of this stage");
      list->add_option("--offset", listOptions->offset, "Skip this many trees")
          ->check(CLI::NonNegativeNumber);
      list->add_option("--limit", listOptions->limit, "Show at most this many trees (-1: all)")
          ->check(CLI::Range(-1, 100000000))
          ->capture_default_str();
      list->add_flag("--json", listOptions->json, "Print a JSON array instead of a table");
      list->callback([listOptions] { listTrees(*listOptions); });

      auto exportOptions = std::make_shared<ExportOptions>();
      CLI::App* exportCommand = trees.add_subcommand(
          "export",
          "Write stored trees in the JSON interchange format: one tree (TREE_ID, or --run with "
          "--problem) as JSON, or every tree of a run (--all) as JSONL");
      exportCommand->add_option("TREE_ID", exportOptions->treeId, "Tree id (see astro trees list)")
          ->check(CLI::PositiveNumber);
      exportCommand->add_option("--run", exportOptions->runId, "Run id")
          ->check(CLI::PositiveNumber);
      exportCommand->add_option("--stage", exportOptions->stage,
                                "Stage of the trees (--problem: default search; --all: every "
                                "stage unless given)");
      exportCommand->add_option("--problem", exportOptions->problemId,
                                "The tree of this problem id in --run");
      exportCommand->add_flag("--all", exportOptions->all, "Every tree of --run, as JSONL");
      exportCommand->add_option("--out", exportOptions->out, "Output file (default: stdout)");
      exportCommand
          ->add_option("--indent", exportOptions->indent,
                       "Spaces of indentation for one tree (-1: one line)")
          ->check(CLI::Range(-1, 16))
          ->capture_default_str();
      exportCommand->callback([exportOptions] { exportTrees(*exportOptions); });

      auto importOptions = std::make_shared<ImportOptions>();
      CLI::App* importCommand = trees.add_subcommand(
          "import",
          "Store interchange-format trees (FILE.json: one tree, FILE.jsonl: one per line) in a "
          "run, all or none; a problem that already has a tree in that run and stage is refused");
      importCommand->add_option("FILE", importOptions->file, "Tree file (.json or .jsonl)")
          ->required()
          ->check(CLI::ExistingFile);
      importCommand->add_option("--run", importOptions->runId, "Existing run to add the trees to")
          ->check(CLI::PositiveNumber);
      importCommand->add_option("--new-run", importOptions->newRun,
                                "Create an imported run with this name for the trees");
      importCommand->add_option("--stage", importOptions->stage, "Stage name of the trees")
          ->capture_default_str();
      importCommand->add_option("--problem-id", importOptions->problemId,
                                "Problem id of a .json tree (default: the file name; JSONL "
                                "lines get <file name>:<line>)");
      importCommand->callback([importOptions] { importTrees(*importOptions); });
    }};

}  // namespace
