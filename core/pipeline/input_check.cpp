// Recording and checking stage inputs (input_check.h).
#include "core/pipeline/input_check.h"

#include <set>

#include "core/base/error.h"
#include "core/pipeline/content_hash.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {

fs::path absoluteStored(const std::string& stored, const fs::path& workspace) {
  fs::path path(stored);
  return path.is_absolute() ? path : workspace / path;
}

std::string shortHash(const std::string& sha256) { return sha256.substr(0, 12); }

}  // namespace

int recordStageInputs(store::Workspace& workspace, const store::Stage& stage,
                      const std::map<std::string, fs::path>& inputs) {
  std::set<std::string> recorded;
  for (const store::RunInput& input : workspace.runInputs().list(stage.runId)) {
    if (input.stageId == stage.id) recorded.insert(input.name);
  }
  int added = 0;
  for (const auto& [name, path] : inputs) {
    if (recorded.contains(name)) continue;
    ContentHash hash = hashPath(path);
    workspace.runInputs().record({.runId = stage.runId,
                                  .stageId = stage.id,
                                  .name = name,
                                  .path = storedPath(path, workspace.folder()),
                                  .sha256 = hash.sha256,
                                  .sizeBytes = hash.sizeBytes});
    ++added;
  }
  return added;
}

void verifyRecordedInputs(store::Workspace& workspace, std::int64_t runId,
                          const std::vector<store::Stage>& stages) {
  std::map<std::int64_t, const store::Stage*> byId;
  for (const store::Stage& stage : stages) byId[stage.id] = &stage;
  for (const store::RunInput& input : workspace.runInputs().list(runId)) {
    if (!input.stageId || !byId.contains(*input.stageId)) continue;
    const store::Stage& stage = *byId[*input.stageId];
    fs::path path = absoluteStored(input.path, workspace.folder());
    std::string now;
    if (fs::exists(path)) now = hashPath(path).sha256;
    if (now == input.sha256) continue;
    throw Error("run " + std::to_string(runId) + ", stage " + std::to_string(stage.position) +
                " (" + stage.kind + "): input '" + input.name + "' (" + path.string() + ") " +
                (now.empty()
                     ? "no longer exists"
                     : "changed since the run recorded it (sha256 " + shortHash(input.sha256) +
                           "… then, " + shortHash(now) + "… now)") +
                "; refusing to resume on different inputs. Restore it, or start a new run "
                "with `astro run`.");
  }
}

}  // namespace astro::pipeline
