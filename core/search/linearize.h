// Procedure cloning (ASTRO, arXiv 2507.00417, Sec. 2.3 and its Algorithm 1): turn a search tree
// into node sequences that visit some incorrect terminal nodes with unique answers, return to an
// earlier step (backtrack) or to the problem (restart), and end at a high-quality correct
// terminal node; and the Direct baseline from the same tree (the correct path alone, Sec. 3.1).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/search/tree.h"

namespace astro::search {

enum class Move { kStart, kForward, kBacktrack, kRestart };
// "start", "forward", "backtrack", "restart" (the CLI's and the docs' names).
std::string_view moveName(Move move);

struct SequenceStep {
  int node = 0;
  Move move = Move::kStart;
  bool operator==(const SequenceStep&) const = default;
};

// A walk over the tree: kStart at the root, then kForward to a child of the previous node,
// kBacktrack to a proper ancestor (not the root) of the previous node, or kRestart to the root.
struct NodeSequence {
  std::vector<SequenceStep> steps;
  int finalNode() const { return steps.empty() ? 0 : steps.back().node; }
  int backtracks() const;
  int restarts() const;
  // Detours = incorrect terminal nodes visited = backtracks + restarts.
  int detours() const { return backtracks() + restarts(); }
  bool operator==(const NodeSequence&) const = default;
};

// [{"node": id, "move": "start|forward|backtrack|restart"}, ...], as `astro linearize` prints it.
nlohmann::ordered_json sequenceToJson(const NodeSequence& sequence);
// The inverse; throws astro::Error "<source>: sequence[i].<field>: ..." on malformed input. It
// checks the form only; findSequenceViolation checks the walk against a tree.
NodeSequence sequenceFromJson(const nlohmann::json& document, std::string_view source);

// Where the walk returns after an incorrect terminal node.
enum class ReturnTarget {
  // The deepest node shared by the failed path and the next path (where they branch): the walk
  // redoes no step that is still valid.
  kBranchPoint,
  // Any node shared by both paths, uniformly (root..branch point): longer re-derivations.
  kRandomSharedAncestor,
};

// In which order the drawn incorrect terminals are visited.
enum class DetourOrder {
  // Depth-first preorder of the tree. Then each return between detours lands on the deepest node
  // of the next path that the sequence already holds, so the detours write no step twice, as
  // Algorithm 1's merge_sequences(L, l - L) does, while every return still goes to an ancestor.
  // (The final path comes last whatever its place in the tree, so it may re-walk a step.)
  kTreeOrder,
  // The order they were drawn in (Algorithm 1 iterates its sample); returns may then re-walk steps
  // already written on another branch.
  kSampled,
};

// Which incorrect terminals a sequence visits.
enum class DetourChoice {
  // Uniformly among the candidates, as Algorithm 1's sample_with_unique_answers draws them.
  kUniform,
  // Those whose path shares the most steps with the final node's path first (ties drawn
  // uniformly), so each return goes back one step rather than to the problem, as a depth-first
  // search backs up. Our choice for small policies (issue #21): a return to the problem makes
  // the policy write a whole second solution far from the question, which a model pretrained on
  // short solutions does poorly; a backtrack quotes the step it returns to, remaining numbers
  // included, right before the next step.
  kNearFinalPath,
};
// "uniform", "near-final-path" (the CLI's, TOML's and report's names); nullopt for other text.
std::string_view detourChoiceName(DetourChoice choice);
std::optional<DetourChoice> parseDetourChoice(std::string_view name);

struct LinearizeOptions {
  // Incorrect terminal nodes (detours, Algorithm 1's k) per sequence, drawn uniformly from
  // [min, max] and capped by the distinct wrong answers the tree offers. ASTRO Sec. 3.1: every
  // search solution has at least one self-reflection and backtrack (k >= 1), and k ranges up to 2.
  int minIncorrectTerminals = 1;
  int maxIncorrectTerminals = 2;
  // Chance that a return goes to the root (a restart) instead of the chosen ancestor. ASTRO
  // restarts exactly when the return target is the root (Sec. 2.4), which happens with any
  // setting here; 0 adds no extra restarts.
  double restartProbability = 0.0;
  ReturnTarget returnTarget = ReturnTarget::kBranchPoint;
  DetourOrder detourOrder = DetourOrder::kTreeOrder;
  DetourChoice detourChoice = DetourChoice::kUniform;
  // Distinct search sequences drawn per tree (duplicates dropped). ASTRO Sec. 3.1 curates three
  // search solutions and one direct solution per problem.
  int sequencesPerTree = 3;
  // The final node is drawn uniformly among the best `topCorrectTerminals` correct terminals by
  // rankCorrectTerminals. ASTRO (Algorithm 1) samples n* from the high-quality correct terminals,
  // those its policy self-evaluates as correct (Appendix A.1); without a self-evaluator we rank by
  // Q and visits and keep the best one by default.
  int topCorrectTerminals = 1;
  std::uint64_t seed = 0;
};

// Checks option ranges; throws astro::UsageError naming the field.
void validateOptions(const LinearizeOptions& options);

// Correct terminal nodes usable as the end of a sequence (no terminal node above them), best
// first: higher q(), then more visits, then shallower, then lower id.
std::vector<int> rankCorrectTerminals(const SearchTree& tree);
// Incorrect terminal nodes usable as detours (no terminal node above them), ascending id.
std::vector<int> detourCandidates(const SearchTree& tree);
// rankCorrectTerminals(tree).front(); throws astro::Error when the tree has no correct terminal.
int bestCorrectTerminal(const SearchTree& tree);

// The Direct baseline: start, then forward along the path to bestCorrectTerminal(tree).
NodeSequence directSequence(const SearchTree& tree);

// One sequence drawn with the random stream `stream` (deterministic for the same tree, options
// and stream). Throws astro::Error when the tree has no correct terminal node.
NodeSequence linearizeOnce(const SearchTree& tree, const LinearizeOptions& options,
                           std::uint64_t stream);
// Up to options.sequencesPerTree distinct sequences (streams 0, 1, ...), in draw order.
std::vector<NodeSequence> linearize(const SearchTree& tree, const LinearizeOptions& options);

// The invariants every produced sequence satisfies; returns a description of the first violation
// or nullopt. With `options`, also checks that the detour count lies in [0, max].
std::optional<std::string> findSequenceViolation(const SearchTree& tree,
                                                 const NodeSequence& sequence,
                                                 const LinearizeOptions* options = nullptr);

// A small seeded generator whose output is the same on every platform (SplitMix64), so traces
// and tests are reproducible; std distributions are implementation-defined.
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed, std::uint64_t stream = 0);
  std::uint64_t next();
  // Uniform in [0, bound); bound > 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [0, 1).
  double unit();

 private:
  std::uint64_t state_;
};

}  // namespace astro::search
