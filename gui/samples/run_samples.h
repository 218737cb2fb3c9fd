// The samples and GRPO rollouts of a run read from the workspace database on a worker thread, as
// values: one keyset page of a filtered table, the filter's row count, the run's sample sets and
// rollout steps (for the filter boxes), and one step's rollouts (for the group view). Each read
// opens the workspace read-only and closes it; errors come back as text, never as exceptions.
#pragma once

#include <QString>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/analysis/generation_import.h"
#include "core/store/sample_repository.h"

namespace astro::gui {

struct RunSamplePage {
  std::int64_t runId = 0;
  std::int64_t afterId = 0;
  std::vector<store::StoredSample> samples;
  bool complete = false;  // fewer rows than asked for: nothing after this page
  QString error;
};

struct RunSampleCount {
  std::int64_t runId = 0;
  std::int64_t total = 0;
  QString error;
};

struct RunSampleSets {
  std::int64_t runId = 0;
  std::vector<store::SampleSetInfo> sets;
  std::vector<std::int64_t> rolloutSteps;
  QString error;
};

struct RolloutStep {
  std::int64_t runId = 0;
  std::int64_t step = 0;
  std::vector<store::StoredSample> rollouts;  // by group, then index in group
  QString error;
};

// A folder without a database reads as a run without samples.
// One page of run `runId`'s samples under `filter`, in `page`'s order after its keyset.
RunSamplePage readRunSamplePage(const std::filesystem::path& folder, std::int64_t runId,
                                const store::SampleFilter& filter, const store::SamplePage& page);
RunSampleCount readRunSampleCount(const std::filesystem::path& folder, std::int64_t runId,
                                  const store::SampleFilter& filter);
RunSampleSets readRunSampleSets(const std::filesystem::path& folder, std::int64_t runId);
RolloutStep readRolloutStep(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t step);

// A stored sample in the imported-sample shape the trace view and the group table read (line:
// the row id).
analysis::ImportedSample toImportedSample(const store::StoredSample& sample);

}  // namespace astro::gui
