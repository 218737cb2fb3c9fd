// A Slurm job's state from squeue, scontrol and sacct (slurm_state.h). The formats are those of
// slurm-wlm 22.05; tests/remote/data/slurm holds the real commands' outputs the parsers are
// tested on.
#include "core/remote/slurm_state.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/base/error.h"
#include "core/remote/remote_shell.h"
#include "core/remote/shell_quote.h"

namespace astro::remote {

namespace {

std::string trim(const std::string& text) {
  auto isSpace = [](unsigned char c) { return std::isspace(c) != 0; };
  auto begin = std::find_if_not(text.begin(), text.end(), isSpace);
  auto end = std::find_if_not(text.rbegin(), text.rend(), isSpace).base();
  return begin < end ? std::string(begin, end) : std::string();
}

std::vector<std::string> nonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> splitFields(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t end = line.find(separator, start);
    fields.push_back(line.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

bool allDigits(const std::string& text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}
bool isJobId(const std::string& text) { return allDigits(text); }

// The states by their long names (squeue %T, scontrol, sacct) and their short codes (squeue %t).
struct StateName {
  const char* name;
  const char* code;
  SlurmJobState state;
};
constexpr std::array kStateNames{
    StateName{"PENDING", "PD", SlurmJobState::kPending},
    StateName{"RUNNING", "R", SlurmJobState::kRunning},
    StateName{"COMPLETING", "CG", SlurmJobState::kCompleting},
    StateName{"COMPLETED", "CD", SlurmJobState::kCompleted},
    StateName{"FAILED", "F", SlurmJobState::kFailed},
    StateName{"TIMEOUT", "TO", SlurmJobState::kTimeout},
    StateName{"PREEMPTED", "PR", SlurmJobState::kPreempted},
    StateName{"CANCELLED", "CA", SlurmJobState::kCancelled},
    StateName{"NODE_FAIL", "NF", SlurmJobState::kNodeFail},
    StateName{"OUT_OF_MEMORY", "OOM", SlurmJobState::kOutOfMemory},
    StateName{"REQUEUED", "RQ", SlurmJobState::kRequeued},
    StateName{"SUSPENDED", "S", SlurmJobState::kSuspended},
    // Rarer states, folded into the nearest one a user acts on the same way.
    StateName{"CONFIGURING", "CF", SlurmJobState::kPending},
    StateName{"REQUEUE_HOLD", "RH", SlurmJobState::kRequeued},
    StateName{"REQUEUE_FED", "RF", SlurmJobState::kRequeued},
    StateName{"RESIZING", "RS", SlurmJobState::kRunning},
    StateName{"SIGNALING", "SI", SlurmJobState::kRunning},
    StateName{"STAGE_OUT", "SO", SlurmJobState::kCompleting},
    StateName{"STOPPED", "ST", SlurmJobState::kSuspended},
    StateName{"BOOT_FAIL", "BF", SlurmJobState::kNodeFail},
    StateName{"DEADLINE", "DL", SlurmJobState::kTimeout},
    StateName{"REVOKED", "RV", SlurmJobState::kCancelled},
    StateName{"SPECIAL_EXIT", "SE", SlurmJobState::kFailed},
};

// `scontrol show job -o` prints "Key=Value" pairs separated by single spaces; a value may itself
// hold spaces (a job name, a path), so a pair ends where the next " Key=" begins.
std::vector<std::pair<std::string, std::string>> scontrolPairs(const std::string& line) {
  auto keyAt = [&](std::size_t position) -> std::size_t {  // length of "Key" at position, or 0
    std::size_t end = position;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) ||
                                 line[end] == '_' || line[end] == ':' || line[end] == '/')) {
      ++end;
    }
    bool startsWithLetter =
        end > position && std::isalpha(static_cast<unsigned char>(line[position]));
    return startsWithLetter && end < line.size() && line[end] == '=' ? end - position : 0;
  };
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t position = 0;
  while (position < line.size()) {
    std::size_t keyLength = keyAt(position);
    if (keyLength == 0) break;
    std::size_t valueStart = position + keyLength + 1;
    std::size_t next = valueStart;
    std::size_t valueEnd = line.size();
    while ((next = line.find(' ', next)) != std::string::npos) {
      if (keyAt(next + 1) > 0) {
        valueEnd = next;
        break;
      }
      ++next;
    }
    pairs.emplace_back(line.substr(position, keyLength),
                       trim(line.substr(valueStart, valueEnd - valueStart)));
    position = valueEnd == line.size() ? valueEnd : valueEnd + 1;
  }
  return pairs;
}

[[noreturn]] void throwCommandFailed(const std::vector<std::string>& argv,
                                     const ProcessResult& result, const std::string& where) {
  std::string status = result.timedOut        ? "timed out"
                       : result.exitCode >= 0 ? "exit status " + std::to_string(result.exitCode)
                                              : "killed by signal " + std::to_string(result.signal);
  std::string err = trim(result.err);
  throw Error("`" + shellCommandLine(argv) + "` on " + where + " failed (" + status + ")" +
              (err.empty() ? std::string() : ": " + err));
}

// squeue and scontrol say this once the controller has forgotten the job (MinJobAge, default
// 300 s after it ended); that is an answer ("ask sacct"), not a failure.
bool isUnknownJob(const ProcessResult& result) {
  return result.exitCode == 1 && result.err.find("Invalid job id specified") != std::string::npos;
}

}  // namespace

std::string slurmJobStateName(SlurmJobState state) {
  if (state == SlurmJobState::kUnknown) return "UNKNOWN";
  for (const StateName& entry : kStateNames) {
    if (entry.state == state) return entry.name;  // the first entry of a state is its own name
  }
  return "UNKNOWN";
}

SlurmJobState parseSlurmJobState(const std::string& text) {
  // sacct writes "CANCELLED by 1000"; without -P it cuts long names to "CANCELLED+".
  std::string word = trim(text);
  word = word.substr(0, word.find(' '));
  if (!word.empty() && word.back() == '+') word.pop_back();
  for (const StateName& entry : kStateNames) {
    if (word == entry.name || word == entry.code) return entry.state;
  }
  return SlurmJobState::kUnknown;
}

bool SlurmJobStatus::finished() const {
  switch (state) {
    case SlurmJobState::kCompleted:
    case SlurmJobState::kFailed:
    case SlurmJobState::kTimeout:
    case SlurmJobState::kCancelled:
    case SlurmJobState::kNodeFail:
    case SlurmJobState::kOutOfMemory:
      return true;
    default:
      return false;
  }
}

std::string parseSbatchJobId(const std::string& output) {
  std::string text = trim(output);
  std::string id = text.substr(0, text.find(';'));
  if (!isJobId(id) || text.find('\n') != std::string::npos) {
    throw Error("sbatch --parsable printed '" + text +
                "' where a job id (\"1234\" or "
                "\"1234;cluster\") was expected");
  }
  return id;
}

std::optional<SlurmJobStatus> parseSqueue(const std::string& output, const std::string& jobId) {
  for (const std::string& line : nonEmptyLines(output)) {
    std::vector<std::string> fields = splitFields(line, '|');
    if (fields.size() != 3) {
      throw Error("squeue printed '" + line + "' where \"ID|STATE|REASON\" was expected");
    }
    if (fields[0] != jobId) continue;
    return SlurmJobStatus{
        .jobId = jobId, .state = parseSlurmJobState(fields[1]), .reason = fields[2]};
  }
  return std::nullopt;
}

std::optional<SlurmJobStatus> parseScontrolShowJob(const std::string& output) {
  std::vector<std::string> lines = nonEmptyLines(output);
  if (lines.empty()) return std::nullopt;
  // Only the job name (user text) comes before UserId: take every later key from after it, so a
  // name such as "x JobState=COMPLETED" cannot pass for the job's state.
  std::vector<std::pair<std::string, std::string>> pairs = scontrolPairs(lines.front());
  if (pairs.empty() || pairs.front().first != "JobId" || !isJobId(pairs.front().second)) {
    throw Error("scontrol show job printed '" + lines.front() +
                "' where \"JobId=ID JobName=... JobState=...\" was expected");
  }
  SlurmJobStatus status{.jobId = pairs.front().second};
  auto userId = std::find_if(pairs.begin(), pairs.end(),
                             [](const auto& pair) { return pair.first == "UserId"; });
  auto find = [&](const std::string& key) -> const std::string* {
    auto from = userId == pairs.end() ? pairs.begin() : userId;
    auto found =
        std::find_if(from, pairs.end(), [&](const auto& pair) { return pair.first == key; });
    return found == pairs.end() ? nullptr : &found->second;
  };
  const std::string* state = find("JobState");
  if (!state) {
    throw Error("scontrol show job " + status.jobId + " printed no JobState: '" + lines.front() +
                "'");
  }
  status.state = parseSlurmJobState(*state);
  if (const std::string* reason = find("Reason")) status.reason = *reason;
  // Slurm's counter is 16 bits; anything longer is not a count (fuzz_remote_readers found
  // "Restarts=4294901754" throwing out of std::stoi).
  if (const std::string* restarts = find("Restarts");
      restarts && allDigits(*restarts) && restarts->size() <= 9) {
    status.restarts = std::stoi(*restarts);
  }
  return status;
}

std::optional<SlurmJobStatus> parseSacct(const std::string& output, const std::string& jobId) {
  // With -c (the job-completion file, no accounting daemon) each requeue leaves a row of its own
  // ("6|PENDING|" then "6|COMPLETED|"): the last row is the job's state, the rows before it count
  // its restarts.
  std::optional<SlurmJobStatus> status;
  int rows = 0;
  for (const std::string& line : nonEmptyLines(output)) {
    std::vector<std::string> fields = splitFields(line, '|');
    if (fields.size() != 3) {
      throw Error("sacct printed '" + line + "' where \"JobID|State|Reason\" was expected");
    }
    if (fields[0] != jobId) continue;
    status = SlurmJobStatus{.jobId = jobId,
                            .state = parseSlurmJobState(fields[1]),
                            .reason = fields[2],
                            .restarts = rows++};
  }
  return status;
}

std::vector<std::string> sbatchArgv(const std::string& scriptPath) {
  if (scriptPath.empty()) throw UsageError("sbatch needs the path of a batch script");
  // A path that starts with '-' would be read as an option.
  return {"sbatch", "--parsable", scriptPath.front() == '-' ? "./" + scriptPath : scriptPath};
}

SlurmJobStatus querySlurmJob(RemoteShell& shell, const std::string& jobId) {
  if (!isJobId(jobId)) throw UsageError("'" + jobId + "' is not a Slurm job id");

  std::vector<std::string> squeue{"squeue", "-h", "-j", jobId, "-o", "%i|%T|%r"};
  ProcessResult queued = shell.run(squeue);
  if (queued.ok()) {
    if (auto status = parseSqueue(queued.out, jobId)) return *status;
  } else if (!isUnknownJob(queued)) {
    throwCommandFailed(squeue, queued, shell.where());
  }

  std::vector<std::string> scontrol{"scontrol", "show", "job", "-o", jobId};
  ProcessResult shown = shell.run(scontrol);
  if (shown.ok()) {
    if (auto status = parseScontrolShowJob(shown.out)) return *status;
  } else if (!isUnknownJob(shown)) {
    throwCommandFailed(scontrol, shown, shell.where());
  }

  // The accounting database where there is one, else the job-completion file (-c); without an
  // accounting daemon plain sacct fails with "Slurm accounting storage is disabled".
  std::vector<std::string> sacct{"sacct", "-n",  "-P", "-X",
                                 "-j",    jobId, "-o", "JobID,State,Reason"};
  ProcessResult accounted = shell.run(sacct);
  if (accounted.ok()) {
    if (auto status = parseSacct(accounted.out, jobId)) return *status;
  }
  std::vector<std::string> completions = sacct;
  completions.insert(completions.begin() + 1, "-c");
  ProcessResult completed = shell.run(completions);
  if (completed.ok()) {
    if (auto status = parseSacct(completed.out, jobId)) return *status;
  } else if (!accounted.ok()) {
    throw Error("no Slurm command knows job " + jobId + " on " + shell.where() +
                ": squeue and scontrol do not, `" + shellCommandLine(sacct) +
                "` failed: " + trim(accounted.err) + "; `" + shellCommandLine(completions) +
                "` failed: " + trim(completed.err));
  }
  return SlurmJobStatus{.jobId = jobId};
}

}  // namespace astro::remote
