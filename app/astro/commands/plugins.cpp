// `astro plugins`: the folders searched for plugins and every plugin found there - loaded, with
// what it registered, or refused, with the reason (core/plugin/plugin_loader.h). Refusals are
// reported, not failures: the command exits 0 whenever it could report.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/plugin/astro_plugin.h"
#include "core/plugin/plugin_loader.h"

namespace {

using astro::plugin::PluginRecord;

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

nlohmann::ordered_json recordJson(const PluginRecord& record) {
  return {{"path", record.path.string()},   {"name", record.name},
          {"version", record.version},      {"description", record.description},
          {"provides", record.provides},    {"api_version", record.apiVersion},
          {"loaded", record.loaded},        {"refusal", record.refusal},
          {"registered", record.registered}};
}

void printText(const std::vector<std::filesystem::path>& folders,
               const std::vector<PluginRecord>& records) {
  std::cout << "Plugin folders, searched in this order (plugin API " << ASTRO_PLUGIN_API_VERSION
            << "):\n";
  if (folders.empty()) std::cout << "  (none; set ASTRO_PLUGIN_PATH to add one)\n";
  for (const auto& folder : folders) std::cout << "  " << folder.string() << "\n";
  std::size_t refused = 0;
  std::cout << "Plugins:\n";
  if (records.empty()) std::cout << "  (none found)\n";
  for (const PluginRecord& record : records) {
    if (!record.loaded) {
      ++refused;
      std::cout << "  REFUSED " << record.path.string() << ": " << record.refusal << "\n";
      continue;
    }
    std::cout << "  " << record.name << " " << record.version << "  " << record.path.string()
              << "\n";
    if (!record.description.empty()) std::cout << "    " << record.description << "\n";
    std::cout << "    registered: "
              << (record.registered.empty() ? "nothing" : joined(record.registered)) << "\n";
  }
  std::cout << records.size() - refused << " loaded, " << refused << " refused\n";
}

void runPlugins(bool json) {
  const std::vector<std::filesystem::path> folders = astro::plugin::pluginFolders();
  // main() loaded them before any command ran; this returns that report.
  const std::vector<PluginRecord>& records = astro::plugin::loadPlugins();
  if (!json) {
    printText(folders, records);
    return;
  }
  nlohmann::ordered_json report = {{"api_version", ASTRO_PLUGIN_API_VERSION},
                                   {"folders", nlohmann::ordered_json::array()},
                                   {"plugins", nlohmann::ordered_json::array()}};
  for (const auto& folder : folders) report["folders"].push_back(folder.string());
  for (const PluginRecord& record : records) report["plugins"].push_back(recordJson(record));
  std::cout << report.dump() << "\n";
}

const astro::cli::CommandRegistration kPlugins{
    "02-plugins", [](CLI::App& root) {
      auto json = std::make_shared<bool>(false);
      CLI::App* plugins = root.add_subcommand(
          "plugins",
          "List the plugins: the folders searched ($ASTRO_PLUGIN_PATH, then the install's), "
          "what each loaded plugin registered, and why any was refused");
      plugins->add_flag("--json", *json, "Print one JSON object instead of text");
      plugins->callback([json] { runPlugins(*json); });
    }};

}  // namespace
