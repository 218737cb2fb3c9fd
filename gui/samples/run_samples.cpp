#include "gui/samples/run_samples.h"

#include <optional>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"

namespace astro::gui {
namespace {

std::optional<store::Workspace> openForReading(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return std::nullopt;
  // quick_check reads every page: far too slow for a workspace of a million samples.
  return store::Workspace::open(folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
}

}  // namespace

RunSamplePage readRunSamplePage(const std::filesystem::path& folder, std::int64_t runId,
                                const store::SampleFilter& filter,
                                const store::SamplePage& keyset) {
  RunSamplePage page{.runId = runId, .afterId = keyset.afterId};
  try {
    auto workspace = openForReading(folder);
    if (workspace) page.samples = workspace->samples().list(runId, filter, keyset);
    page.complete = static_cast<std::int64_t>(page.samples.size()) < keyset.limit;
  } catch (const std::exception& error) {
    page.error = QString::fromStdString(error.what());
  }
  return page;
}

RunSampleCount readRunSampleCount(const std::filesystem::path& folder, std::int64_t runId,
                                  const store::SampleFilter& filter) {
  RunSampleCount count{.runId = runId};
  try {
    auto workspace = openForReading(folder);
    if (workspace) count.total = workspace->samples().count(runId, filter);
  } catch (const std::exception& error) {
    count.error = QString::fromStdString(error.what());
  }
  return count;
}

RunSampleSets readRunSampleSets(const std::filesystem::path& folder, std::int64_t runId) {
  RunSampleSets sets{.runId = runId};
  try {
    auto workspace = openForReading(folder);
    if (workspace) {
      sets.sets = workspace->samples().sets(runId);
      sets.rolloutSteps = workspace->samples().rolloutSteps(runId);
    }
  } catch (const std::exception& error) {
    sets.error = QString::fromStdString(error.what());
  }
  return sets;
}

RolloutStep readRolloutStep(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t step) {
  RolloutStep loaded{.runId = runId, .step = step};
  try {
    auto workspace = openForReading(folder);
    if (workspace) loaded.rollouts = workspace->samples().rollouts(runId, step);
  } catch (const std::exception& error) {
    loaded.error = QString::fromStdString(error.what());
  }
  return loaded;
}

analysis::ImportedSample toImportedSample(const store::StoredSample& sample) {
  analysis::ImportedSample imported;
  imported.line = sample.id;
  imported.problemId = sample.row.problemId;
  imported.prompt = sample.row.prompt;
  imported.completion = sample.row.completion;
  imported.checkpoint = sample.set.kind == store::SampleKind::kRollout && sample.set.step
                            ? "step " + std::to_string(*sample.set.step)
                            : sample.set.checkpoint;
  imported.benchmark = sample.set.benchmark;
  imported.gradedBy = sample.row.correct ? "store" : "";
  imported.stats.steps = sample.row.steps;
  imported.stats.backtracks = sample.row.backtracks;
  imported.stats.restarts = sample.row.restarts;
  imported.stats.reflections = sample.row.reflections;
  imported.stats.tokens = sample.row.tokens;
  imported.stats.answer = sample.row.answer;
  imported.stats.correct = sample.row.correct;
  return imported;
}

}  // namespace astro::gui
