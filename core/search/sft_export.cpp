// SFT export: ASTRO and Direct chat-form examples per tree and the per-source dataset table.
#include "core/search/sft_export.h"

#include <algorithm>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::search {

namespace {

nlohmann::ordered_json statisticsJson(const SourceStatistics& row) {
  return {{"source", row.source},
          {"problems", row.problems},
          {"trajectories", row.trajectories},
          {"backtracks", row.backtracks},
          {"restarts", row.restarts},
          {"skipped_trees", row.skippedTrees}};
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

}  // namespace

SourceStatistics DatasetTable::total() const {
  SourceStatistics sum{.source = "total"};
  for (const SourceStatistics& row : rows) {
    sum.problems += row.problems;
    sum.trajectories += row.trajectories;
    sum.backtracks += row.backtracks;
    sum.restarts += row.restarts;
    sum.skippedTrees += row.skippedTrees;
  }
  return sum;
}

SourceStatistics& DatasetTable::row(std::string_view source) {
  for (SourceStatistics& row : rows) {
    if (row.source == source) return row;
  }
  rows.push_back({.source = std::string(source)});
  return rows.back();
}

nlohmann::ordered_json DatasetTable::toJson() const {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const SourceStatistics& row : rows) items.push_back(statisticsJson(row));
  return {{"rows", std::move(items)}, {"total", statisticsJson(total())}};
}

std::string DatasetTable::toMarkdown() const {
  std::ostringstream out;
  out << "| Source | Problems | Trajectories | Backtracks | Restarts | Skipped trees |\n"
      << "|---|---:|---:|---:|---:|---:|\n";
  auto line = [&](const SourceStatistics& row) {
    out << "| " << row.source << " | " << row.problems << " | " << row.trajectories << " | "
        << row.backtracks << " | " << row.restarts << " | " << row.skippedTrees << " |\n";
  };
  for (const SourceStatistics& row : rows) line(row);
  line(total());
  return out.str();
}

nlohmann::ordered_json chatRecord(std::string_view problem, std::string_view trace) {
  return {
      {"messages",
       {{{"role", "user"}, {"content", problem}}, {{"role", "assistant"}, {"content", trace}}}}};
}

nlohmann::ordered_json chatRecord(std::string_view problem, std::string_view trace,
                                  const std::vector<ByteRange>& lossMask) {
  nlohmann::ordered_json record = chatRecord(problem, trace);
  record["messages"][1][kLossMaskKey] = lossMaskToJson(lossMask);
  return record;
}

std::vector<ByteRange> wrongBranchRanges(const SearchTree& tree, const NodeSequence& sequence,
                                         const RenderedTrace& trace) {
  const std::vector<int> correctPath = tree.pathFromRoot(sequence.finalNode());
  std::vector<ByteRange> ranges;
  for (const StepSpan& step : trace.steps) {
    if (std::find(correctPath.begin(), correctPath.end(), step.node) != correctPath.end()) continue;
    ranges.push_back({.begin = step.begin, .end = step.end});
  }
  return ranges;
}

SftExporter::SftExporter(PhraseSet phrases, SftExportOptions options)
    : phrases_(std::move(phrases)), options_(std::move(options)) {
  validateOptions(options_.linearize);
  validatePhraseSet(phrases_, "phrase set '" + phrases_.id + "'");
}

void SftExporter::add(const SearchTree& tree, std::string_view source) {
  const std::uint64_t treeIndex = treesSeen_++;
  SourceStatistics& astroRow = astroTable_.row(source);
  SourceStatistics& directRow = directTable_.row(source);
  if (rankCorrectTerminals(tree).empty()) {
    ++astroRow.skippedTrees;
    ++directRow.skippedTrees;
    return;
  }
  // Each tree gets its own seeds, derived from the run's seeds and its position.
  SeededRandom treeSeeds(options_.linearize.seed ^ options_.render.seed, treeIndex);
  LinearizeOptions linearizeOptions = options_.linearize;
  linearizeOptions.seed = treeSeeds.next();
  RenderOptions renderOptions = options_.render;

  const std::vector<NodeSequence> sequences = linearize(tree, linearizeOptions);
  for (const NodeSequence& sequence : sequences) {
    renderOptions.seed = treeSeeds.next();
    const RenderedTrace trace = renderTrace(tree, sequence, phrases_, renderOptions);
    astroLines_.push_back(
        (options_.maskWrongBranches
             ? chatRecord(tree.problem(), trace.text, wrongBranchRanges(tree, sequence, trace))
             : chatRecord(tree.problem(), trace.text))
            .dump());
    ++astroRow.trajectories;
    astroRow.backtracks += sequence.backtracks();
    astroRow.restarts += sequence.restarts();
  }
  ++astroRow.problems;

  // The Direct baseline holds no reflection at all, not even an answer check.
  renderOptions.seed = treeSeeds.next();
  renderOptions.answerCheck = false;
  renderOptions.affirmStepsWithQAtLeast.reset();
  renderOptions.groundedCheck = nullptr;
  const RenderedTrace direct = renderTrace(tree, directSequence(tree), phrases_, renderOptions);
  directLines_.push_back(chatRecord(tree.problem(), direct.text).dump());
  ++directRow.trajectories;
  ++directRow.problems;
}

void SftExporter::write(const std::filesystem::path& astroJsonl,
                        const std::filesystem::path& directJsonl) const {
  writeFileAtomically(astroJsonl, joinLines(astroLines_));
  writeFileAtomically(directJsonl, joinLines(directLines_));
}

nlohmann::ordered_json SftExporter::report() const {
  nlohmann::ordered_json report = {{"phrase_set", phrases_.toJson()},
                                   {"step_delimiter", options_.render.stepDelimiter}};
  // Only when on, so that the paper's default report stays as it was.
  if (options_.render.groundedCheck) report["grounded_checks"] = true;
  if (options_.render.affirmStepsWithQAtLeast) {
    report["affirm_steps_min_q"] = *options_.render.affirmStepsWithQAtLeast;
  }
  report["astro"] = astroTable_.toJson();
  report["direct"] = directTable_.toJson();
  return report;
}

void SftExporter::writeDataset(const std::filesystem::path& folder) const {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw IoError(folder.string(), "create folder", error.value());
  write(folder / "astro_sft.jsonl", folder / "direct_sft.jsonl");
  writeFileAtomically(folder / "dataset_table.json", report().dump(2) + "\n");
  writeFileAtomically(
      folder / "dataset_table.md",
      "## ASTRO\n\n" + astroTable_.toMarkdown() + "\n## Direct\n\n" + directTable_.toMarkdown());
}

}  // namespace astro::search
