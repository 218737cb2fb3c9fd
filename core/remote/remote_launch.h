// Starting, cancelling and resuming a run on a host profile. Launch: check the host (versions),
// send the config's inputs (content-addressed) and the rewritten config, create the run there,
// start its worker detached (ssh: setsid nohup, so it outlives the connection; Slurm: sbatch of
// slurm_script.h), and create the local mirror run with its first batch. docs/remote.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/remote/host_profile.h"
#include "core/remote/remote_shell.h"
#include "core/store/workspace.h"

namespace astro::remote {

struct RemoteLaunchOptions {
  std::filesystem::path config;   // the pipeline config file
  std::filesystem::path baseDir;  // empty: the config's folder
  std::string name;               // empty: the config's
  std::function<void(const std::string&)> progress;  // one line per step
};

struct LaunchedRun {
  std::int64_t localRunId = 0;
  std::int64_t remoteRunId = 0;
  std::string slurmJobId;
};

LaunchedRun launchRemoteRun(store::Workspace& local, const HostProfile& profile,
                            const HostRegistry& registry, const RemoteLaunchOptions& options);

// The host side of a mirrored run (its profile, as the run recorded it).
struct RemoteRunHandle {
  store::RemoteRun run;
  HostProfile profile;
  std::unique_ptr<RemoteShell> shell;
};
RemoteRunHandle openRemoteRun(store::Workspace& local, std::int64_t localRunId,
                              const HostRegistry& registry);

// Asks the worker to checkpoint and stop (ssh: `astro cancel` there; Slurm: the cancel mark, then
// SIGTERM to the batch shell, which the job script forwards, then scancel).
std::string cancelRemoteRun(store::Workspace& local, std::int64_t localRunId,
                            const HostRegistry& registry);
// Starts a new worker for the run there (ssh: detached `astro resume`; Slurm: a new job).
std::string resumeRemoteRun(store::Workspace& local, std::int64_t localRunId,
                            const HostRegistry& registry);

// Copies a mirrored run's artifact (a checkpoint folder, a file) from the host into the local
// workspace at the artifact's mirrored path, checks its SHA-256, and returns that local path.
std::filesystem::path fetchArtifact(store::Workspace& local, std::int64_t localRunId,
                                    const std::string& artifact, const HostRegistry& registry,
                                    const std::function<void(const std::string&)>& progress = {});

}  // namespace astro::remote
