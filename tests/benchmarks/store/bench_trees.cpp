// bench_trees: speed of search trees in the run store (TreeRepository), median of 5 runs each.
//   1,000 trees x 200 nodes saved one transaction per tree (as MCTS stores each finished tree) and
//   all in one transaction, against the naive way (one autocommit INSERT per node) and against the
//   JSONL tree file the search wrote before (one line per tree, fsync per tree); reading one tree
//   back and a page of 100 summaries.
// Usage: bench_trees [folder]   (default: a fresh folder under the system temp directory)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/search/tree.h"
#include "core/search/tree_store_jsonl.h"
#include "core/store/workspace.h"

using namespace astro::store;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRepeats = 5;
constexpr int kTrees = 1000;
constexpr int kNodesPerTree = 200;
constexpr int kNaiveTrees = 10;  // the naive way is far slower: fewer trees, same rate

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double cpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto toSeconds = [](const timeval& time) { return time.tv_sec + time.tv_usec * 1e-6; };
  return toSeconds(usage.ru_utime) + toSeconds(usage.ru_stime);
}

// Wall seconds of `body`; its CPU seconds (user + system) go to `cpu` when given: on this shared
// 2-core machine the wall time also measures everyone else's load.
double seconds(const std::function<void()>& body, std::vector<double>* cpu = nullptr) {
  const double cpuStart = cpuSeconds();
  auto start = Clock::now();
  body();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  if (cpu) cpu->push_back(cpuSeconds() - cpuStart);
  return wall;
}

// A random-looking tree: each node hangs under an earlier one, steps of ~120 characters, every
// tenth node a terminal with an answer.
std::vector<StoredTreeNode> benchNodes(int seed) {
  std::vector<StoredTreeNode> nodes(kNodesPerTree);
  for (int id = 0; id < kNodesPerTree; ++id) {
    StoredTreeNode& node = nodes[id];
    node.id = id;
    node.visits = kNodesPerTree - id;
    node.value = (id % 7) - 3.0;
    node.prior = 1.0 / (1 + id % 4);
    if (id == 0) continue;
    node.parent = static_cast<int>((static_cast<unsigned>(id) * 2654435761u + seed) % id);
    node.depth = nodes[*node.parent].depth + 1;
    node.text = "Step " + std::to_string(id) + ": multiply both sides by " +
                std::to_string(seed % 97) +
                " and collect the terms in x, which gives a linear equation we can solve.";
    if (id % 10 == 0) {
      node.terminal = true;
      node.answer = std::to_string(id);
      node.correct = id % 30 == 0;
    }
  }
  return nodes;
}

std::vector<NewTree> benchTrees(std::int64_t runId, int count) {
  std::vector<NewTree> trees(count);
  for (int i = 0; i < count; ++i) {
    trees[i] = {.runId = runId,
                .problemId = "problem-" + std::to_string(i),
                .problem = "Solve for x: " + std::to_string(i) + "x + 3 = 7.",
                .referenceAnswer = "4",
                .nodes = benchNodes(i)};
  }
  return trees;
}

astro::search::SearchTree searchTreeOf(const NewTree& tree) {
  std::vector<astro::search::TreeNode> nodes;
  for (const StoredTreeNode& node : tree.nodes) {
    nodes.push_back({.id = node.id,
                     .parent = node.parent,
                     .text = node.text,
                     .visits = node.visits,
                     .value = node.value,
                     .prior = node.prior,
                     .terminal = node.terminal,
                     .answer = node.answer,
                     .correct = node.correct});
  }
  return astro::search::SearchTree::fromNodes(tree.problem, tree.referenceAnswer, std::move(nodes));
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path root = argc > 1 ? std::filesystem::path(argv[1])
                                        : std::filesystem::temp_directory_path() /
                                              ("bench-trees-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  int folderIndex = 0;
  auto freshFolder = [&] { return root / std::to_string(folderIndex++); };

  std::vector<double> perTree, oneTransaction, naive, jsonl, readOne, readPage;
  std::vector<double> perTreeCpu, oneTransactionCpu, naiveCpu, jsonlCpu;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    {
      auto workspace = Workspace::open(freshFolder());
      auto run = workspace.runs().create({.name = "bench"});
      const auto trees = benchTrees(run.id, kTrees);
      perTree.push_back(seconds(
          [&] {
            for (const NewTree& tree : trees) workspace.trees().save(tree);
          },
          &perTreeCpu));
      auto page = workspace.trees().list(run.id, {.offset = kTrees / 2, .limit = 100});
      std::int64_t middle = page.front().id;
      std::size_t nodes = 0;
      readOne.push_back(1000 *
                        seconds([&] { nodes = workspace.trees().get(middle).nodes.size(); }));
      readPage.push_back(1000 * seconds([&] {
                           page = workspace.trees().list(run.id, {.offset = 500, .limit = 100});
                         }));
      if (nodes != kNodesPerTree || page.size() != 100) {
        std::fprintf(stderr, "bench_trees: read %zu nodes, %zu summaries\n", nodes, page.size());
        return 1;
      }
    }
    {
      auto workspace = Workspace::open(freshFolder());
      auto run = workspace.runs().create({.name = "bench"});
      const auto trees = benchTrees(run.id, kTrees);
      oneTransaction.push_back(
          seconds([&] { workspace.trees().saveAll(trees); }, &oneTransactionCpu));
    }
    {
      // Naive: every node its own autocommit transaction (saveAll of a one-node tree each).
      auto workspace = Workspace::open(freshFolder());
      auto run = workspace.runs().create({.name = "bench"});
      auto trees = benchTrees(run.id, kNaiveTrees);
      std::vector<NewTree> singles;
      for (const NewTree& tree : trees) {
        for (const StoredTreeNode& node : tree.nodes) {
          singles.push_back({.runId = run.id,
                             .problemId = tree.problemId + "/" + std::to_string(node.id),
                             .nodes = {node}});
        }
      }
      naive.push_back(seconds(
                          [&] {
                            for (const NewTree& single : singles) workspace.trees().save(single);
                          },
                          &naiveCpu) *
                      kTrees / kNaiveTrees);
      naiveCpu.back() *= double(kTrees) / kNaiveTrees;
    }
    {
      const auto folder = freshFolder();
      std::filesystem::create_directories(folder);
      std::vector<astro::search::SearchTree> trees;
      for (const NewTree& tree : benchTrees(0, kTrees)) trees.push_back(searchTreeOf(tree));
      astro::search::JsonlTreeStore store(folder / "trees.jsonl");
      jsonl.push_back(seconds(
          [&] {
            for (const auto& tree : trees) store.append(tree);
          },
          &jsonlCpu));
    }
  }
  std::filesystem::remove_all(root);

  const double ours = median(perTree);
  const double nodesPerSecond = kTrees * kNodesPerTree / ours;
  std::printf("bench_trees: %d trees x %d nodes, median of %d runs (WAL, synchronous=NORMAL)\n",
              kTrees, kNodesPerTree, kRepeats);
  std::printf("%-52s %10s %10s %10s %10s\n", "way", "wall s", "cpu s", "nodes/s", "time/ours");
  auto row = [&](const char* name, double time, const std::vector<double>& cpu) {
    std::printf("%-52s %10.3f %10.3f %10.0f %9.2fx\n", name, time, median(cpu),
                kTrees * kNodesPerTree / time, time / ours);
  };
  row("TreeRepository::save, one transaction per tree", ours, perTreeCpu);
  row("TreeRepository::saveAll, one transaction", median(oneTransaction), oneTransactionCpu);
  row("naive: autocommit per node (scaled from 10 trees)", median(naive), naiveCpu);
  row("JSONL tree file, fsync per tree (search before)", median(jsonl), jsonlCpu);
  std::printf("target: 1,000 x 200 saved in well under 1 s (ours %.3f s, %.0f nodes/s)\n", ours,
              nodesPerSecond);
  std::printf("read one 200-node tree: %.2f ms; one page of 100 summaries: %.2f ms\n",
              median(readOne), median(readPage));
  return 0;
}
