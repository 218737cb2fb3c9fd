// Probing plugins: each candidate file is tried by astro-plugin-probe (probe_main.cpp) in a child
// process first, all of them at once, so a plugin that crashes, aborts or hangs while loading or
// registering is refused with the signal or the timeout instead of taking the application down.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/plugin/plugin_library.h"

namespace astro::plugin {

struct ProbeResult {
  Manifest manifest;                    // as far as the probe read it
  std::vector<std::string> registered;  // "domain:gsm8k", in registration order
  std::string refusal;                  // "" when the plugin may be loaded in-process
};

// Runs `probe PATH` for every path, in parallel; results in the order of `paths`. A probe that
// gives no result within `timeoutMs` (counted from the start of all) is killed and its plugin
// refused as hanging. Never throws: a probe that cannot start refuses its plugin with the reason.
std::vector<ProbeResult> probePlugins(const std::vector<std::filesystem::path>& paths,
                                      const std::filesystem::path& probe, int timeoutMs);

}  // namespace astro::plugin
