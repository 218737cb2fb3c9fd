// The batch script of a Slurm run (slurm_script.h). Two quoting rules meet here: sbatch reads the
// #SBATCH lines itself (words split at blanks, "..." groups, backslash escapes, an unquoted '#'
// starts a comment), bash reads the body (shellQuote). Values that neither can carry (newlines,
// control characters) are refused.
#include "core/remote/slurm_script.h"

#include <algorithm>
#include <cstdio>
#include <regex>

#include "core/base/error.h"
#include "core/pipeline/run_layout.h"
#include "core/remote/shell_quote.h"

namespace astro::remote {

namespace {

// Slurm's largest --signal time (a 16-bit field).
constexpr int kMaxSignalSeconds = 65535;

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The value as a message can show it: control characters as \n, \t or \xNN.
std::string printable(const std::string& value) {
  std::string shown;
  for (unsigned char c : value) {
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\t') {
      shown += "\\t";
    } else if (isControl(c)) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      shown += escaped;
    } else {
      shown += static_cast<char>(c);
    }
  }
  return shown;
}

void requireCarryable(const std::string& field, const std::string& value) {
  if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return isControl(c); })) {
    throw UsageError("slurm job: " + field + " '" + printable(value) +
                     "' holds a newline or another control character, which a batch script "
                     "cannot carry");
  }
}

void requireMatch(const std::string& field, const std::string& value, const std::regex& pattern,
                  const std::string& expected) {
  requireCarryable(field, value);
  if (!std::regex_match(value, pattern)) {
    throw UsageError("slurm job: " + field + " '" + value + "' is not " + expected);
  }
}

// One #SBATCH option value for sbatch's own parser: plain words as they are, anything else in
// double quotes with '\' and '"' escaped, so blanks, quotes and '#' stay inside the value.
std::string sbatchValue(const std::string& value) {
  bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("_.,:/%=@+-").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (plain) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<std::string> sbatchLines(const SlurmSettings& settings, const SlurmJobRequest& job) {
  std::vector<std::string> lines;
  auto option = [&](const std::string& name, const std::string& value) {
    lines.push_back("#SBATCH --" + name + "=" + sbatchValue(value));
  };
  if (!job.jobName.empty()) option("job-name", job.jobName);
  if (!settings.partition.empty()) option("partition", settings.partition);
  option("nodes", std::to_string(settings.nodes));
  if (settings.gpusPerNode > 0) option("gres", "gpu:" + std::to_string(settings.gpusPerNode));
  if (settings.cpusPerTask > 0) option("cpus-per-task", std::to_string(settings.cpusPerTask));
  if (!settings.memory.empty()) option("mem", settings.memory);
  if (!settings.timeLimit.empty()) option("time", settings.timeLimit);
  if (!settings.account.empty()) option("account", settings.account);
  if (!settings.qos.empty()) option("qos", settings.qos);
  if (!job.outputFile.empty()) {
    option("output", job.outputFile);
    // A requeued job writes to the same file: keep what the earlier attempts wrote.
    option("open-mode", "append");
  }
  lines.push_back("#SBATCH --requeue");
  if (job.signalSeconds > 0) option("signal", "B:USR1@" + std::to_string(job.signalSeconds));
  for (const std::string& line : settings.extraSbatch) lines.push_back(line);
  return lines;
}

void validate(const SlurmSettings& settings, const SlurmJobRequest& job) {
  requireCarryable("job name", job.jobName);
  requireCarryable("astro program", job.astro);
  if (job.astro.empty() || job.astro.front() == '-') {
    throw UsageError("slurm job: astro program '" + job.astro +
                     "' must name a program (a path, or a name on the cluster's PATH)");
  }
  requireCarryable("workspace", job.workspace);
  if (job.workspace.empty() || job.workspace.front() != '/') {
    throw UsageError("slurm job: workspace '" + job.workspace +
                     "' must be an absolute path on the cluster");
  }
  if (job.runId <= 0) throw UsageError("slurm job: run id must be positive");
  requireCarryable("output file", job.outputFile);
  if (job.signalSeconds < 0 || job.signalSeconds > kMaxSignalSeconds) {
    throw UsageError("slurm job: signal time " + std::to_string(job.signalSeconds) +
                     " s is outside 0-" + std::to_string(kMaxSignalSeconds));
  }

  requireCarryable("partition", settings.partition);
  requireCarryable("account", settings.account);
  requireCarryable("qos", settings.qos);
  // Slurm's own forms: "64G", "500M", "0"; "MINUTES", "H:M:S", "D-H", "D-H:M", "D-H:M:S".
  static const std::regex kMemory("[0-9]+[KMGTkmgt]?");
  static const std::regex kTime("[0-9]+(-[0-9]+)?(:[0-9]+){0,2}|UNLIMITED|INFINITE");
  if (!settings.memory.empty()) {
    requireMatch("memory", settings.memory, kMemory, "a size such as 64G, 500M or 0");
  }
  if (!settings.timeLimit.empty()) {
    requireMatch("time limit", settings.timeLimit, kTime,
                 "a Slurm time such as 90, 24:00:00 or 2-12:00:00");
  }
  if (settings.nodes < 1) throw UsageError("slurm job: nodes must be at least 1");
  if (settings.gpusPerNode < 0 || settings.cpusPerTask < 0) {
    throw UsageError("slurm job: GPUs per node and CPUs per task must not be negative");
  }
  for (const std::string& line : settings.extraSbatch) {
    requireCarryable("#SBATCH line", line);
    if (line.rfind("#SBATCH ", 0) != 0) {
      throw UsageError("slurm job: extra line '" + line + "' must start with \"#SBATCH \"");
    }
  }
}

// The body: the worker in the background, stop signals passed on, a requeue when the time limit
// is near (or a scancel of itself when the run was cancelled), and the worker's exit status.
std::string scriptBody(const SlurmJobRequest& job) {
  std::string run = std::to_string(job.runId);
  std::vector<std::string> argv{job.astro, "resume", run, "--workspace", job.workspace,
                                "--format", "json", "--no-progress"};
  if (job.ranks > 1) {
    // One rank per GPU of the node (docs/distributed.md); the launcher passes SIGHUP on.
    argv.push_back("--nproc");
    argv.push_back(std::to_string(job.ranks));
  }
  std::string worker = shellCommandLine(argv);
  std::string cancelFile =
      shellQuote(pipeline::RunLayout(job.workspace, job.runId).cancelFile().string());
  return R"(
# Astro Studio: pipeline run )" +
         run + R"( as a Slurm job. `astro resume` starts the run, or, when
# Slurm runs this script again after a requeue, continues it from its last checkpoint; finished
# stages are never redone.
echo "astro: job ${SLURM_JOB_ID:-?}, restart ${SLURM_RESTART_COUNT:-0}" >&2

# scancel, scontrol requeue and the time limit send SIGTERM to every process of the job, the worker
# included; scancel --batch and the USR1 of --signal=B: reach this shell only. The worker stops
# with a checkpoint on its first SIGTERM, SIGINT or SIGHUP, and a second signal of the same kind
# kills it at once (core/pipeline/stop_signals.h): so the shell passes the request on once, as
# SIGHUP, which never doubles a SIGTERM that Slurm sent the worker itself.
worker=
signals=0
forwarded=0
requeue=0
stop_worker() {
  signals=$((signals + 1))
  if [ -n "$worker" ] && [ "$forwarded" -eq 0 ]; then
    forwarded=1
    kill -HUP "$worker" 2>/dev/null
  fi
}
trap 'stop_worker' TERM
trap 'requeue=1; stop_worker' USR1

)" + worker +
         R"( &
worker=$!
# A trapped signal ends `wait` early; wait again until it returns because the worker ended.
while :; do
  before=$signals
  wait "$worker"
  status=$?
  [ "$signals" -ne "$before" ] || break
done

# The worker stopped because `astro cancel` asked (its mark is there): end the job as CANCELLED
# rather than FAILED. Else, when the time limit is near, the worker saved a checkpoint: the job
# runs again (this script, from the top) and the run continues.
if [ "$status" -ne 0 ] && [ -e )" +
         cancelFile + R"( ]; then
  scancel "$SLURM_JOB_ID"
elif [ "$status" -ne 0 ] && [ "$requeue" -eq 1 ]; then
  scontrol requeue "$SLURM_JOB_ID"
fi
exit "$status"
)";
}

}  // namespace

std::string slurmBatchScript(const SlurmSettings& settings, const SlurmJobRequest& job) {
  validate(settings, job);
  std::string script = "#!/bin/bash\n";
  for (const std::string& line : sbatchLines(settings, job)) script += line + "\n";
  SlurmJobRequest withRanks = job;
  if (settings.nodes == 1 && settings.gpusPerNode > 1) withRanks.ranks = settings.gpusPerNode;
  return script + scriptBody(withRanks);
}

}  // namespace astro::remote
