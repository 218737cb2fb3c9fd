// Creating a pipeline run and reading its stored config back (worker.h).
#include <filesystem>

#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/pipeline/content_hash.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/stage_inputs.h"
#include "core/pipeline/worker.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {
constexpr const char* kConfigInput = "config";
}

std::int64_t createRun(store::Workspace& workspace, const PipelineConfig& config,
                       const fs::path& configFile) {
  validateRunName(config.name);
  // Hash the external inputs first (it may take a while); a missing one stops here, before any
  // row is written.
  struct Pending {
    std::size_t stage;
    std::string name;
    std::string path;
    ContentHash hash;
  };
  std::vector<Pending> external;
  for (std::size_t i = 0; i < config.stages.size(); ++i) {
    for (const auto& [name, input] : stageInputs(config.stages[i])) {
      if (!input.external()) continue;
      if (!fs::exists(input.path)) {
        throw Error(config.source + ":" + std::to_string(config.stages[i].line) + ": [" +
                    std::string(stageKindName(config.stages[i].kind)) + "] input '" + name +
                    "': " + input.path.string() + " does not exist");
      }
      external.push_back(
          {i, name, storedPath(input.path, workspace.folder()), hashPath(input.path)});
    }
  }
  fs::path configPath = configFile.empty() ? config.baseDir / (config.name + ".toml")
                                           : fs::absolute(configFile).lexically_normal();

  std::int64_t runId = 0;
  workspace.transaction([&] {
    store::Run run =
        workspace.runs().create({.name = config.name, .config = config.text, .host = "local"});
    runId = run.id;
    std::vector<std::int64_t> stageIds;
    for (const StageConfig& stage : config.stages) {
      stageIds.push_back(workspace.stages().add(runId, std::string(stageKindName(stage.kind))).id);
    }
    workspace.runInputs().record({.runId = runId,
                                  .name = kConfigInput,
                                  .path = configPath.string(),
                                  .sha256 = sha256Hex(config.text),
                                  .sizeBytes = static_cast<std::int64_t>(config.text.size())});
    for (const Pending& input : external) {
      workspace.runInputs().record({.runId = runId,
                                    .stageId = stageIds[input.stage],
                                    .name = input.name,
                                    .path = input.path,
                                    .sha256 = input.hash.sha256,
                                    .sizeBytes = input.hash.sizeBytes});
    }
  });
  fs::create_directories(RunLayout(workspace.folder(), runId).runFolder());
  return runId;
}

PipelineConfig storedRunConfig(store::Workspace& workspace, std::int64_t runId) {
  store::Run run = workspace.runs().get(runId);
  if (run.kind != store::RunKind::kNative) {
    throw Error("run " + std::to_string(runId) + " is an imported run, not a pipeline run");
  }
  for (const store::RunInput& input : workspace.runInputs().list(runId)) {
    if (!input.stageId && input.name == kConfigInput) {
      fs::path file(input.path);
      return parsePipelineConfig(run.config, file.string(), file.parent_path());
    }
  }
  throw Error("run " + std::to_string(runId) +
              " has no recorded pipeline config (it was not created by `astro run`)");
}

}  // namespace astro::pipeline
