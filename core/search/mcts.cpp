// The batched MCTS driver (mcts.h): a pool of active trees advances one iteration per round, with
// one policy call for all expansions of the round and one for all rollouts.
#include "core/search/mcts.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <unordered_set>

#include "core/base/error.h"
#include "core/search/mcts_operations.h"

namespace astro::search {

namespace {

std::uint64_t splitMix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

std::uint64_t combine(std::uint64_t seed, std::uint64_t value) {
  return splitMix(seed ^ splitMix(value));
}

std::uint64_t hashText(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

// Why a request is made, so an expansion and a rollout from the same node draw differently.
enum class Purpose : std::uint64_t { kExpand = 1, kRollout = 2 };

struct ActiveTree {
  std::size_t problemIndex = 0;
  const math::Problem* problem = nullptr;
  std::uint64_t seedBase = 0;  // from the options' seed and the problem id only
  SearchTree tree;
  std::vector<double> likelihood{1.0};  // per node id: stepLikelihood of its step
  std::vector<char> expanded{0};        // per node id: the policy proposed its children
  int iterationsDone = 0;

  std::uint64_t requestSeed(int node, Purpose purpose) const {
    const auto visits = static_cast<std::uint64_t>(tree.node(node).visits);
    return combine(combine(seedBase, static_cast<std::uint64_t>(node)),
                   static_cast<std::uint64_t>(purpose) + 4 * visits);
  }
};

class BatchedSearch {
 public:
  BatchedSearch(std::span<const math::Problem> problems, StepPolicy& policy,
                const math::Verifier& verifier, const MctsOptions& options,
                const MctsCallbacks& callbacks)
      : problems_(problems),
        policy_(policy),
        verifier_(verifier),
        options_(options),
        callbacks_(callbacks) {
    result_.trees.resize(problems.size());
    result_.stats.treesTotal = static_cast<int>(problems.size());
  }

  MctsResult run() {
    refill();
    while (!active_.empty()) {
      if (callbacks_.stop != nullptr && callbacks_.stop->load()) {
        result_.stopped = true;
        break;
      }
      runRound();
      finishCompletedTrees();
      refill();
      if (callbacks_.onProgress) callbacks_.onProgress(result_.stats);
    }
    return std::move(result_);
  }

 private:
  struct Request {
    ActiveTree* tree;
    int node;
  };

  void refill() {
    while (static_cast<int>(active_.size()) < options_.treesPerBatch &&
           nextProblem_ < problems_.size()) {
      auto tree = std::make_unique<ActiveTree>();
      tree->problemIndex = nextProblem_;
      tree->problem = &problems_[nextProblem_];
      tree->seedBase = combine(options_.seed, hashText(tree->problem->id));
      tree->tree = SearchTree(tree->problem->question, tree->problem->answer);
      active_.push_back(std::move(tree));
      ++nextProblem_;
    }
  }

  void runRound() {
    std::vector<Request> toExpand;
    for (auto& active : active_) {
      const int leaf = selectLeaf(*active);
      const TreeNode& node = active->tree.node(leaf);
      if (node.terminal) {
        backup(active->tree, leaf, rewardOf(node));
      } else if (node.depth >= options_.maxDepth) {
        gradeAndBackup(*active, leaf);
      } else {
        toExpand.push_back({active.get(), leaf});
      }
    }
    std::vector<Request> toRollOut = expand(toExpand);
    rollOut(toRollOut);
    for (auto& active : active_) ++active->iterationsDone;
    result_.stats.simulations += static_cast<long long>(active_.size());
  }

  // Descends through expanded nodes by PUCT to the first node whose children the policy has not
  // proposed yet, or to a terminal.
  int selectLeaf(const ActiveTree& active) const {
    int node = 0;
    while (active.expanded[static_cast<std::size_t>(node)] && !active.tree.node(node).terminal &&
           !active.tree.node(node).children.empty()) {
      node = selectChild(active.tree, node, options_.exploration);
    }
    return node;
  }

  // Texts of the steps from the root to `node` (views into the tree; valid until it changes).
  static std::vector<std::string_view> stepsTo(const ActiveTree& active, int node) {
    std::vector<std::string_view> steps;
    for (int id : active.tree.pathFromRoot(node)) {
      if (id != 0) steps.push_back(active.tree.node(id).text);
    }
    return steps;
  }

  std::vector<Request> expand(const std::vector<Request>& requests) {
    std::vector<Request> toRollOut;
    if (requests.empty()) return toRollOut;
    std::vector<PolicyState> states;
    states.reserve(requests.size());
    for (const Request& request : requests) {
      states.push_back({request.tree->problem, stepsTo(*request.tree, request.node),
                        request.tree->requestSeed(request.node, Purpose::kExpand)});
    }
    const StepSampling sampling{.count = options_.childrenPerExpansion,
                                .temperature = options_.temperature,
                                .maxStepTokens = options_.maxStepTokens};
    auto proposals = policy_.proposeSteps(states, sampling);
    if (proposals.size() != requests.size()) {
      throw Error("StepPolicy::proposeSteps returned " + std::to_string(proposals.size()) +
                  " results for " + std::to_string(requests.size()) + " states");
    }
    ++result_.stats.proposeCalls;
    result_.stats.statesExpanded += static_cast<long long>(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      ActiveTree& active = *requests[i].tree;
      const int leaf = requests[i].node;
      addChildren(active, leaf, proposals[i]);
      if (active.tree.node(leaf).children.empty()) {
        backup(active.tree, leaf, options_.incorrectReward);  // the policy proposed nothing
        continue;
      }
      const int child = simulationChild(active.tree, leaf);
      const TreeNode& chosen = active.tree.node(child);
      if (chosen.terminal) {
        backup(active.tree, child, rewardOf(chosen));
      } else if (chosen.depth >= options_.maxDepth) {
        gradeAndBackup(active, child);
      } else if (options_.rollout == MctsOptions::Rollout::kNone) {
        backup(active.tree, child, 0.0);
      } else {
        toRollOut.push_back({&active, child});
      }
    }
    return toRollOut;
  }

  // The new child to simulate from: the unvisited child with the highest prior (what PUCT
  // picks among unvisited children), so a rollout explores a step no iteration has tried; PUCT
  // over all children when every proposal repeated a visited child.
  int simulationChild(const SearchTree& tree, int leaf) const {
    int best = -1;
    for (int id : tree.node(leaf).children) {
      const TreeNode& child = tree.node(id);
      if (child.visits == 0 && (best < 0 || child.prior > tree.node(best).prior)) best = id;
    }
    return best >= 0 ? best : selectChild(tree, leaf, options_.exploration);
  }

  // The steps to `node` as strings, only when a validator needs them.
  std::vector<std::string> ownedStepsTo(const ActiveTree& active, int node) const {
    if (callbacks_.validator == nullptr) return {};
    std::vector<std::string> steps;
    for (std::string_view step : stepsTo(active, node)) steps.emplace_back(step);
    return steps;
  }

  bool accepted(const ActiveTree& active, std::span<const std::string_view> path,
                std::string_view step) {
    if (callbacks_.validator == nullptr) return true;
    if (callbacks_.validator->accepts(*active.problem, path, step)) return true;
    ++result_.stats.stepsRejected;
    return false;
  }

  void addChildren(ActiveTree& active, int leaf, const std::vector<ProposedStep>& proposals) {
    std::unordered_set<std::string> seen;
    for (int id : active.tree.node(leaf).children) seen.insert(active.tree.node(id).text);
    // Copies: adding nodes may move the tree's texts that stepsTo's views point into.
    const std::vector<std::string> owned = ownedStepsTo(active, leaf);
    const std::vector<std::string_view> path(owned.begin(), owned.end());
    for (const ProposedStep& step : proposals) {
      result_.stats.policyTokens += step.tokenCount;
      // Identical samples are one action; an empty step is no action (only the root is empty).
      // A rejected text is seen too: its repeats are neither judged nor counted again.
      if (step.text.empty() || !seen.insert(step.text).second) continue;
      if (!accepted(active, path, step.text)) {
        if (options_.keepInvalidSteps) markDeadEnd(active, addNode(active, leaf, step));
        continue;
      }
      const int child = addNode(active, leaf, step);
      // A step at the maximum depth ends its path: graded now, like a final step.
      if (step.final || active.tree.node(child).depth >= options_.maxDepth) grade(active, child);
    }
    active.expanded[static_cast<std::size_t>(leaf)] = 1;
    assignChildPriors(active.tree, leaf, active.likelihood);
  }

  int addNode(ActiveTree& active, int parent, const ProposedStep& step) {
    const int id = active.tree.addChild(parent, step.text);
    active.likelihood.push_back(stepLikelihood(step));
    active.expanded.push_back(0);
    return id;
  }

  void rollOut(const std::vector<Request>& requests) {
    if (requests.empty()) return;
    std::vector<PolicyState> states;
    RolloutSampling sampling{.temperature = options_.rolloutTemperature,
                             .maxStepTokens = options_.maxStepTokens,
                             .maxSteps = {}};
    for (const Request& request : requests) {
      states.push_back({request.tree->problem, stepsTo(*request.tree, request.node),
                        request.tree->requestSeed(request.node, Purpose::kRollout)});
      sampling.maxSteps.push_back(options_.maxDepth - request.tree->tree.node(request.node).depth);
    }
    auto rollouts = policy_.rollout(states, sampling);
    if (rollouts.size() != requests.size()) {
      throw Error("StepPolicy::rollout returned " + std::to_string(rollouts.size()) +
                  " results for " + std::to_string(requests.size()) + " states");
    }
    ++result_.stats.rolloutCalls;
    result_.stats.statesRolledOut += static_cast<long long>(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      finishRollout(*requests[i].tree, requests[i].node, rollouts[i]);
    }
  }

  void finishRollout(ActiveTree& active, int start, const std::vector<ProposedStep>& steps) {
    const int budget = options_.maxDepth - active.tree.node(start).depth;
    int end = start;
    std::vector<std::string_view> extra;
    // Root to the rollout's newest step, for the validator (owned: the tree grows meanwhile).
    const std::vector<std::string> owned = ownedStepsTo(active, start);
    std::vector<std::string_view> checkedPath(owned.begin(), owned.end());
    bool rejected = false;
    for (const ProposedStep& step : steps) {
      if (static_cast<int>(extra.size()) >= budget) break;  // the policy overran the depth budget
      result_.stats.policyTokens += step.tokenCount;
      if (!step.text.empty() && !accepted(active, checkedPath, step.text)) {
        rejected = true;  // an invalid step ends the rollout: the path before it is a dead end
        if (options_.keepInvalidSteps && options_.keepRolloutNodes) {
          end = deadEndChild(active, end, step);  // ... or the step itself, kept as one
        }
        break;
      }
      if (!step.text.empty()) {
        checkedPath.push_back(step.text);
        if (options_.keepRolloutNodes) {
          // A step the tree already holds below `end` is that node, not a duplicate sibling.
          const int existing = childWithText(active.tree, end, step.text);
          if (existing >= 0) {
            end = existing;
            if (active.tree.node(end).terminal) break;
          } else {
            end = addNode(active, end, step);
            assignChildPriors(active.tree, active.tree.node(end).parent.value(), active.likelihood);
          }
        }
        extra.push_back(step.text);
      }
      if (step.final) break;
    }
    if (extra.empty() || rejected) {
      // The rollout produced nothing, or went wrong after `end`: no answer, reward -1, and `end`
      // stays open for later expansions (unless it is the kept invalid step, a dead end).
      backup(active.tree, options_.keepRolloutNodes ? end : start, options_.incorrectReward);
      return;
    }
    if (options_.keepRolloutNodes && active.tree.node(end).terminal) {
      backup(active.tree, end, rewardOf(active.tree.node(end)));
      return;
    }
    if (options_.keepRolloutNodes) {
      // The last step is final, or the rollout stopped at the maximum depth (a dead end): either
      // way the path ends there and the verifier grades it.
      gradeAndBackup(active, end);
      return;
    }
    std::vector<std::string_view> path = stepsTo(active, start);
    path.insert(path.end(), extra.begin(), extra.end());
    const math::Verdict verdict =
        verifier_.grade(*active.problem, joinSteps(path, options_.stepDelimiter));
    backup(active.tree, start, verdict.correct ? options_.correctReward : options_.incorrectReward);
  }

  // A step the validator refused (MctsOptions::keepInvalidSteps): terminal, no answer, wrong.
  void markDeadEnd(ActiveTree& active, int node) {
    TreeNode& deadEnd = active.tree.node(node);
    deadEnd.terminal = true;
    deadEnd.answer.reset();
    deadEnd.correct = false;
    ++result_.stats.deadEndsKept;
  }

  // The refused rollout step as a dead-end child of `parent`: the one already there when an
  // earlier rollout or expansion refused the same text (the validator is deterministic).
  int deadEndChild(ActiveTree& active, int parent, const ProposedStep& step) {
    if (const int existing = childWithText(active.tree, parent, step.text); existing >= 0) {
      return existing;
    }
    const int id = addNode(active, parent, step);
    markDeadEnd(active, id);
    assignChildPriors(active.tree, parent, active.likelihood);
    return id;
  }

  static int childWithText(const SearchTree& tree, int parent, std::string_view text) {
    for (int id : tree.node(parent).children) {
      if (tree.node(id).text == text) return id;
    }
    return -1;
  }

  // Makes `node` terminal with the verifier's verdict on the path that ends in it.
  void grade(ActiveTree& active, int node) {
    const std::vector<std::string_view> path = stepsTo(active, node);
    const math::Verdict verdict =
        verifier_.grade(*active.problem, joinSteps(path, options_.stepDelimiter));
    TreeNode& graded = active.tree.node(node);
    graded.terminal = true;
    graded.answer =
        verdict.answerFound ? std::optional<std::string>(verdict.extracted) : std::nullopt;
    graded.correct = verdict.correct;
  }

  void gradeAndBackup(ActiveTree& active, int node) {
    grade(active, node);
    backup(active.tree, node, rewardOf(active.tree.node(node)));
  }

  double rewardOf(const TreeNode& terminal) const {
    return terminal.correct.value_or(false) ? options_.correctReward : options_.incorrectReward;
  }

  void finishCompletedTrees() {
    for (auto it = active_.begin(); it != active_.end();) {
      ActiveTree& active = **it;
      if (active.iterationsDone < options_.iterations) {
        ++it;
        continue;
      }
      const SelfEvaluationCounts judged = filterBySelfEvaluation(
          active.tree, *active.problem, policy_, options_.selfEvaluation, active.seedBase);
      result_.stats.solutionsJudged += judged.judged;
      result_.stats.solutionsRejected += judged.rejected;
      ++result_.stats.treesFinished;
      if (callbacks_.onTreeFinished) callbacks_.onTreeFinished(active.problemIndex, active.tree);
      result_.trees[active.problemIndex] = std::move(active.tree);
      it = active_.erase(it);
    }
  }

  std::span<const math::Problem> problems_;
  StepPolicy& policy_;
  const math::Verifier& verifier_;
  const MctsOptions& options_;
  const MctsCallbacks& callbacks_;
  std::deque<std::unique_ptr<ActiveTree>> active_;
  std::size_t nextProblem_ = 0;
  MctsResult result_;
};

}  // namespace

void MctsOptions::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw UsageError("MctsOptions: " + what);
  };
  require(iterations >= 1, "iterations must be >= 1, got " + std::to_string(iterations));
  require(maxDepth >= 1, "maxDepth must be >= 1, got " + std::to_string(maxDepth));
  require(exploration >= 0, "exploration must be >= 0, got " + std::to_string(exploration));
  require(childrenPerExpansion >= 1,
          "childrenPerExpansion must be >= 1, got " + std::to_string(childrenPerExpansion));
  require(temperature >= 0, "temperature must be >= 0, got " + std::to_string(temperature));
  require(rolloutTemperature >= 0,
          "rolloutTemperature must be >= 0, got " + std::to_string(rolloutTemperature));
  require(maxStepTokens >= 1, "maxStepTokens must be >= 1, got " + std::to_string(maxStepTokens));
  require(treesPerBatch >= 1, "treesPerBatch must be >= 1, got " + std::to_string(treesPerBatch));
  require(!stepDelimiter.empty(), "stepDelimiter must not be empty");
  require(validateSteps || !keepInvalidSteps,
          "keepInvalidSteps needs validateSteps (without a validator no step is invalid)");
  require(selfEvaluation.votes >= 0,
          "selfEvaluation.votes must be >= 0, got " + std::to_string(selfEvaluation.votes));
  require(selfEvaluation.temperature >= 0, "selfEvaluation.temperature must be >= 0, got " +
                                               std::to_string(selfEvaluation.temperature));
  require(selfEvaluation.maxTokens >= 1,
          "selfEvaluation.maxTokens must be >= 1, got " + std::to_string(selfEvaluation.maxTokens));
}

MctsResult searchBatch(std::span<const math::Problem> problems, StepPolicy& policy,
                       const math::Verifier& verifier, const MctsOptions& options,
                       const MctsCallbacks& callbacks) {
  options.validate();
  return BatchedSearch(problems, policy, verifier, options, callbacks).run();
}

SearchTree searchOne(const math::Problem& problem, StepPolicy& policy,
                     const math::Verifier& verifier, const MctsOptions& options) {
  MctsOptions alone = options;
  alone.treesPerBatch = 1;
  MctsResult result = searchBatch(std::span(&problem, 1), policy, verifier, alone);
  return std::move(*result.trees.front());
}

}  // namespace astro::search
