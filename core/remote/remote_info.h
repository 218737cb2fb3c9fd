// What a host offers a run, as `astro remote info --json` prints it there (the astro version, the
// store schema and mirror format it speaks, libtorch, CUDA, each GPU with its free memory, free
// disk in the workspace), and `astro remote check`, which reaches a profile's host, reads that
// report and compares it with this astro: a mismatch names the side to upgrade.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/remote/host_profile.h"
#include "core/remote/ssh_errors.h"

namespace astro::remote {

struct GpuInfo {
  int index = 0;
  std::string name;
  std::int64_t freeBytes = 0;
  std::int64_t totalBytes = 0;
};

struct HostInfo {
  std::string hostname;
  std::string astroVersion;
  int schemaVersion = 0;
  int mirrorFormat = 0;
  std::string libtorch;
  std::string cuda;    // "none", or "<N> device(s)" as libtorch sees them
  std::string driver;  // the NVIDIA driver, when nvidia-smi answers
  std::vector<GpuInfo> gpus;
  std::string workspace;
  std::int64_t diskFreeBytes = -1;  // -1: the workspace (or its parent) does not exist
};

nlohmann::json hostInfoJson(const HostInfo& info);
HostInfo hostInfoFromJson(const nlohmann::json& json);  // throws Error on a malformed report

// This process's facts (what `astro remote info` prints). GPUs come from nvidia-smi when it is
// there; libtorch's own view is in `cuda`.
HostInfo collectHostInfo(const std::filesystem::path& workspace);
// This build's astro version, store schema and mirror format.
HostInfo localVersions();

// Version problems between this astro and the host's, each naming the side to upgrade; empty
// when they can work together.
std::vector<std::string> compatibilityProblems(const HostInfo& local, const HostInfo& remote);

struct HostCheck {
  std::string profile;
  std::string where;
  bool reachable = false;
  std::optional<RemoteFailure> failure;
  std::string error;  // why it is unreachable or unusable; "" when all is well
  double roundTripMs = 0;
  std::optional<HostInfo> info;
  std::vector<std::string> problems;  // version mismatches
  bool ok() const { return reachable && error.empty() && problems.empty(); }
};

// Never throws for the host's faults: they are in the result.
HostCheck checkHost(const HostProfile& profile, const HostRegistry& registry);
nlohmann::json hostCheckJson(const HostCheck& check);
std::string hostCheckText(const HostCheck& check);

// Runs `astro remote info` there and checks versions; throws RemoteError / Error otherwise.
HostInfo requireCompatibleHost(class RemoteShell& shell, const HostProfile& profile);

}  // namespace astro::remote
