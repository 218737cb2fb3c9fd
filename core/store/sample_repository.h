// Evaluation samples and GRPO rollouts of a run (table samples): one row per completion with its
// grade, reward, advantage and trace statistics, written a set at a time (one evaluation unit, or
// one RL step's rollouts) and read page by page with keyset pagination for the studio's table.
// Store-level value structs only: core/pipeline converts from core/train's results.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace astro::store {

namespace detail {
class Connection;
}

enum class SampleKind { kEval, kRollout };
std::string_view sampleKindName(SampleKind kind);      // "eval", "rollout"
SampleKind sampleKindFromName(std::string_view name);  // throws astro::Error

// What a set of samples shares: the rows one evaluation unit (model x dataset) or one GRPO step
// wrote. replace() swaps a whole set, which is what makes a resumed stage idempotent.
struct SampleSet {
  std::int64_t runId = 0;
  std::optional<std::int64_t> stageId{};  // nullopt: samples not made by a stage (imports)
  SampleKind kind = SampleKind::kEval;
  std::string checkpoint{};            // the model's label ("base", "sft", "rl"); "" for rollouts
  std::optional<std::int64_t> step{};  // the GRPO step of a rollout; a checkpoint's step if known
  std::string benchmark{};
  bool operator==(const SampleSet&) const = default;
};

struct SampleRow {
  std::string problemId{};
  int sampleIndex = 0;  // within the problem (evaluation; -1 the greedy answer) or the group
  int group = 0;        // the prompt's index within its GRPO step; 0 for evaluation
  std::string prompt{};
  std::string completion{};
  std::string answer{};           // extracted from the completion
  std::optional<bool> correct{};  // nullopt: ungraded
  std::optional<double> reward{};
  std::optional<double> advantage{};
  int steps = 0;
  int backtracks = 0;
  int restarts = 0;
  int reflections = 0;
  std::int64_t tokens = 0;
  bool operator==(const SampleRow&) const = default;
};

struct StoredSample {
  std::int64_t id = 0;  // insertion order; the key of keyset pagination
  SampleSet set{};
  SampleRow row{};
  bool operator==(const StoredSample&) const = default;
};

// Which samples of a run a page or a count covers; every field narrows, unset ones do not.
struct SampleFilter {
  std::optional<SampleKind> kind{};
  std::optional<std::string> checkpoint{};
  std::optional<std::int64_t> step{};
  std::optional<std::string> benchmark{};
  std::optional<bool> correct{};  // true/false: graded so; ungraded rows match neither
  bool ungradedOnly = false;
  std::string
      text{};  // case-insensitive (ASCII) substring of problem id, prompt, completion, answer
};

// The order of a page: by id (insertion order), or by a numeric column with the id breaking ties.
// Missing rewards and advantages sort as -1e300 (first ascending, last descending).
enum class SampleOrder { kId, kReward, kAdvantage, kSteps, kBacktracks, kReflections, kTokens };

struct SamplePage {
  std::int64_t afterId = 0;  // keyset: rows after this id (in id order: a larger id)
  std::int64_t limit = 256;  // -1: all
  SampleOrder order = SampleOrder::kId;
  bool descending = false;
  // The keyset of an ordered page: the previous page's last row's sampleOrderKey, with afterId
  // its id; nullopt reads the first page. Unused for ascending id order.
  std::optional<double> afterKey{};
};
// The value a page in `order` sorts `sample` by (what afterKey takes from a page's last row).
double sampleOrderKey(const StoredSample& sample, SampleOrder order);

// The distinct (kind, checkpoint, step, benchmark) sets of a run with their row counts, for the
// studio's filter boxes.
struct SampleSetInfo {
  SampleSet set{};
  std::int64_t samples = 0;
  std::int64_t correct = 0;
};

class SampleRepository {
 public:
  explicit SampleRepository(detail::Connection& connection) : connection_(connection) {}

  // Appends rows to `set`, all in one transaction (or inside the caller's).
  void add(const SampleSet& set, std::span<const SampleRow> rows);
  // Deletes the set's rows, then adds `rows`, in one transaction: a stage that writes a unit
  // again after a resume leaves exactly one copy.
  void replace(const SampleSet& set, std::span<const SampleRow> rows);
  // Deletes the set's rows; returns how many went.
  std::int64_t remove(const SampleSet& set);

  std::vector<StoredSample> list(std::int64_t runId, const SampleFilter& filter = {},
                                 const SamplePage& page = {});
  std::int64_t count(std::int64_t runId, const SampleFilter& filter = {});
  std::vector<SampleSetInfo> sets(std::int64_t runId);
  // GRPO steps of a run that hold rollouts, ascending.
  std::vector<std::int64_t> rolloutSteps(std::int64_t runId);
  // One step's rollouts ordered by group, then index in group.
  std::vector<StoredSample> rollouts(std::int64_t runId, std::int64_t step);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
