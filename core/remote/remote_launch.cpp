// Launch, cancel, resume and fetch for runs on other hosts (remote_launch.h).
#include "core/remote/remote_launch.h"

#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/base/workspace_paths.h"
#include "core/base/atomic_file.h"
#include "core/pipeline/content_hash.h"
#include "core/pipeline/pipeline_config.h"
#include "core/remote/input_upload.h"
#include "core/remote/mirror_apply.h"
#include "core/remote/remote_info.h"
#include "core/remote/slurm_script.h"
#include "core/remote/slurm_state.h"
#include "core/remote/ssh_errors.h"

namespace astro::remote {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> astroArgv(const HostProfile& profile, std::vector<std::string> args) {
  std::vector<std::string> argv = {profile.astro, "--workspace", profile.workspace};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

ProcessResult runAstro(RemoteShell& shell, const HostProfile& profile,
                       std::vector<std::string> args, const std::string& what) {
  ProcessResult result = shell.run(astroArgv(profile, std::move(args)));
  if (result.exitCode == 126 || result.exitCode == 127) {
    throw missingProgram(shell.where(), profile.astro, result);
  }
  if (!result.ok()) {
    std::string err = result.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    throw Error(shell.where() + ": " + what + " failed: " + err.substr(0, 600));
  }
  return result;
}

std::int64_t parseRunLine(const std::string& out, const std::string& where) {
  std::smatch match;
  static const std::regex kRunLine(R"(^run (\d{1,18})$)");
  std::istringstream lines(out);
  std::string first;
  std::getline(lines, first);
  if (!std::regex_match(first, match, kRunLine)) {
    throw Error(where + ": expected \"run <ID>\" from astro, got \"" + first.substr(0, 120) + "\"");
  }
  return std::stoll(match[1]);
}

std::string remoteRunFolder(const HostProfile& profile, std::int64_t runId) {
  return profile.workspace + "/runs/" + std::to_string(runId);
}

// A worker that outlives the connection: its own session (setsid), stdin from /dev/null and its
// output in the run's folder, so ssh has nothing left to wait for.
void startDetachedWorker(RemoteShell& shell, const HostProfile& profile, std::int64_t runId) {
  static constexpr const char* kScript =
      "set -e; mkdir -p \"$2\"; "
      "setsid nohup \"$3\" --workspace \"$1\" resume \"$4\" --format json --no-progress "
      "> \"$2/remote-worker.log\" 2>&1 < /dev/null & echo started";
  ProcessResult result =
      shell.run({"sh", "-c", kScript, "sh", profile.workspace, remoteRunFolder(profile, runId),
                 profile.astro, std::to_string(runId)});
  if (!result.ok() || result.out.find("started") == std::string::npos) {
    throw Error(shell.where() + ": could not start the worker: " + result.err.substr(0, 400));
  }
}

// The run's row on the host as `astro runs show --json` prints it there: its status, when it was
// last updated and by which worker. Any worker that takes the run changes it.
std::string remoteRunState(RemoteShell& shell, const HostProfile& profile, std::int64_t runId) {
  ProcessResult shown =
      runAstro(shell, profile, {"runs", "show", std::to_string(runId), "--json"}, "runs show");
  auto json = nlohmann::json::parse(shown.out, nullptr, false);
  if (json.is_discarded() || !json.contains("run") || !json["run"].is_object() ||
      !json["run"].contains("status")) {
    throw Error(shell.where() + ": runs show " + std::to_string(runId) +
                " printed no run status: " + shown.out.substr(0, 200));
  }
  const nlohmann::json& run = json["run"];
  return run["status"].dump() + " " + run.value("updated", nlohmann::json()).dump() + " " +
         run.value("worker_pid", nlohmann::json()).dump();
}

// Waits until the detached worker has taken the run, i.e. its row on the host has changed from
// `before`: following any sooner reads the status the run stopped in and ends at once (seen on a
// loaded 2-core host, where the worker took longer to start than the first read).
void waitForWorkerToTakeRun(RemoteShell& shell, const HostProfile& profile, std::int64_t runId,
                            const std::string& before) {
  constexpr auto kPatience = std::chrono::seconds(120);
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (remoteRunState(shell, profile, runId) == before) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error(shell.where() + ": the worker did not take run " + std::to_string(runId) +
                  " within " + std::to_string(kPatience.count()) + " s; see " +
                  remoteRunFolder(profile, runId) + "/remote-worker.log there");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

std::string submitSlurmJob(RemoteShell& shell, const HostProfile& profile, std::int64_t runId,
                           const std::string& runName) {
  std::string folder = remoteRunFolder(profile, runId);
  SlurmJobRequest job{.jobName = "astro-" + runName,
                      .astro = profile.astro,
                      .workspace = profile.workspace,
                      .runId = runId,
                      .outputFile = folder + "/slurm-%j.out"};
  std::string scriptPath = folder + "/job.sbatch";
  uploadText(shell, scriptPath, slurmBatchScript(profile.slurm, job));
  ProcessResult result = shell.run(sbatchArgv(scriptPath));
  if (result.exitCode == 127) throw missingProgram(shell.where(), "sbatch", result);
  if (!result.ok()) {
    throw Error(shell.where() + ": sbatch refused the job: " + result.err.substr(0, 600));
  }
  return parseSbatchJobId(result.out);
}

// One export round from the host, applied to `localRunId` (created from its run record when 0).
std::int64_t mirrorFirstBatch(store::Workspace& local, RemoteShell& shell,
                              const HostProfile& profile, std::int64_t remoteRunId,
                              store::RemoteRun remote) {
  ProcessResult exported =
      runAstro(shell, profile, {"remote", "export", std::to_string(remoteRunId)}, "remote export");
  std::istringstream lines(exported.out);
  std::vector<std::string> all;
  std::optional<nlohmann::json> runRecord;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"type\":\"run\"") != std::string::npos) runRecord = nlohmann::json::parse(line);
    all.push_back(std::move(line));
  }
  if (!runRecord) throw Error(shell.where() + ": remote export sent no run record");
  std::int64_t localRunId = createMirrorRun(local, *runRecord, remote);
  MirrorApplier applier(local, localRunId);
  for (const std::string& line : all) applier.apply(line);
  return localRunId;
}

}  // namespace

LaunchedRun launchRemoteRun(store::Workspace& local, const HostProfile& profile,
                            const HostRegistry& registry, const RemoteLaunchOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  validateProfile(profile);
  pipeline::PipelineConfig config =
      options.baseDir.empty()
          ? pipeline::loadPipelineConfig(options.config)
          : pipeline::parsePipelineConfig(readFile(options.config), options.config.string(),
                                          fs::absolute(options.baseDir));
  if (!options.name.empty()) {
    pipeline::validateRunName(options.name);
    config.name = options.name;
  }
  std::vector<fs::path> inputs = externalInputs(config);

  std::unique_ptr<RemoteShell> shell = shellFor(profile, registry);
  say("checking " + shell->where());
  requireCompatibleHost(*shell, profile);
  auto uploaded = uploadInputs(*shell, profile.workspace, inputs, say);
  std::string text = rewriteConfigPaths(config, uploaded);
  std::string remoteConfig = profile.workspace + "/configs/" + sha256Hex(text) + ".toml";
  uploadText(*shell, remoteConfig, text);

  ProcessResult created = runAstro(
      *shell, profile, {"run", remoteConfig, "--create-only", "--name", config.name}, "creating the run");
  LaunchedRun launched;
  launched.remoteRunId = parseRunLine(created.out, shell->where());
  say("created run " + std::to_string(launched.remoteRunId) + " on " + shell->where());

  store::RemoteRun remote{.profile = profile.name,
                          .kind = profile.kind == HostKind::kSsh ? "ssh" : "slurm",
                          .destination = profile.kind == HostKind::kSsh ? profile.ssh.text()
                                                                        : profile.slurm.login,
                          .remoteWorkspace = profile.workspace,
                          .remoteRunId = launched.remoteRunId};
  if (profile.kind == HostKind::kSsh) {
    startDetachedWorker(*shell, profile, launched.remoteRunId);
    say("worker started on " + shell->where());
  } else {
    launched.slurmJobId = submitSlurmJob(*shell, profile, launched.remoteRunId, config.name);
    remote.slurmJobId = launched.slurmJobId;
    remote.slurmState = "PENDING";
    say("submitted Slurm job " + launched.slurmJobId);
  }
  launched.localRunId = mirrorFirstBatch(local, *shell, profile, launched.remoteRunId, remote);
  return launched;
}

RemoteRunHandle openRemoteRun(store::Workspace& local, std::int64_t localRunId,
                              const HostRegistry& registry) {
  auto remote = local.remoteRuns().find(localRunId);
  if (!remote) {
    throw Error("run " + std::to_string(localRunId) + " runs on this machine, not on a host");
  }
  RemoteRunHandle handle{.run = *remote, .profile = registry.get(remote->profile)};
  // The run keeps the workspace it was started in, even if the profile moved on since.
  handle.profile.workspace = remote->remoteWorkspace;
  handle.shell = shellFor(handle.profile, registry);
  return handle;
}

std::string cancelRemoteRun(store::Workspace& local, std::int64_t localRunId,
                            const HostRegistry& registry) {
  RemoteRunHandle handle = openRemoteRun(local, localRunId, registry);
  std::string id = std::to_string(handle.run.remoteRunId);
  if (handle.run.kind == "ssh") {
    ProcessResult result = runAstro(*handle.shell, handle.profile, {"cancel", id}, "astro cancel");
    return result.out;
  }
  // Slurm: the worker runs on a compute node, so it is reached through the job: mark the run
  // cancelled (the job script then does not requeue), SIGTERM the batch shell (which forwards it
  // to the worker: it checkpoints), wait for the job to end, then scancel what is left.
  static constexpr const char* kMark =
      "set -e; mkdir -p \"$1\"; echo cancel > \"$1/cancel-requested\"";
  handle.shell->run({"sh", "-c", kMark, "sh", remoteRunFolder(handle.profile, handle.run.remoteRunId)});
  const std::string& job = handle.run.slurmJobId;
  std::string report;
  if (!job.empty()) {
    // A job still waiting has no worker to checkpoint: plain scancel (scancel --batch on a
    // pending job retries until the job starts).
    SlurmJobStatus before = querySlurmJob(*handle.shell, job);
    if (before.state == SlurmJobState::kPending || before.state == SlurmJobState::kRequeued) {
      handle.shell->run({"scancel", job});
    } else if (!before.finished()) {
      handle.shell->run({"scancel", "--batch", "--signal=TERM", job});
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    SlurmJobStatus status = querySlurmJob(*handle.shell, job);
    while (!status.finished() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      status = querySlurmJob(*handle.shell, job);
    }
    handle.shell->run({"scancel", job});
    status = querySlurmJob(*handle.shell, job);
    local.remoteRuns().setSlurmJob(localRunId, job, slurmJobStateName(status.state),
                                   status.reason);
    report = "Slurm job " + job + " " + slurmJobStateName(status.state) + "\n";
  }
  // A worker that never started (job still pending) leaves the run to be marked here.
  ProcessResult marked =
      runAstro(*handle.shell, handle.profile, {"cancel", id, "--no-wait"}, "astro cancel");
  return report + marked.out;
}

std::string resumeRemoteRun(store::Workspace& local, std::int64_t localRunId,
                            const HostRegistry& registry) {
  RemoteRunHandle handle = openRemoteRun(local, localRunId, registry);
  requireCompatibleHost(*handle.shell, handle.profile);
  if (handle.run.kind == "ssh") {
    const std::string before =
        remoteRunState(*handle.shell, handle.profile, handle.run.remoteRunId);
    startDetachedWorker(*handle.shell, handle.profile, handle.run.remoteRunId);
    waitForWorkerToTakeRun(*handle.shell, handle.profile, handle.run.remoteRunId, before);
    return "worker started on " + handle.shell->where() + "\n";
  }
  static constexpr const char* kUnmark = "rm -f \"$1/cancel-requested\"";
  handle.shell->run({"sh", "-c", kUnmark, "sh",
                     remoteRunFolder(handle.profile, handle.run.remoteRunId)});
  store::Run run = local.runs().get(localRunId);
  std::string job = submitSlurmJob(*handle.shell, handle.profile, handle.run.remoteRunId, run.name);
  local.remoteRuns().setSlurmJob(localRunId, job, "PENDING", "");
  return "submitted Slurm job " + job + "\n";
}

fs::path fetchArtifact(store::Workspace& local, std::int64_t localRunId,
                       const std::string& artifact, const HostRegistry& registry,
                       const std::function<void(const std::string&)>& progress) {
  RemoteRunHandle handle = openRemoteRun(local, localRunId, registry);
  std::vector<store::Artifact> artifacts = local.artifacts().list(localRunId);
  std::vector<store::Artifact> matches;
  for (const store::Artifact& candidate : artifacts) {
    if (std::to_string(candidate.id) == artifact || candidate.path == artifact ||
        candidate.kind == artifact) {
      matches.push_back(candidate);
    }
  }
  if (matches.empty()) {
    std::string known;
    for (const auto& a : artifacts) known += "\n  " + std::to_string(a.id) + " " + a.kind + " " + a.path;
    throw UsageError("run " + std::to_string(localRunId) + " has no artifact '" + artifact +
                     "'; it has:" + (known.empty() ? " none yet" : known));
  }
  if (matches.size() > 1) {
    throw UsageError("'" + artifact + "' names " + std::to_string(matches.size()) +
                     " artifacts of run " + std::to_string(localRunId) +
                     "; give its id or path (astro fetch --list)");
  }
  const store::Artifact& chosen = matches.front();
  std::string prefix = mirroredArtifactPath(handle.run.profile, "");
  if (chosen.path.rfind(prefix, 0) != 0) {
    throw Error("artifact " + chosen.path + " is not a mirrored one");
  }
  std::string remotePath = chosen.path.substr(prefix.size());
  fs::path target = confinedPath(local.folder(), chosen.path);
  if (fs::exists(target) && pipeline::hashPath(target).sha256 == chosen.sha256) {
    if (progress) progress(target.string() + " is already here");
    return target;
  }
  if (progress) {
    progress("fetching " + remotePath + " (" + std::to_string(chosen.sizeBytes) + " bytes) from " +
             handle.shell->where());
  }
  TemporaryFile temp("astro-fetch");
  ProcessResult packed = handle.shell->run(
      {"tar", "-cf", "-", "-C", handle.profile.workspace, "--", remotePath},
      {.outputFile = temp.path()});
  if (!packed.ok()) {
    throw Error(handle.shell->where() + ": cannot read " + remotePath + ": " +
                packed.err.substr(0, 400));
  }
  fs::path partial = target.parent_path() / (".fetch.partial-" + std::to_string(::getpid()));
  fs::remove_all(partial);
  fs::create_directories(partial);
  ProcessResult unpacked =
      runProcess({"tar", "-xf", temp.path().string(), "-C", partial.string()});
  if (!unpacked.ok()) {
    fs::remove_all(partial);
    throw Error("unpacking " + remotePath + " failed: " + unpacked.err.substr(0, 400));
  }
  fs::path fetched = partial / fs::path(remotePath).relative_path();
  std::string sha = pipeline::hashPath(fetched).sha256;
  if (!chosen.sha256.empty() && sha != chosen.sha256) {
    fs::remove_all(partial);
    throw Error("fetched " + remotePath + " has SHA-256 " + sha + ", the run recorded " +
                chosen.sha256 + ": the host's copy changed since; nothing was kept");
  }
  fs::create_directories(target.parent_path());
  fs::remove_all(target);
  fs::rename(fetched, target);
  fs::remove_all(partial);
  return target;
}

}  // namespace astro::remote
