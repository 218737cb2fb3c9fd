// Supervised fine-tuning data from search trees: ASTRO traces (detours with reflection and
// backtracking) and the Direct baseline (the correct path alone), as chat-form JSONL
// ({"messages":[{"role":"user",...},{"role":"assistant",...}]}) that other trainers read, plus the
// per-source dataset table ASTRO reports (arXiv 2507.00417, Sec. 2 dataset statistics).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/search/linearize.h"
#include "core/search/loss_mask.h"
#include "core/search/phrase_set.h"
#include "core/search/render_trace.h"
#include "core/search/tree.h"

namespace astro::search {

// One row of the dataset table.
struct SourceStatistics {
  std::string source;
  int problems = 0;      // trees that gave at least one trajectory
  int trajectories = 0;  // SFT examples
  int backtracks = 0;    // returns to an earlier step, over all trajectories
  int restarts = 0;      // returns to the problem, over all trajectories
  int skippedTrees = 0;  // trees without a usable correct terminal node
  bool operator==(const SourceStatistics&) const = default;
};

struct DatasetTable {
  std::vector<SourceStatistics> rows;  // in order of first appearance of the source
  SourceStatistics total() const;      // source "total"
  SourceStatistics& row(std::string_view source);
  // {"rows": [{"source", "problems", "trajectories", "backtracks", "restarts", "skipped_trees"}],
  //  "total": {...}}
  nlohmann::ordered_json toJson() const;
  // A GitHub-flavoured markdown table with a total line.
  std::string toMarkdown() const;
};

// {"messages":[{"role":"user","content": problem},{"role":"assistant","content": trace}]}
nlohmann::ordered_json chatRecord(std::string_view problem, std::string_view trace);
// The same with "loss_mask": [[begin, end], ...] on the assistant message (loss_mask.h).
nlohmann::ordered_json chatRecord(std::string_view problem, std::string_view trace,
                                  const std::vector<ByteRange>& lossMask);

// The byte spans of the trace's wrong-branch steps: steps whose node is not on the path from the
// root to the sequence's final node. Reflections (a grounded one's check included: it is how the
// reflection judges the wrong step), backtrack and restart phrases, answer checks and the correct
// path's steps (also where a return re-walks them) are not among them.
std::vector<ByteRange> wrongBranchRanges(const SearchTree& tree, const NodeSequence& sequence,
                                         const RenderedTrace& trace);

struct SftExportOptions {
  LinearizeOptions linearize;
  RenderOptions render;
  // ASTRO records carry "loss_mask" with their wrong-branch steps, so SFT trains the reflection,
  // the return and the correct path but not the steps that went wrong (Self-Backtracking, arXiv
  // 2502.04404). Off by default, as in ASTRO (arXiv 2507.00417) and Physics of LMs 2.2 (arXiv
  // 2408.16293), which train on the whole error-then-backtrack trace.
  bool maskWrongBranches = false;
};

// Accumulates examples tree by tree; every tree draws from its own random streams (seeded from
// the options' seeds and the tree's position), so the output does not depend on batching.
class SftExporter {
 public:
  SftExporter(PhraseSet phrases, SftExportOptions options);

  // Adds the tree's ASTRO trajectories and its Direct trajectory. A tree without a usable
  // correct terminal adds nothing and counts as skipped for `source`.
  void add(const SearchTree& tree, std::string_view source);

  const std::vector<std::string>& astroLines() const { return astroLines_; }    // JSONL lines
  const std::vector<std::string>& directLines() const { return directLines_; }  // JSONL lines
  const DatasetTable& astroTable() const { return astroTable_; }
  const DatasetTable& directTable() const { return directTable_; }
  const PhraseSet& phrases() const { return phrases_; }

  // Writes both JSONL files atomically.
  void write(const std::filesystem::path& astroJsonl,
             const std::filesystem::path& directJsonl) const;

  // {"phrase_set": {id, sha256, lists...}, "step_delimiter", "grounded_checks": true (only when
  // the render options carry a grounded check), "astro": table, "direct": table}:
  // what a run records.
  nlohmann::ordered_json report() const;
  // Writes astro_sft.jsonl, direct_sft.jsonl, dataset_table.json (report()) and
  // dataset_table.md (both tables) into `folder`, creating it.
  void writeDataset(const std::filesystem::path& folder) const;

 private:
  PhraseSet phrases_;
  SftExportOptions options_;
  std::uint64_t treesSeen_ = 0;
  std::vector<std::string> astroLines_;
  std::vector<std::string> directLines_;
  DatasetTable astroTable_;
  DatasetTable directTable_;
};

}  // namespace astro::search
