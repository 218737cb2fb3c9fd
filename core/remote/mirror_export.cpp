// One round of the mirror's host side (mirror_export.h).
#include "core/remote/mirror_export.h"

#include "core/pipeline/run_layout.h"
#include "core/pipeline/run_state.h"
#include "core/pipeline/worker_lock.h"
#include "core/remote/mirror_records.h"

namespace astro::remote {

using nlohmann::json;

namespace {

void writeCommit(const LineWriter& write, const store::MirrorCursor& cursor) {
  write(json{{"type", "commit"}, {"cursor", cursorJson(cursor)}}.dump());
}

}  // namespace

MirrorExportResult exportRunChanges(store::Workspace& workspace, std::int64_t runId,
                                    store::MirrorCursor cursor, const LineWriter& write,
                                    const MirrorExportOptions& options) {
  MirrorExportResult result{.cursor = cursor};
  // Whether the run is over is decided before anything is read: what a worker wrote before it let
  // go is then inside the snapshot below, so "over" always comes with the final state.
  pipeline::RunLayout layout(workspace.folder(), runId);
  bool workerAlive = pipeline::lockHolder(layout.lockFile()).has_value();
  workspace.snapshot([&] {
    store::Run run = workspace.runs().get(runId);
    // A worker that took the lock after the look above (it had just started) holds it now.
    if (!workerAlive) workerAlive = pipeline::lockHolder(layout.lockFile()).has_value();
    result.runOver = !workerAlive && run.status != store::RunStatus::kPending;
    // A worker killed without a chance to say so leaves "running" behind: the mirror shows the
    // status `astro runs show` shows there.
    run.status = pipeline::describeRun(workspace, run).status;
    std::vector<store::Stage> stages = workspace.stages().list(runId);
    nlohmann::json stageIds = nlohmann::json::array();
    for (const store::Stage& stage : stages) stageIds.push_back({stage.id, stage.position});
    write(nlohmann::json{{"type", "stages"}, {"ids", stageIds}}.dump());

    std::int64_t pending = 0;
    auto commitIfDue = [&](std::int64_t limit) {
      if (pending >= limit) {
        writeCommit(write, result.cursor);
        pending = 0;
      }
    };
    // Events first: a tree or sample set never arrives before the events that announce it.
    while (true) {
      auto events = workspace.events().replay(runId, result.cursor.seq, options.eventBatch);
      for (const store::Event& event : events) {
        write(eventRecord(event).dump());
        result.cursor.seq = event.seq;
        ++result.records;
        ++pending;
      }
      commitIfDue(options.eventBatch);
      if (static_cast<std::int64_t>(events.size()) < options.eventBatch) break;
    }
    while (true) {
      auto trees = workspace.trees().listMatching(runId, {}, result.cursor.tree, options.treeBatch);
      for (const store::TreeSummary& summary : trees) {
        write(treeRecord(workspace.trees().get(summary.id)).dump());
        result.cursor.tree = summary.id;
        ++result.records;
        pending += 25;  // a tree weighs about as much as 25 events
      }
      commitIfDue(options.eventBatch);
      if (static_cast<std::int64_t>(trees.size()) < options.treeBatch) break;
    }
    // Samples in id order, grouped into their sets: a set's rows are one insert (replace() writes
    // a set in one transaction), so the rows after the cursor form whole sets.
    std::vector<store::StoredSample> group;
    auto flushGroup = [&] {
      if (group.empty()) return;
      write(samplesRecord(group.front().set, group.back().id, group).dump());
      result.cursor.sample = group.back().id;
      pending += static_cast<std::int64_t>(group.size());
      ++result.records;
      group.clear();
      commitIfDue(options.sampleBatch);
    };
    std::int64_t after = result.cursor.sample;
    while (true) {
      store::SamplePage page{.afterId = after, .limit = options.sampleBatch};
      auto rows = workspace.samples().list(runId, {}, page);
      for (store::StoredSample& row : rows) {
        if (!group.empty() && !(row.set == group.front().set)) flushGroup();
        after = row.id;
        group.push_back(std::move(row));
      }
      if (static_cast<std::int64_t>(rows.size()) < options.sampleBatch) break;
    }
    flushGroup();
    // The run's row and stages last, with the final commit: the mirror shows a stage finished or
    // the run over only once everything that came before it is there too.
    write(runRecord(run, stages, workerAlive).dump());
    writeCommit(write, result.cursor);
  });
  return result;
}

}  // namespace astro::remote
