// Comparable mirror content (mirror_compare.h).
#include "tests/remote/support/mirror_compare.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/store/workspace.h"

namespace astro::test {

namespace {
// JSON text of `fields` that never throws on bytes that are not UTF-8: they are shown replaced,
// and the raw bytes of every string are compared through their hash.
std::string exact(const nlohmann::json& fields) {
  std::string hashes;
  for (const auto& field : fields) {
    if (field.is_string()) hashes += " " + std::to_string(std::hash<std::string>{}(field.get<std::string>()));
  }
  return fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + hashes;
}
}  // namespace

std::vector<std::string> mirroredContent(const std::filesystem::path& folder, std::int64_t runId,
                                         const std::string& artifactPrefix) {
  auto store = store::Workspace::open(folder, {.readOnly = true});
  std::vector<std::string> lines;
  store::Run run = store.runs().get(runId);
  lines.push_back("run " + run.name + " " + store::runStatusName(run.status) + " " +
                  run.currentStage + " " + std::to_string(run.progressDone) + "/" +
                  std::to_string(run.progressTotal));
  for (const store::Stage& stage : store.stages().list(runId)) {
    lines.push_back("stage " + std::to_string(stage.position) + " " + stage.kind + " " +
                    store::stageStatusName(stage.status) + " " +
                    (stage.started ? std::to_string(store::toMilliseconds(*stage.started)) : "-") +
                    " " +
                    (stage.finished ? std::to_string(store::toMilliseconds(*stage.finished)) : "-") +
                    " " + stage.checkpoint);
  }
  for (const store::Event& event : store.events().replay(runId)) {
    lines.push_back("event " + std::to_string(event.seq) + " " +
                    std::to_string(store::toMilliseconds(event.time)) + " " +
                    store::eventKindName(event.kind) + " " + event.payload.dump());
  }
  for (const auto& series : store.metrics().seriesInfo(runId)) {
    for (const auto& point : store.metrics().series(runId, series.name)) {
      lines.push_back("metric " + series.name + " " + std::to_string(point.step) + " " +
                      nlohmann::json(point.value).dump());
    }
  }
  std::vector<std::string> artifacts;
  for (const store::Artifact& artifact : store.artifacts().list(runId)) {
    std::string path = artifact.path;
    if (!artifactPrefix.empty() && path.rfind(artifactPrefix, 0) == 0) {
      path = path.substr(artifactPrefix.size());
    }
    artifacts.push_back("artifact " + artifact.kind + " " + path + " " + artifact.sha256 + " " +
                        std::to_string(artifact.sizeBytes));
  }
  std::sort(artifacts.begin(), artifacts.end());
  lines.insert(lines.end(), artifacts.begin(), artifacts.end());
  for (const auto& summary : store.trees().list(runId)) {
    store::StoredTree tree = store.trees().get(summary.id);
    lines.push_back("tree " + exact({summary.stage, summary.problemId, summary.subject,
                                     summary.level, summary.problem, summary.referenceAnswer}));
    for (const auto& node : tree.nodes) {
      nlohmann::json fields = {node.id,    node.parent ? nlohmann::json(*node.parent) : nullptr,
                               node.text,  node.visits,
                               node.value, node.prior,
                               node.depth, node.terminal,
                               node.answer ? nlohmann::json(*node.answer) : nullptr,
                               node.correct ? nlohmann::json(*node.correct) : nullptr};
      lines.push_back("  node " + exact(fields));
    }
  }
  std::map<std::int64_t, int> positionOfStage;
  for (const store::Stage& stage : store.stages().list(runId)) {
    positionOfStage[stage.id] = stage.position;
  }
  for (const store::StoredSample& sample : store.samples().list(runId, {}, {.limit = -1})) {
    const store::SampleRow& r = sample.row;
    const store::SampleSet& s = sample.set;
    nlohmann::json fields = {
        s.stageId ? positionOfStage[*s.stageId] : -1,
        std::string(store::sampleKindName(s.kind)),
        s.checkpoint,
        s.step ? nlohmann::json(*s.step) : nullptr,
        s.benchmark,
        r.problemId,
        r.sampleIndex,
        r.group,
        r.prompt,
        r.completion,
        r.answer,
        r.correct ? nlohmann::json(*r.correct) : nullptr,
        r.reward ? nlohmann::json(*r.reward) : nullptr,
        r.advantage ? nlohmann::json(*r.advantage) : nullptr,
        r.steps,
        r.backtracks,
        r.restarts,
        r.reflections,
        r.tokens};
    lines.push_back("sample " + exact(fields));
  }
  return lines;
}

std::string contentDifference(const std::vector<std::string>& expected,
                              const std::vector<std::string>& actual) {
  std::size_t n = std::min(expected.size(), actual.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (expected[i] != actual[i]) {
      return "line " + std::to_string(i) + ":\n  expected " + expected[i].substr(0, 300) +
             "\n  actual   " + actual[i].substr(0, 300);
    }
  }
  if (expected.size() != actual.size()) {
    return "expected " + std::to_string(expected.size()) + " lines, got " +
           std::to_string(actual.size()) + " (first extra: " +
           (expected.size() > n ? expected[n] : actual[n]).substr(0, 300) + ")";
  }
  return {};
}

}  // namespace astro::test
