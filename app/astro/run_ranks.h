// The ranks of a data-parallel pipeline run, for `astro run --nproc N` and `astro resume --nproc N`
// (and srun/torchrun launching `astro resume ID` on every task): the launching process starts N
// copies of `astro resume ID`; rank 0 of them is the worker (events on our stdout), the others
// follow it (pipeline::runFollower) and write to runs/<id>/rank-logs/rank-<r>.log.
#pragma once

#include <cstdint>
#include <string>

#include "core/store/workspace.h"

namespace astro::cli {

// In a process that is no rank yet: runs the `nproc` ranks of `astro resume runId` and returns
// once they all ended well; throws astro::Error naming the rank that failed.
void launchRunRanks(store::Workspace& workspace, std::int64_t runId, int nproc,
                    const std::string& format);

// In a process started as rank > 0 of a job: follows rank 0's worker and returns true. false
// when this process is rank 0 (or no rank at all) and should run the worker itself.
bool followRankZero(store::Workspace& workspace, std::int64_t runId);

}  // namespace astro::cli
