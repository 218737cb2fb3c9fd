// The host side of the mirror: what changed in one run of a workspace after a cursor, written as
// mirror records (mirror_records.h) in batches that each end with a "commit". Read in one
// snapshot, so a sample set replaced meanwhile is sent whole, old or new, never half of each.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/store/workspace.h"

namespace astro::remote {

using LineWriter = std::function<void(const std::string& line)>;

struct MirrorExportOptions {
  std::int64_t eventBatch = 5000;   // events per commit
  std::int64_t sampleBatch = 2000;  // samples per commit (whole sets; a larger set goes alone)
  std::int64_t treeBatch = 200;     // trees per commit
};

struct MirrorExportResult {
  store::MirrorCursor cursor{};
  bool runOver = false;  // no worker holds the run and it is not waiting to start
  std::int64_t records = 0;  // events + trees + sample sets written
};

MirrorExportResult exportRunChanges(store::Workspace& workspace, std::int64_t runId,
                                    store::MirrorCursor cursor, const LineWriter& write,
                                    const MirrorExportOptions& options = {});

}  // namespace astro::remote
