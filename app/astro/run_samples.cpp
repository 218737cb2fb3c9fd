#include "app/astro/run_samples.h"

#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/domain/domain_registry.h"

namespace astro::cli {

namespace {

// Stored paths are workspace-relative inside the workspace, absolute outside it
// (core/pipeline run_events.cpp).
std::filesystem::path resolveStored(const store::Workspace& workspace, const std::string& path) {
  std::filesystem::path stored(path);
  return stored.is_absolute() ? stored : confinedPath(workspace.folder(), path);
}

}  // namespace

RunSamples loadRunSamples(store::Workspace& workspace, std::int64_t runId, bool grade) {
  const store::Run run = workspace.runs().get(runId);
  RunSamples result;
  result.imported.run.name = run.name;
  std::unique_ptr<math::Verifier> verifier;
  int files = 0;
  for (const store::Artifact& artifact : workspace.artifacts().list(runId)) {
    if (artifact.kind != "samples") continue;
    const std::filesystem::path path = resolveStored(workspace, artifact.path);
    if (!std::filesystem::is_regular_file(path)) {
      throw Error("run " + std::to_string(runId) + ": samples file " + path.string() +
                  " is missing");
    }
    if (grade && !verifier) {
      verifier = domain::resolveDomain(domain::kAutoDomain,
                                       analysis::samplesProblems(
                                           analysis::importGenerations(path, nullptr)))
                     .makeVerifier();
      result.imported.run.verifier = verifier->name();
    }
    analysis::ImportResult part = analysis::importGenerations(path, verifier.get());
    for (auto& bad : part.badLines) bad.message = path.string() + ": " + bad.message;
    result.imported.run.lines += part.run.lines;
    result.imported.samples.insert(result.imported.samples.end(),
                                   std::make_move_iterator(part.samples.begin()),
                                   std::make_move_iterator(part.samples.end()));
    result.imported.badLines.insert(result.imported.badLines.end(), part.badLines.begin(),
                                    part.badLines.end());
    result.imported.run.sourcePath += (files++ ? ", " : "") + path.string();
  }
  if (files == 0) {
    throw Error("run " + std::to_string(runId) + " (" + run.name +
                ") has no evaluation samples: no evaluate stage of it has finished");
  }
  for (const store::RunInput& input : workspace.runInputs().list(runId)) {
    if (input.name == "phrases") result.phraseSet = resolveStored(workspace, input.path);
  }
  return result;
}

}  // namespace astro::cli
