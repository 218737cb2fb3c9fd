// How `astro` subcommands plug in: each file under commands/ holds one static CommandRegistration
// that adds its subcommand(s) to the root CLI11 app. main() knows none of them by name.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>

namespace astro::cli {

// Options every subcommand shares (set on the root app, usable before or after the subcommand).
struct GlobalOptions {
  std::filesystem::path workspace;  // empty: defaultWorkspaceDir()
  std::filesystem::path resolvedWorkspace() const;
};
GlobalOptions& globalOptions();

class CommandRegistration {
 public:
  // `order` sorts commands in --help; `add` receives the root app.
  CommandRegistration(std::string order, std::function<void(CLI::App&)> add);
};

void addRegisteredCommands(CLI::App& root);

// Throws UsageError "unknown command 'X'" when the first positional word is no subcommand
// (CLI11 would only say that a subcommand is required).
void rejectUnknownCommand(const CLI::App& root, int argc, const char* const* argv);

// Finds or creates a command group such as `runs` or `model` that holds sub-subcommands.
CLI::App& commandGroup(CLI::App& root, const std::string& name, const std::string& description);

}  // namespace astro::cli
