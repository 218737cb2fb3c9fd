// searchIntoStoreAcrossRanks (sharded_search.h): the to-do list from rank 0's store, each chunk's
// share searched as one batch per rank, the chunk's trees all-gathered and stored by rank 0 in
// to-do order.
#include "core/search/sharded_search.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/dist/detail/job_communicator.h"
#include "core/search/tree_json.h"

namespace astro::search {

namespace {

// The job's communicator; a bare "cuda" means this rank's local GPU, as the trainers use.
dist::detail::Communicator& communicatorFor(const std::string& device) {
  torch::Device parsed(device);
  if (parsed.is_cuda() && !parsed.has_index()) {
    parsed =
        torch::Device(torch::kCUDA, c10::DeviceIndex(dist::distEnvironmentFromProcess().localRank));
  }
  return *dist::detail::jobCommunicator(parsed);  // process-wide: outlives this call
}

// The counters of `more` added to `into`; treesTotal stays `into`'s (the whole to-do list).
MctsStats plus(MctsStats into, const MctsStats& more) {
  into.simulations += more.simulations;
  into.policyTokens += more.policyTokens;
  into.proposeCalls += more.proposeCalls;
  into.rolloutCalls += more.rolloutCalls;
  into.statesExpanded += more.statesExpanded;
  into.statesRolledOut += more.statesRolledOut;
  into.treesFinished += more.treesFinished;
  into.solutionsJudged += more.solutionsJudged;
  into.solutionsRejected += more.solutionsRejected;
  into.stepsRejected += more.stepsRejected;
  return into;
}

std::string encodeStats(const MctsStats& stats) {
  std::string line;
  for (long long value :
       {stats.simulations, stats.policyTokens, stats.proposeCalls, stats.rolloutCalls,
        stats.statesExpanded, stats.statesRolledOut, static_cast<long long>(stats.treesFinished),
        stats.solutionsJudged, stats.solutionsRejected, stats.stepsRejected}) {
    line += std::to_string(value) + " ";
  }
  return line;
}

// One rank's chunk as the gather carries it: its counters, then per finished tree a line
// "<problem index> <solved 0|1>" and the tree's one-line interchange JSON.
struct RankBlock {
  MctsStats stats;
  struct Tree {
    std::size_t index = 0;
    bool solved = false;
    std::string json;
  };
  std::vector<Tree> trees;
};

std::string encodeBlock(const MctsResult& result, const std::vector<std::size_t>& indices) {
  std::string block = encodeStats(result.stats) + "\n";
  for (std::size_t k = 0; k < result.trees.size(); ++k) {
    if (!result.trees[k]) continue;
    const bool solved = !result.trees[k]->correctTerminals().empty();
    block += std::to_string(indices[k]) + (solved ? " 1\n" : " 0\n");
    block += treeToJsonText(*result.trees[k]) + "\n";
  }
  return block;
}

RankBlock decodeBlock(std::string_view block, int rank, std::size_t problemCount) {
  auto fail = [&](const std::string& what) -> RankBlock {
    throw Error("sharded search: rank " + std::to_string(rank) + " sent a malformed block (" +
                what + ")");
  };
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < block.size();) {
    std::size_t end = block.find('\n', at);
    if (end == std::string_view::npos) return fail("no final newline");
    lines.push_back(block.substr(at, end - at));
    at = end + 1;
  }
  if (lines.empty() || lines.size() % 2 != 1) return fail(std::to_string(lines.size()) + " lines");
  RankBlock decoded;
  std::vector<long long> numbers;
  for (const char* at = lines[0].data(); at < lines[0].data() + lines[0].size();) {
    long long value = 0;
    auto [next, error] = std::from_chars(at, lines[0].data() + lines[0].size(), value);
    if (error != std::errc()) return fail("counters");
    numbers.push_back(value);
    at = next + 1;  // the space after each number
  }
  if (numbers.size() != 10) return fail(std::to_string(numbers.size()) + " counters, not 10");
  MctsStats& stats = decoded.stats;
  stats.simulations = numbers[0];
  stats.policyTokens = numbers[1];
  stats.proposeCalls = numbers[2];
  stats.rolloutCalls = numbers[3];
  stats.statesExpanded = numbers[4];
  stats.statesRolledOut = numbers[5];
  stats.treesFinished = static_cast<int>(numbers[6]);
  stats.solutionsJudged = numbers[7];
  stats.solutionsRejected = numbers[8];
  stats.stepsRejected = numbers[9];
  for (std::size_t line = 1; line < lines.size(); line += 2) {
    RankBlock::Tree tree;
    const std::string_view head = lines[line];
    auto [next, error] = std::from_chars(head.data(), head.data() + head.size(), tree.index);
    if (error != std::errc() || tree.index >= problemCount || head.size() < 2 ||
        next != head.data() + head.size() - 2) {
      return fail("tree header '" + std::string(head) + "'");
    }
    tree.solved = head.back() == '1';
    tree.json = std::string(lines[line + 1]);
    decoded.trees.push_back(std::move(tree));
  }
  return decoded;
}

}  // namespace

ResumableSearchSummary searchIntoStoreAcrossRanks(
    std::span<const math::Problem> problems, StepPolicy& policy, const math::Verifier& verifier,
    const MctsOptions& options, FinishedTreeStore* store, const MctsCallbacks& callbacks,
    const std::string& device) {
  options.validate();
  dist::detail::Communicator& communicator = communicatorFor(device);
  const int rank = communicator.rank();
  const auto world = static_cast<std::size_t>(communicator.worldSize());
  if (rank == 0 && store == nullptr) throw Error("sharded search: rank 0 has no tree store");

  // 1. The to-do list: rank 0 alone reads the store, every rank gets its flags.
  std::string flags;
  if (rank == 0) {
    for (bool stored : store->storedFlags(problems)) flags += stored ? '1' : '0';
  }
  flags = communicator.broadcastBytes(flags);
  if (flags.size() != problems.size()) {
    throw Error("sharded search: rank 0 has " + std::to_string(flags.size()) + " problems, rank " +
                std::to_string(rank) + " has " + std::to_string(problems.size()) +
                " (every rank must read the same dataset)");
  }
  ResumableSearchSummary summary;
  std::vector<std::size_t> toSearch;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (flags[i] == '1') {
      ++summary.alreadyStored;
    } else {
      toSearch.push_back(i);
    }
  }
  summary.stats.treesTotal = static_cast<int>(toSearch.size());

  const std::size_t chunk = static_cast<std::size_t>(options.treesPerBatch) * world;
  for (std::size_t first = 0; first < toSearch.size(); first += chunk) {
    // 2. Rank 0's stop request holds for all, between chunks.
    const bool stopHere = rank == 0 && callbacks.stop != nullptr && callbacks.stop->load();
    if (communicator.broadcastBytes(stopHere ? "1" : "0") == "1") {
      summary.stopped = true;
      break;
    }

    // 3. This rank's share of the chunk (to-do index i with i % world == rank), as one batch.
    std::vector<std::size_t> mine;
    std::vector<math::Problem> mineProblems;
    const std::size_t last = std::min(toSearch.size(), first + chunk);
    for (std::size_t i = first + static_cast<std::size_t>(rank); i < last; i += world) {
      mine.push_back(toSearch[i]);
      mineProblems.push_back(problems[toSearch[i]]);
    }
    MctsCallbacks local;
    local.validator = callbacks.validator;
    if (rank == 0 && callbacks.onProgress) {
      local.onProgress = [&](const MctsStats& own) {
        callbacks.onProgress(plus(summary.stats, own));
      };
    }
    MctsResult result;
    if (!mineProblems.empty()) result = searchBatch(mineProblems, policy, verifier, options, local);

    // 4. Every rank's trees of the chunk; rank 0 stores them in to-do order.
    std::vector<RankBlock::Tree> finished;
    const auto blocks = communicator.allGatherBytes(encodeBlock(result, mine));
    for (std::size_t from = 0; from < blocks.size(); ++from) {
      RankBlock block = decodeBlock(blocks[from], static_cast<int>(from), problems.size());
      summary.stats = plus(summary.stats, block.stats);
      for (auto& tree : block.trees) finished.push_back(std::move(tree));
    }
    std::sort(finished.begin(), finished.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
    for (const RankBlock::Tree& tree : finished) {
      if (rank == 0) {
        const std::string source = "the tree of problem '" + problems[tree.index].id + "'";
        store->store(problems[tree.index], treeFromJsonText(tree.json, source));
      }
      ++summary.searched;
      summary.solved += tree.solved ? 1 : 0;
    }
    if (callbacks.onTreeFinished) {
      for (std::size_t k = 0; k < mine.size(); ++k) {
        if (result.trees[k]) callbacks.onTreeFinished(mine[k], *result.trees[k]);
      }
    }
    if (rank == 0 && callbacks.onProgress) callbacks.onProgress(summary.stats);
  }
  return summary;
}

long long sumAcrossRanks(long long value, const std::string& device) {
  long long sum = 0;
  for (const std::string& part : communicatorFor(device).allGatherBytes(std::to_string(value))) {
    sum += std::stoll(part);
  }
  return sum;
}

}  // namespace astro::search
