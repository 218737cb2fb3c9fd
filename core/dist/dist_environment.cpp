// Reading a data-parallel job's place from the launcher's variables (dist_environment.h): torchrun
// style RANK/WORLD_SIZE first, then Slurm's SLURM_PROCID/SLURM_NTASKS, else one process. Every
// malformed value is a UsageError that names the variable and quotes its value.
#include "core/dist/dist_environment.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "core/base/error.h"

namespace astro::dist {

namespace {

// Slurm jobs without MASTER_PORT get 20000 + SLURM_JOB_ID % 20000, so two jobs sharing a node
// rarely pick the same port (the rule PyTorch Lightning's SLURMEnvironment uses, other base).
constexpr int kSlurmPortBase = 20000;
constexpr int kSlurmPortSpan = 20000;

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

long long parseInteger(const char* name, const std::string& value) {
  long long parsed = 0;
  const char* begin = value.data();
  const char* end = begin + value.size();
  auto [rest, error] = std::from_chars(begin, end, parsed);
  if (value.empty() || error != std::errc() || rest != end) {
    throw UsageError(std::string(name) + "=" + quoted(value) + " is not a whole number");
  }
  return parsed;
}

int parseInRange(const char* name, const std::string& value, long long low, long long high,
                 const std::string& rangeText) {
  long long parsed = parseInteger(name, value);
  if (parsed < low || parsed > high) {
    throw UsageError(std::string(name) + "=" + quoted(value) + " is outside " + rangeText);
  }
  return static_cast<int>(parsed);
}

struct Reader {
  const EnvironmentLookup& lookup;

  std::optional<std::string> get(const char* name) const {
    auto value = lookup(name);
    if (value && value->empty()) return std::nullopt;  // `export RANK=` means unset
    return value;
  }
  int worldSize(const char* name) const {
    return parseInRange(name, *get(name), 1, std::numeric_limits<int>::max(), "1 and up");
  }
  int rankBelow(const char* name, int worldSize, const char* worldName) const {
    return parseInRange(name, *get(name), 0, worldSize - 1,
                        "0.." + std::to_string(worldSize - 1) + " (" + worldName + "=" +
                            std::to_string(worldSize) + ")");
  }
  int port(const char* name) const { return parseInRange(name, *get(name), 1, 65535, "1..65535"); }
};

void requireBoth(const Reader& env, const char* first, const char* second) {
  if (env.get(first) && !env.get(second)) {
    throw UsageError(std::string(first) + " is set but " + second +
                     " is not: a data-parallel launcher sets both");
  }
}

DistEnvironment fromTorchrun(const Reader& env) {
  DistEnvironment result;
  result.launcher = "env";
  result.worldSize = env.worldSize("WORLD_SIZE");
  result.rank = env.rankBelow("RANK", result.worldSize, "WORLD_SIZE");
  // Without LOCAL_RANK the job is taken to be on one node, where it equals RANK.
  result.localRank = env.get("LOCAL_RANK")
                         ? env.rankBelow("LOCAL_RANK", result.worldSize, "WORLD_SIZE")
                         : result.rank;
  if (auto address = env.get("MASTER_ADDR")) result.masterAddress = *address;
  if (env.get("MASTER_PORT")) result.masterPort = env.port("MASTER_PORT");
  return result;
}

DistEnvironment fromSlurm(const Reader& env) {
  DistEnvironment result;
  result.launcher = "slurm";
  result.worldSize = env.worldSize("SLURM_NTASKS");
  result.rank = env.rankBelow("SLURM_PROCID", result.worldSize, "SLURM_NTASKS");
  result.localRank = env.get("SLURM_LOCALID")
                         ? env.rankBelow("SLURM_LOCALID", result.worldSize, "SLURM_NTASKS")
                         : 0;
  if (auto address = env.get("MASTER_ADDR")) {
    result.masterAddress = *address;
  } else if (auto nodes = env.get("SLURM_JOB_NODELIST")) {
    try {
      result.masterAddress = firstSlurmHost(*nodes);
    } catch (const UsageError& error) {
      throw UsageError("SLURM_JOB_NODELIST: " + std::string(error.what()));
    }
  } else if (result.worldSize > 1) {
    throw UsageError("SLURM_NTASKS=" + std::to_string(result.worldSize) +
                     " but neither SLURM_JOB_NODELIST nor MASTER_ADDR says where rank 0 runs");
  }
  if (env.get("MASTER_PORT")) {
    result.masterPort = env.port("MASTER_PORT");
  } else if (auto job = env.get("SLURM_JOB_ID")) {
    long long id = parseInteger("SLURM_JOB_ID", *job);
    if (id < 0) throw UsageError("SLURM_JOB_ID=" + quoted(*job) + " is negative");
    result.masterPort = kSlurmPortBase + static_cast<int>(id % kSlurmPortSpan);
  }
  return result;
}

bool isHostCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

// "03-05,09" -> "03"; checks every item of the range list.
std::string firstOfRanges(std::string_view ranges, std::string_view whole) {
  auto fail = [&](const std::string& what) {
    throw UsageError("node list " + quoted(whole) + ": " + what);
  };
  if (ranges.empty()) fail("empty brackets []");
  std::string first;
  std::size_t start = 0;
  while (start <= ranges.size()) {
    std::size_t comma = ranges.find(',', start);
    std::string_view item = ranges.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::size_t dash = item.find('-');
    std::string_view low = item.substr(0, dash);
    std::string_view high = dash == std::string_view::npos ? low : item.substr(dash + 1);
    auto digits = [](std::string_view text) {
      if (text.empty() || text.size() > 18) return false;
      for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      }
      return true;
    };
    if (!digits(low) || !digits(high)) fail("range " + quoted(item) + " is not N or N-M");
    if (std::stoll(std::string(low)) > std::stoll(std::string(high))) {
      fail("range " + quoted(item) + " runs backwards");
    }
    if (first.empty()) first = std::string(low);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return first;
}

}  // namespace

std::string firstSlurmHost(std::string_view nodeList) {
  auto fail = [&](const std::string& what) {
    throw UsageError("node list " + quoted(nodeList) + ": " + what);
  };
  if (nodeList.empty()) fail("empty");
  // The first host expression ends at the first comma outside brackets; the rest is checked too.
  std::string host;
  bool inFirst = true;
  bool expressionEmpty = true;
  std::size_t i = 0;
  while (i < nodeList.size()) {
    char c = nodeList[i];
    if (c == '[') {
      std::size_t close = nodeList.find(']', i + 1);
      std::size_t nested = nodeList.find('[', i + 1);
      if (close == std::string_view::npos) fail("'[' without ']'");
      if (nested < close) fail("nested '['");
      std::string first = firstOfRanges(nodeList.substr(i + 1, close - i - 1), nodeList);
      if (inFirst) host += first;
      expressionEmpty = false;
      i = close + 1;
      continue;
    }
    if (c == ']') fail("']' without '['");
    if (c == ',') {
      if (expressionEmpty) fail("empty host name");
      inFirst = false;
      expressionEmpty = true;
      ++i;
      continue;
    }
    if (!isHostCharacter(c)) fail("unexpected character " + quoted(std::string(1, c)));
    if (inFirst) host += c;
    expressionEmpty = false;
    ++i;
  }
  if (expressionEmpty) fail("empty host name");
  return host;
}

DistEnvironment distEnvironmentFrom(const EnvironmentLookup& lookup) {
  Reader env{lookup};
  requireBoth(env, "WORLD_SIZE", "RANK");
  requireBoth(env, "RANK", "WORLD_SIZE");
  if (env.get("RANK")) return fromTorchrun(env);
  // Slurm's task variables count inside a job step (srun) only: a batch script with --ntasks N
  // runs once with SLURM_PROCID=0 and SLURM_NTASKS=N but no SLURM_STEP_ID (seen on slurmd 22.05),
  // and read as rank 0 of N it would wait for ranks that never start.
  bool inStep = env.get("SLURM_STEP_ID") || env.get("SLURM_STEPID");
  if (inStep && env.get("SLURM_PROCID") && env.get("SLURM_NTASKS")) return fromSlurm(env);
  DistEnvironment single;
  if (auto address = env.get("MASTER_ADDR")) single.masterAddress = *address;
  if (env.get("MASTER_PORT")) single.masterPort = env.port("MASTER_PORT");
  return single;
}

DistEnvironment distEnvironmentFromProcess() {
  return distEnvironmentFrom([](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
  });
}

std::string deviceForThisRank(const std::string& device, const DistEnvironment& environment) {
  if (device != "cuda" || !environment.distributed()) return device;
  return "cuda:" + std::to_string(environment.localRank);
}

}  // namespace astro::dist
