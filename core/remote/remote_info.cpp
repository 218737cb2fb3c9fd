// Host facts and the remote check (remote_info.h).
#include "core/remote/remote_info.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "core/model/runtime.h"
#include "core/remote/mirror_records.h"
#include "core/remote/remote_shell.h"
#include "core/store/workspace.h"

namespace astro::remote {

namespace fs = std::filesystem;
using nlohmann::json;

json hostInfoJson(const HostInfo& info) {
  json gpus = json::array();
  for (const GpuInfo& gpu : info.gpus) {
    gpus.push_back({{"index", gpu.index},
                    {"name", gpu.name},
                    {"free_bytes", gpu.freeBytes},
                    {"total_bytes", gpu.totalBytes}});
  }
  return {{"hostname", info.hostname},     {"astro", info.astroVersion},
          {"schema", info.schemaVersion},  {"mirror_format", info.mirrorFormat},
          {"libtorch", info.libtorch},     {"cuda", info.cuda},
          {"driver", info.driver},         {"gpus", gpus},
          {"workspace", info.workspace},   {"disk_free_bytes", info.diskFreeBytes}};
}

HostInfo hostInfoFromJson(const json& j) {
  try {
    HostInfo info{.hostname = j.value("hostname", ""),
                  .astroVersion = j.at("astro").get<std::string>(),
                  .schemaVersion = j.at("schema").get<int>(),
                  .mirrorFormat = j.value("mirror_format", 0),
                  .libtorch = j.value("libtorch", ""),
                  .cuda = j.value("cuda", ""),
                  .driver = j.value("driver", ""),
                  .workspace = j.value("workspace", ""),
                  .diskFreeBytes = j.value("disk_free_bytes", std::int64_t{-1})};
    for (const json& gpu : j.value("gpus", json::array())) {
      info.gpus.push_back({gpu.at("index").get<int>(), gpu.at("name").get<std::string>(),
                           gpu.value("free_bytes", std::int64_t{0}),
                           gpu.value("total_bytes", std::int64_t{0})});
    }
    return info;
  } catch (const json::exception& error) {
    throw Error(std::string("malformed host report: ") + error.what());
  }
}

HostInfo localVersions() {
  return HostInfo{.astroVersion = ASTRO_VERSION,
                  .schemaVersion = store::Workspace::latestSchemaVersion(),
                  .mirrorFormat = kMirrorFormatVersion};
}

namespace {

std::vector<GpuInfo> nvidiaSmiGpus(std::string& driver) {
  std::vector<GpuInfo> gpus;
  ProcessResult result;
  try {
    result = runProcess({"nvidia-smi", "--query-gpu=index,name,memory.free,memory.total,"
                                       "driver_version",
                         "--format=csv,noheader,nounits"},
                        {.timeout = std::chrono::seconds(20)});
  } catch (const Error&) {
    return gpus;  // no nvidia-smi: no NVIDIA GPU to report
  }
  if (!result.ok()) return gpus;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    std::string part;
    while (std::getline(parts, part, ',')) {
      auto first = part.find_first_not_of(' ');
      fields.push_back(first == std::string::npos ? "" : part.substr(first));
    }
    if (fields.size() < 5) continue;
    try {
      gpus.push_back({std::stoi(fields[0]), fields[1], std::stoll(fields[2]) << 20,
                      std::stoll(fields[3]) << 20});
      driver = fields[4];
    } catch (const std::exception&) {
      continue;  // "[N/A]" and the like
    }
  }
  return gpus;
}

}  // namespace

HostInfo collectHostInfo(const fs::path& workspace) {
  HostInfo info = localVersions();
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  info.hostname = name;
  model::RuntimeInfo runtime = model::runtimeInfo();
  info.libtorch = runtime.torchVersion;
  info.cuda = runtime.cudaDevices.empty()
                  ? "none"
                  : std::to_string(runtime.cudaDevices.size()) + " device(s)";
  info.gpus = nvidiaSmiGpus(info.driver);
  info.workspace = workspace.string();
  std::error_code error;
  fs::path probe = workspace;
  while (!probe.empty() && !fs::exists(probe, error)) probe = probe.parent_path();
  if (!probe.empty()) {
    auto space = fs::space(probe, error);
    if (!error) info.diskFreeBytes = static_cast<std::int64_t>(space.available);
  }
  return info;
}

std::vector<std::string> compatibilityProblems(const HostInfo& local, const HostInfo& remote) {
  std::vector<std::string> problems;
  auto upgrade = [](int here, int there) {
    return here < there ? "upgrade astro on this machine" : "upgrade astro on the host";
  };
  if (remote.schemaVersion != local.schemaVersion) {
    problems.push_back("store schema: host " + std::to_string(remote.schemaVersion) +
                       ", this machine " + std::to_string(local.schemaVersion) + ": " +
                       upgrade(local.schemaVersion, remote.schemaVersion));
  }
  if (remote.mirrorFormat != local.mirrorFormat) {
    problems.push_back("mirror format: host " + std::to_string(remote.mirrorFormat) +
                       ", this machine " + std::to_string(local.mirrorFormat) + ": " +
                       upgrade(local.mirrorFormat, remote.mirrorFormat));
  }
  if (remote.astroVersion != local.astroVersion) {
    problems.push_back("astro version: host " + remote.astroVersion + ", this machine " +
                       local.astroVersion + ": install the same version on both sides");
  }
  return problems;
}

HostInfo requireCompatibleHost(RemoteShell& shell, const HostProfile& profile) {
  std::vector<std::string> argv = {profile.astro, "--workspace", profile.workspace, "remote",
                                   "info", "--json"};
  ProcessResult result = shell.run(argv, {.timeout = std::chrono::seconds(120)});
  if (result.exitCode == 126 || result.exitCode == 127) {
    throw missingProgram(shell.where(), profile.astro, result);
  }
  if (!result.ok()) {
    throw Error(shell.where() + ": `" + profile.astro + " remote info` failed (status " +
                std::to_string(result.exitCode) + "): " + result.err.substr(0, 400) +
                " (an astro older than remote support answers this way: upgrade it on the host)");
  }
  HostInfo info;
  try {
    info = hostInfoFromJson(json::parse(result.out));
  } catch (const json::exception& error) {
    throw Error(shell.where() + ": `" + profile.astro + " remote info` printed no report (" +
                error.what() + ")");
  }
  auto problems = compatibilityProblems(localVersions(), info);
  if (!problems.empty()) {
    std::string message = shell.where() + ": versions do not match:";
    for (const auto& problem : problems) message += "\n  " + problem;
    throw Error(message);
  }
  return info;
}

HostCheck checkHost(const HostProfile& profile, const HostRegistry& registry) {
  HostCheck check{.profile = profile.name};
  std::unique_ptr<RemoteShell> shell;
  try {
    shell = shellFor(profile, registry);
    check.where = shell->where();
    auto started = std::chrono::steady_clock::now();
    ProcessResult echo = shell->run({"true"}, {.timeout = std::chrono::seconds(60)});
    check.roundTripMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    check.reachable = echo.ok();
    if (!check.reachable) {
      check.error = check.where + ": `true` failed with status " + std::to_string(echo.exitCode);
      return check;
    }
    std::vector<std::string> argv = {profile.astro, "--workspace", profile.workspace,
                                     "remote", "info", "--json"};
    ProcessResult result = shell->run(argv, {.timeout = std::chrono::seconds(120)});
    if (result.exitCode == 126 || result.exitCode == 127) {
      RemoteError error = missingProgram(check.where, profile.astro, result);
      check.failure = error.failure();
      check.error = error.what();
      return check;
    }
    if (!result.ok()) {
      check.error = check.where + ": `" + profile.astro + " remote info` failed (status " +
                    std::to_string(result.exitCode) + "): " + result.err.substr(0, 400);
      return check;
    }
    check.info = hostInfoFromJson(json::parse(result.out));
    check.problems = compatibilityProblems(localVersions(), *check.info);
  } catch (const RemoteError& error) {
    check.failure = error.failure();
    check.error = error.what();
  } catch (const std::exception& error) {
    check.error = error.what();
  }
  return check;
}

json hostCheckJson(const HostCheck& check) {
  json result = {{"profile", check.profile},
                 {"where", check.where},
                 {"reachable", check.reachable},
                 {"ok", check.ok()},
                 {"round_trip_ms", std::round(check.roundTripMs * 10) / 10},
                 {"problems", check.problems}};
  if (check.failure) result["failure"] = remoteFailureName(*check.failure);
  if (!check.error.empty()) result["error"] = check.error;
  result["local"] = hostInfoJson(localVersions());
  if (check.info) result["host"] = hostInfoJson(*check.info);
  return result;
}

namespace {
std::string gib(std::int64_t bytes) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << double(bytes) / double(1ll << 30) << " GiB";
  return out.str();
}
}  // namespace

std::string hostCheckText(const HostCheck& check) {
  std::ostringstream out;
  out << check.profile << ": " << (check.where.empty() ? "?" : check.where) << "\n";
  if (!check.reachable) {
    out << "  unreachable: " << check.error << "\n";
    return out.str();
  }
  out << "  reachable, round trip " << std::llround(check.roundTripMs) << " ms\n";
  if (!check.error.empty()) out << "  error: " << check.error << "\n";
  if (check.info) {
    const HostInfo& info = *check.info;
    HostInfo local = localVersions();
    out << "  host " << info.hostname << ": astro " << info.astroVersion << " (here "
        << local.astroVersion << "), store schema " << info.schemaVersion << " (here "
        << local.schemaVersion << ")\n";
    out << "  libtorch " << info.libtorch << ", CUDA " << info.cuda;
    if (!info.driver.empty()) out << ", driver " << info.driver;
    out << "\n";
    if (info.gpus.empty()) out << "  GPUs: none\n";
    for (const GpuInfo& gpu : info.gpus) {
      out << "  GPU " << gpu.index << ": " << gpu.name << ", " << gib(gpu.freeBytes) << " free of "
          << gib(gpu.totalBytes) << "\n";
    }
    out << "  workspace " << info.workspace << ": "
        << (info.diskFreeBytes < 0 ? std::string("cannot be created (no parent folder)")
                                   : gib(info.diskFreeBytes) + " free")
        << "\n";
  }
  for (const auto& problem : check.problems) out << "  mismatch: " << problem << "\n";
  out << (check.ok() ? "  ok\n" : "  NOT usable\n");
  return out.str();
}

}  // namespace astro::remote
