// loadPlugins and loadPluginsInto (plugin_loader.h): the candidates of every folder are probed
// in child processes first (plugin_probe.h); those the probe passed load in-process, in order,
// through a StagingHost (plugin_host.h) that commits a plugin's registrations only when all of
// them succeed.
#include "core/plugin/plugin_loader.h"

#include <algorithm>
#include <exception>
#include <mutex>

#include "core/analysis/generation_reader.h"
#include "core/domain/domain_registry.h"
#include "core/plugin/plugin_folders.h"
#include "core/plugin/plugin_host.h"
#include "core/plugin/plugin_library.h"
#include "core/plugin/plugin_probe.h"

namespace astro::plugin {

namespace {

std::vector<PluginRecord>& processReport() {
  static std::vector<PluginRecord> report;
  return report;
}

// "" when no plugin loaded so far is named `name`, else the refusal.
std::string duplicateOf(const std::vector<PluginRecord>& records, const std::string& name) {
  for (const PluginRecord& earlier : records) {
    if (earlier.loaded && earlier.name == name) {
      return "a plugin named '" + name + "' is already loaded from " + earlier.path.string();
    }
  }
  return {};
}

// What the probe saw registered, against the registries: refused before the plugin is loaded
// into this process at all (the staging host checks again; this only spares the load).
std::string takenName(const std::vector<std::string>& registered,
                      const domain::DomainRegistry& domains,
                      const analysis::GenerationReaderRegistry& readers) {
  const std::vector<std::string> domainNames = domains.names();
  for (const std::string& key : registered) {
    if (key.starts_with("domain:")) {
      const std::string name = key.substr(7);
      if (std::find(domainNames.begin(), domainNames.end(), name) != domainNames.end()) {
        return "domain '" + name + "' is already registered";
      }
    } else if (key.starts_with("format:")) {
      const std::string name = key.substr(7);
      if (readers.contains(name)) return "generation format '" + name + "' is already registered";
    }
  }
  return {};
}

// Loads a plugin the probe passed into this process and registers it; "" or the refusal.
std::string loadInProcess(PluginRecord& record, domain::DomainRegistry& domains,
                          analysis::GenerationReaderRegistry& readers) {
  void* handle = nullptr;
  Manifest manifest;
  AstroPluginRegisterFunction registerFunction = nullptr;
  std::string refusal = openLibrary(record.path, handle);
  try {
    if (refusal.empty()) refusal = readManifest(record.path, handle, manifest);
  } catch (const std::exception& error) {
    return std::string("threw a C++ exception while reading its manifest: ") + error.what();
  } catch (...) {
    return "threw a C++ exception while reading its manifest";
  }
  if (refusal.empty()) refusal = findRegisterFunction(record.path, handle, registerFunction);
  if (!refusal.empty()) return refusal;
  if (manifest.name != record.name) {
    return "its manifest changed between the probe and the load ('" + record.name + "', then '" +
           manifest.name + "')";
  }
  StagingHost host(record.name, domains, readers);
  refusal = host.registerPlugin(registerFunction);
  if (!refusal.empty()) return refusal;
  host.commit();
  record.registered = host.staged();
  return {};
}

}  // namespace

std::vector<PluginRecord> loadPluginsInto(domain::DomainRegistry& domains,
                                          analysis::GenerationReaderRegistry& readers,
                                          const LoadOptions& options) {
  const std::vector<std::filesystem::path> folders =
      options.folders.empty() ? pluginFolders() : options.folders;
  std::vector<std::filesystem::path> paths;
  for (const std::filesystem::path& folder : folders) {
    for (std::filesystem::path& file : pluginFiles(folder)) paths.push_back(std::move(file));
  }
  std::vector<PluginRecord> records;
  if (paths.empty()) return records;

  std::string tried;
  const std::filesystem::path probe = findProbe(options, tried);
  std::vector<ProbeResult> probed;
  if (probe.empty()) {
    // Loading untried plugins in-process would give up the promise that none takes the
    // application down; refuse them and say what is missing.
    probed.resize(paths.size());
    for (ProbeResult& result : probed) {
      result.refusal = "cannot probe: astro-plugin-probe not found (looked at " + tried +
                       "; set ASTRO_PLUGIN_PROBE)";
    }
  } else {
    probed = probePlugins(paths, probe, options.probeTimeoutMs);
  }

  for (std::size_t i = 0; i < paths.size(); ++i) {
    PluginRecord record;
    record.path = paths[i];
    const ProbeResult& result = probed[i];
    record.name = result.manifest.name;
    record.version = result.manifest.version;
    record.description = result.manifest.description;
    record.provides = result.manifest.provides;
    record.apiVersion = result.manifest.apiVersion;
    record.refusal = result.refusal;
    if (record.refusal.empty()) record.refusal = duplicateOf(records, record.name);
    if (record.refusal.empty()) record.refusal = takenName(result.registered, domains, readers);
    if (record.refusal.empty()) {
      try {
        record.refusal = loadInProcess(record, domains, readers);
      } catch (const std::exception& error) {
        record.refusal = std::string("could not be loaded: ") + error.what();
      }
    }
    record.loaded = record.refusal.empty();
    records.push_back(std::move(record));
  }
  return records;
}

const std::vector<PluginRecord>& loadPlugins(const LoadOptions& options) {
  static std::once_flag once;
  std::call_once(once, [&options] {
    processReport() =
        loadPluginsInto(domain::domainRegistry(), analysis::generationReaderRegistry(), options);
  });
  return processReport();
}

const std::vector<PluginRecord>& pluginReport() { return processReport(); }

}  // namespace astro::plugin
