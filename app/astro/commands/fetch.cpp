// `astro fetch RUN ARTIFACT`: copies a mirrored run's artifact (a checkpoint folder, a file) from
// its host into this workspace, checked against the SHA-256 the run recorded. docs/remote.md.
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "core/remote/remote_launch.h"

namespace {

struct FetchOptions {
  std::int64_t runId = 0;
  std::string artifact;
  bool list = false;
};

void fetch(const FetchOptions& options) {
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  if (options.list || options.artifact.empty()) {
    for (const auto& artifact : workspace.artifacts().list(options.runId)) {
      bool here = std::filesystem::exists(workspace.folder() / artifact.path);
      std::cout << artifact.id << "\t" << artifact.kind << "\t" << artifact.sizeBytes << "\t"
                << (here ? "here" : "on host") << "\t" << artifact.path << "\n";
    }
    return;
  }
  auto path = astro::remote::fetchArtifact(
      workspace, options.runId, options.artifact, astro::remote::HostRegistry(),
      [](const std::string& line) { std::cerr << line << std::endl; });
  std::cout << path.string() << "\n";
}

const astro::cli::CommandRegistration kFetch{
    "42-fetch", [](CLI::App& root) {
      auto options = std::make_shared<FetchOptions>();
      CLI::App* command = root.add_subcommand(
          "fetch",
          "Copy an artifact of a mirrored run (by id, path or kind) from its host into this\n"
          "workspace; prints the local path. --list shows the run's artifacts and where they are.");
      command->add_option("RUN", options->runId, "Local run id")->required()->check(CLI::PositiveNumber);
      command->add_option("ARTIFACT", options->artifact, "Artifact id, path or kind");
      command->add_flag("--list", options->list, "List the run's artifacts");
      command->callback([options] { fetch(*options); });
    }};

}  // namespace
