// Launching and following the ranks of a pipeline run (run_ranks.h).
#include "app/astro/run_ranks.h"

#include <csignal>
#include <filesystem>

#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/dist/local_launcher.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/worker.h"

namespace astro::cli {

void launchRunRanks(store::Workspace& workspace, std::int64_t runId, int nproc,
                    const std::string& format) {
  if (dist::distEnvironmentFromProcess().distributed()) {
    throw UsageError("--nproc inside a job that already has ranks (RANK/WORLD_SIZE or "
                     "SLURM_NTASKS set): launch `astro resume " + std::to_string(runId) +
                     "` on every rank instead");
  }
  pipeline::RunLayout layout(workspace.folder(), runId);
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  dist::LaunchOptions launch{
      .argv = {self, "--workspace", workspace.folder().string(), "resume", std::to_string(runId),
               "--format", format, "--no-progress"},
      .processes = nproc,
      .logFolder = layout.runFolder() / "rank-logs",
      .splitThreads = std::getenv("ASTRO_THREADS") == nullptr};
  auto result = dist::launchLocal(launch);
  if (!result.ok()) throw Error("run " + std::to_string(runId) + ": " + result.failure);
}

bool followRankZero(store::Workspace& workspace, std::int64_t runId) {
  auto environment = dist::distEnvironmentFromProcess();
  if (!environment.distributed() || environment.isRankZero()) return false;
  // Rank 0 decides when to stop (a launcher or Slurm signals every rank); this rank ends when rank
  // 0 says the run is over or goes away.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  pipeline::runFollower(workspace, runId);
  return true;
}

}  // namespace astro::cli
