// Finding, probing and loading plugins (astro_plugin.h) into the process's registries: domains
// into domain::domainRegistry(), generation formats into analysis::generationReaderRegistry().
//
// Where plugins are looked for, in this order (a name found twice loads from the first folder;
// the later one is refused as a duplicate):
//   1. every folder of $ASTRO_PLUGIN_PATH (colon-separated);
//   2. the install's plugin folder, <prefix>/lib/<multiarch>/astro-studio/plugins, found from the
//      running executable's path, or the build tree's plugins/ output folder when running from a
//      build.
// A plugin is a file named libastro-plugin-*.so in one of those folders.
//
// Each candidate is first probed in a child process (astro-plugin-probe; all candidates at once,
// so start-up waits for the slowest, not the sum), so a plugin that crashes, hangs or aborts
// while registering is refused with the signal or timeout and never takes the application down.
// A plugin built for another API version, without its entry points, with a malformed manifest,
// whose registration fails or throws, or that registers a name already taken, is refused with
// its path and the reason; nothing it registered stays.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace astro::domain {
class DomainRegistry;
}
namespace astro::analysis {
class GenerationReaderRegistry;
}

namespace astro::plugin {

struct PluginRecord {
  std::filesystem::path path;
  // From the manifest (empty when it could not be read).
  std::string name;
  std::string version;
  std::string description;
  std::string provides;  // as the manifest says: "domain:gsm8k"
  std::uint32_t apiVersion = 0;
  bool loaded = false;
  std::string refusal;                  // why it was skipped; empty when loaded
  std::vector<std::string> registered;  // what it added: "domain:gsm8k", "format:verl"
};

struct LoadOptions {
  // Replaces the folders above when non-empty (tests).
  std::vector<std::filesystem::path> folders = {};
  // The probe program; empty: $ASTRO_PLUGIN_PROBE, else the installed one
  // (<prefix>/lib/<multiarch>/astro-studio/astro-plugin-probe), else the build tree's. Without
  // one, every plugin is refused ("cannot probe") rather than loaded untried.
  std::filesystem::path probe = {};
  // How long a probe may take before the plugin is refused as hanging.
  int probeTimeoutMs = 10000;
};

// The folders searched, in order, that exist.
std::vector<std::filesystem::path> pluginFolders();

// Loads every plugin once per process (later calls return the first report); call at start-up,
// before other threads look up a domain or format. Never throws for a bad plugin.
const std::vector<PluginRecord>& loadPlugins(const LoadOptions& options = {});

// The report of the load so far (empty before loadPlugins).
const std::vector<PluginRecord>& pluginReport();

// What loadPlugins does, into the given registries and every time it is called (tests; the
// process's registries are loaded once). Plugins load in folder order, then file name order.
std::vector<PluginRecord> loadPluginsInto(domain::DomainRegistry& domains,
                                          analysis::GenerationReaderRegistry& readers,
                                          const LoadOptions& options = {});

}  // namespace astro::plugin
