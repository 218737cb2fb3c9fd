// Procedure cloning: drawing node sequences with detours through incorrect terminal nodes, the
// Direct baseline, and the invariant checker the tests and importers share.
#include "core/search/linearize.h"

#include <algorithm>
#include <set>

#include "core/base/error.h"

namespace astro::search {

namespace {

// True when no proper ancestor of `id` is a terminal node, so the forward path to `id` passes
// through no other terminal (MCTS never expands terminals; imported trees might).
bool reachableWithoutTerminals(const SearchTree& tree, int id) {
  for (int ancestor : tree.ancestors(id)) {
    if (tree.node(ancestor).terminal) return false;
  }
  return true;
}

// The key under which incorrect answers must not repeat; "no answer" is a value of its own.
std::string answerKey(const TreeNode& node) {
  return node.answer ? "=" + *node.answer : std::string("(none)");
}

// Position of every node in a depth-first preorder over children in id order.
std::vector<int> preorderPositions(const SearchTree& tree) {
  std::vector<int> position(tree.size(), 0);
  std::vector<int> stack{0};
  int next = 0;
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    position[id] = next++;
    const auto& children = tree.node(id).children;
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
  return position;
}

}  // namespace

std::string_view detourChoiceName(DetourChoice choice) {
  return choice == DetourChoice::kNearFinalPath ? "near-final-path" : "uniform";
}

std::optional<DetourChoice> parseDetourChoice(std::string_view name) {
  for (DetourChoice choice : {DetourChoice::kUniform, DetourChoice::kNearFinalPath}) {
    if (detourChoiceName(choice) == name) return choice;
  }
  return std::nullopt;
}

std::string_view moveName(Move move) {
  switch (move) {
    case Move::kStart:
      return "start";
    case Move::kForward:
      return "forward";
    case Move::kBacktrack:
      return "backtrack";
    case Move::kRestart:
      return "restart";
  }
  return "unknown";
}

nlohmann::ordered_json sequenceToJson(const NodeSequence& sequence) {
  nlohmann::ordered_json moves = nlohmann::ordered_json::array();
  for (const SequenceStep& step : sequence.steps) {
    moves.push_back({{"node", step.node}, {"move", moveName(step.move)}});
  }
  return moves;
}

NodeSequence sequenceFromJson(const nlohmann::json& document, std::string_view source) {
  auto fail = [&](const std::string& where, const std::string& what) {
    throw Error(std::string(source) + ": " + where + ": " + what);
  };
  if (!document.is_array()) fail("sequence", "expected an array");
  NodeSequence sequence;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const std::string where = "sequence[" + std::to_string(i) + "]";
    const nlohmann::json& item = document[i];
    if (!item.is_object()) fail(where, "expected an object");
    auto node = item.find("node");
    if (node == item.end() || !node->is_number_integer())
      fail(where + ".node", "expected an integer");
    const auto id = node->get<std::int64_t>();
    if (id < 0 || id > INT32_MAX) fail(where + ".node", std::to_string(id) + " is out of range");
    auto move = item.find("move");
    if (move == item.end() || !move->is_string()) fail(where + ".move", "expected a string");
    std::optional<Move> parsed;
    for (Move candidate : {Move::kStart, Move::kForward, Move::kBacktrack, Move::kRestart}) {
      if (moveName(candidate) == move->get<std::string>()) parsed = candidate;
    }
    if (!parsed) fail(where + ".move", "'" + move->get<std::string>() + "' is not a move");
    sequence.steps.push_back({static_cast<int>(id), *parsed});
  }
  return sequence;
}

int NodeSequence::backtracks() const {
  return static_cast<int>(std::count_if(steps.begin(), steps.end(),
                                        [](const auto& s) { return s.move == Move::kBacktrack; }));
}

int NodeSequence::restarts() const {
  return static_cast<int>(std::count_if(steps.begin(), steps.end(),
                                        [](const auto& s) { return s.move == Move::kRestart; }));
}

SeededRandom::SeededRandom(std::uint64_t seed, std::uint64_t stream)
    : state_(seed ^ (stream * 0xD1B54A32D192ED03ULL)) {}  // stream 0: plain SplitMix64(seed)

std::uint64_t SeededRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t SeededRandom::below(std::uint64_t bound) {
  // Rejection keeps the draw exactly uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t value;
  do value = next();
  while (value >= limit);
  return value % bound;
}

double SeededRandom::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

void validateOptions(const LinearizeOptions& options) {
  if (options.minIncorrectTerminals < 0) {
    throw UsageError("linearize: minIncorrectTerminals must be >= 0");
  }
  if (options.maxIncorrectTerminals < options.minIncorrectTerminals) {
    throw UsageError("linearize: maxIncorrectTerminals must be >= minIncorrectTerminals");
  }
  if (!(options.restartProbability >= 0.0 && options.restartProbability <= 1.0)) {
    throw UsageError("linearize: restartProbability must lie in [0, 1]");
  }
  if (options.sequencesPerTree < 1) throw UsageError("linearize: sequencesPerTree must be >= 1");
  if (options.topCorrectTerminals < 1) {
    throw UsageError("linearize: topCorrectTerminals must be >= 1");
  }
}

std::vector<int> rankCorrectTerminals(const SearchTree& tree) {
  std::vector<int> ranked;
  for (int id : tree.correctTerminals()) {
    if (reachableWithoutTerminals(tree, id)) ranked.push_back(id);
  }
  std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
    const TreeNode& x = tree.node(a);
    const TreeNode& y = tree.node(b);
    if (x.q() != y.q()) return x.q() > y.q();
    if (x.visits != y.visits) return x.visits > y.visits;
    if (x.depth != y.depth) return x.depth < y.depth;
    return a < b;
  });
  return ranked;
}

std::vector<int> detourCandidates(const SearchTree& tree) {
  std::vector<int> candidates;
  for (const TreeNode& node : tree.nodes()) {
    if (node.isIncorrectTerminal() && reachableWithoutTerminals(tree, node.id)) {
      candidates.push_back(node.id);
    }
  }
  return candidates;
}

namespace {

[[noreturn]] void throwNoCorrectTerminal(const SearchTree& tree) {
  const std::size_t correct = tree.correctTerminals().size();
  if (correct > 0) {
    throw Error("search tree: no usable correct terminal node (" + std::to_string(correct) +
                " correct, all below another terminal node)");
  }
  throw Error("search tree: no correct terminal node to end a trace at (" +
              std::to_string(tree.terminals().size()) + " terminal nodes, none correct)");
}

// How many nodes two root paths share from the root on.
std::size_t sharedPrefix(const std::vector<int>& a, const std::vector<int>& b) {
  std::size_t shared = 0;
  while (shared < a.size() && shared < b.size() && a[shared] == b[shared]) ++shared;
  return shared;
}

// Algorithm 1's sample_with_unique_answers: k incorrect terminals, no two with the same answer
// and none with the final node's answer, in the order `options.detourOrder` asks for.
std::vector<int> drawDetours(const SearchTree& tree, const LinearizeOptions& options, int finalNode,
                             SeededRandom& random) {
  std::vector<int> candidates = detourCandidates(tree);
  for (std::size_t i = candidates.size(); i > 1; --i) {
    std::swap(candidates[i - 1], candidates[random.below(i)]);
  }
  if (options.detourChoice == DetourChoice::kNearFinalPath) {
    // Deepest branch point with the final path first; the shuffle above orders the ties.
    const std::vector<int> finalPath = tree.pathFromRoot(finalNode);
    std::vector<std::size_t> depth(static_cast<std::size_t>(tree.size()), 0);
    for (int id : candidates) {
      depth[static_cast<std::size_t>(id)] = sharedPrefix(tree.pathFromRoot(id), finalPath);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
      return depth[static_cast<std::size_t>(a)] > depth[static_cast<std::size_t>(b)];
    });
  }
  const int span = options.maxIncorrectTerminals - options.minIncorrectTerminals + 1;
  const int wanted = options.minIncorrectTerminals + static_cast<int>(random.below(span));
  std::set<std::string> seenAnswers;
  if (tree.node(finalNode).answer) seenAnswers.insert(answerKey(tree.node(finalNode)));
  std::vector<int> detours;
  for (int id : candidates) {
    if (static_cast<int>(detours.size()) >= wanted) break;
    if (seenAnswers.insert(answerKey(tree.node(id))).second) detours.push_back(id);
  }
  if (options.detourOrder == DetourOrder::kTreeOrder) {
    const std::vector<int> preorder = preorderPositions(tree);
    std::sort(detours.begin(), detours.end(),
              [&](int a, int b) { return preorder[a] < preorder[b]; });
  }
  return detours;
}

}  // namespace

int bestCorrectTerminal(const SearchTree& tree) {
  auto ranked = rankCorrectTerminals(tree);
  if (ranked.empty()) throwNoCorrectTerminal(tree);
  return ranked.front();
}

NodeSequence directSequence(const SearchTree& tree) {
  NodeSequence sequence;
  for (int id : tree.pathFromRoot(bestCorrectTerminal(tree))) {
    sequence.steps.push_back({id, id == 0 ? Move::kStart : Move::kForward});
  }
  return sequence;
}

NodeSequence linearizeOnce(const SearchTree& tree, const LinearizeOptions& options,
                           std::uint64_t stream) {
  validateOptions(options);
  const std::vector<int> ranked = rankCorrectTerminals(tree);
  if (ranked.empty()) throwNoCorrectTerminal(tree);
  SeededRandom random(options.seed, stream);
  const auto top = std::min<std::size_t>(ranked.size(), options.topCorrectTerminals);
  const int finalNode = ranked[random.below(top)];
  std::vector<int> targets = drawDetours(tree, options, finalNode, random);
  targets.push_back(finalNode);

  NodeSequence sequence;
  sequence.steps.push_back({0, Move::kStart});
  int current = 0;
  for (int target : targets) {
    const std::vector<int> path = tree.pathFromRoot(target);
    if (current != 0) {
      // `current` is an incorrect terminal: return to a node the failed path and `path` share.
      const std::vector<int> failed = tree.pathFromRoot(current);
      const std::size_t shared = sharedPrefix(failed, path);
      int returnTo = path[shared - 1];
      if (options.returnTarget == ReturnTarget::kRandomSharedAncestor) {
        returnTo = path[random.below(shared)];
      }
      if (random.unit() < options.restartProbability) returnTo = 0;
      sequence.steps.push_back({returnTo, returnTo == 0 ? Move::kRestart : Move::kBacktrack});
      current = returnTo;
    }
    for (std::size_t at = tree.node(current).depth + 1; at < path.size(); ++at) {
      sequence.steps.push_back({path[at], Move::kForward});
    }
    current = target;
  }
  return sequence;
}

std::vector<NodeSequence> linearize(const SearchTree& tree, const LinearizeOptions& options) {
  validateOptions(options);
  std::vector<NodeSequence> sequences;
  // A few extra draws give small trees a chance to fill the quota with distinct sequences.
  const int draws = options.sequencesPerTree * 4;
  for (int stream = 0; stream < draws; ++stream) {
    if (static_cast<int>(sequences.size()) >= options.sequencesPerTree) break;
    NodeSequence sequence = linearizeOnce(tree, options, static_cast<std::uint64_t>(stream));
    if (std::find(sequences.begin(), sequences.end(), sequence) == sequences.end()) {
      sequences.push_back(std::move(sequence));
    }
  }
  return sequences;
}

std::optional<std::string> findSequenceViolation(const SearchTree& tree,
                                                 const NodeSequence& sequence,
                                                 const LinearizeOptions* options) {
  const auto& steps = sequence.steps;
  if (steps.empty()) return "the sequence is empty";
  if (steps[0].node != 0 || steps[0].move != Move::kStart) {
    return "steps[0] must be {node 0, start}";
  }
  std::set<std::string> incorrectAnswers;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto [id, move] = steps[i];
    const std::string at = "steps[" + std::to_string(i) + "]";
    if (!tree.contains(id)) return at + ": node " + std::to_string(id) + " is not in the tree";
    if (i == 0) continue;
    const int previous = steps[i - 1].node;
    const TreeNode& left = tree.node(previous);
    const bool returning = move == Move::kBacktrack || move == Move::kRestart;
    if (left.terminal && !returning) {
      return at + ": the walk goes on past terminal node " + std::to_string(previous);
    }
    switch (move) {
      case Move::kStart:
        return at + ": only the first step may be a start";
      case Move::kForward:
        if (tree.node(id).parent != previous) {
          return at + ": forward to " + std::to_string(id) + ", not a child of " +
                 std::to_string(previous);
        }
        break;
      case Move::kBacktrack:
      case Move::kRestart:
        if (!left.isIncorrectTerminal()) {
          return at + ": returns from node " + std::to_string(previous) +
                 ", which is not an incorrect terminal";
        }
        if (move == Move::kRestart && id != 0) return at + ": a restart must go to the root";
        if (move == Move::kBacktrack && (id == 0 || !tree.isAncestor(id, previous))) {
          return at + ": backtrack target " + std::to_string(id) +
                 " is not a proper non-root ancestor of " + std::to_string(previous);
        }
        if (!incorrectAnswers.insert(answerKey(left)).second) {
          return at + ": incorrect answer of node " + std::to_string(previous) + " repeats";
        }
        break;
    }
  }
  if (!tree.node(steps.back().node).isCorrectTerminal()) {
    return "the last node " + std::to_string(steps.back().node) + " is not a correct terminal";
  }
  if (options && sequence.detours() > options->maxIncorrectTerminals) {
    return std::to_string(sequence.detours()) + " detours exceed maxIncorrectTerminals " +
           std::to_string(options->maxIncorrectTerminals);
  }
  return std::nullopt;
}

}  // namespace astro::search
