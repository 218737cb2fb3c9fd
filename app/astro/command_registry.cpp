#include "app/astro/command_registry.h"

#include <algorithm>
#include <vector>

#include "core/base/error.h"
#include "core/base/workspace_paths.h"

namespace astro::cli {

namespace {
struct Entry {
  std::string order;
  std::function<void(CLI::App&)> add;
};
std::vector<Entry>& entries() {
  static std::vector<Entry> registered;
  return registered;
}
}  // namespace

GlobalOptions& globalOptions() {
  static GlobalOptions options;
  return options;
}

std::filesystem::path GlobalOptions::resolvedWorkspace() const {
  return workspace.empty() ? defaultWorkspaceDir() : workspace;
}

CommandRegistration::CommandRegistration(std::string order, std::function<void(CLI::App&)> add) {
  entries().push_back({std::move(order), std::move(add)});
}

void addRegisteredCommands(CLI::App& root) {
  auto& all = entries();
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  for (auto& entry : all) entry.add(root);
}

void rejectUnknownCommand(const CLI::App& root, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--workspace") {
      ++i;  // its value
      continue;
    }
    if (word.starts_with("-")) continue;
    for (const CLI::App* command : root.get_subcommands({})) {
      if (command->check_name(word)) return;
    }
    throw UsageError("unknown command '" + word + "' (see astro --help)");
  }
}

CLI::App& commandGroup(CLI::App& root, const std::string& name, const std::string& description) {
  for (CLI::App* existing : root.get_subcommands([&](CLI::App* app) { return app->get_name() == name; })) {
    return *existing;
  }
  CLI::App* group = root.add_subcommand(name, description);
  group->require_subcommand(1);
  return *group;
}

}  // namespace astro::cli
