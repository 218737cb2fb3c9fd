#include "core/analysis/imported_run.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/base/workspace_paths.h"

namespace astro::analysis {

namespace {

constexpr const char* kArtifactKind = "imported_samples";

// The format is a label of where a sample came from: a stored run stays readable without the
// plugin that read its source, so any non-empty name is accepted.
std::string formatName(std::string name, const std::string& source, std::int64_t line) {
  if (name.empty()) throw ParseError(source, line, "format", "empty format name");
  return name;
}

}  // namespace

std::string importedSamplesToJsonl(const std::vector<ImportedSample>& samples) {
  std::string out;
  for (const ImportedSample& s : samples) {
    nlohmann::ordered_json line = {
        {"line", s.line},
        {"format", s.format},
        {"problem_id", s.problemId},
        {"prompt", s.prompt},
        {"completion", s.completion},
        {"gold_answer", s.goldAnswer},
        {"checkpoint", s.checkpoint},
        {"benchmark", s.benchmark},
        {"graded_by", s.gradedBy},
        {"answer", s.stats.answer},
        {"correct", s.stats.correct ? nlohmann::ordered_json(*s.stats.correct) : nullptr},
        {"steps", s.stats.steps},
        {"backtracks", s.stats.backtracks},
        {"restarts", s.stats.restarts},
        {"reflections", s.stats.reflections},
        {"tokens", s.stats.tokens}};
    out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

std::vector<ImportedSample> importedSamplesFromJsonl(std::string_view text,
                                                     const std::string& source) {
  std::vector<ImportedSample> samples;
  std::int64_t lineNumber = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++lineNumber;
    if (line.empty()) continue;
    std::string field;
    try {
      nlohmann::json object = nlohmann::json::parse(line);
      ImportedSample s;
      auto get = [&](const char* key) -> const nlohmann::json& {
        field = key;
        return object.at(key);
      };
      s.line = get("line").get<std::int64_t>();
      s.format = formatName(get("format").get<std::string>(), source, lineNumber);
      s.problemId = get("problem_id").get<std::string>();
      s.prompt = get("prompt").get<std::string>();
      s.completion = get("completion").get<std::string>();
      s.goldAnswer = get("gold_answer").get<std::string>();
      s.checkpoint = get("checkpoint").get<std::string>();
      s.benchmark = get("benchmark").get<std::string>();
      s.gradedBy = get("graded_by").get<std::string>();
      s.stats.answer = get("answer").get<std::string>();
      if (!get("correct").is_null()) s.stats.correct = get("correct").get<bool>();
      s.stats.steps = get("steps").get<int>();
      s.stats.backtracks = get("backtracks").get<int>();
      s.stats.restarts = get("restarts").get<int>();
      s.stats.reflections = get("reflections").get<int>();
      s.stats.tokens = get("tokens").get<std::int64_t>();
      samples.push_back(std::move(s));
    } catch (const nlohmann::json::exception& e) {
      throw ParseError(source, lineNumber, field, e.what());
    }
  }
  return samples;
}

std::int64_t saveImportedRun(store::Workspace& workspace, const ImportResult& result,
                             const AnalysisSummary& summary) {
  nlohmann::ordered_json metadata = {{"source_path", result.run.sourcePath},
                                     {"source_sha256", result.run.sourceSha256},
                                     {"lines", result.run.lines},
                                     {"samples", result.samples.size()},
                                     {"bad_lines", result.badLines.size()},
                                     {"verifier", result.run.verifier},
                                     {"detector", result.run.detector}};
  std::string samplesText = importedSamplesToJsonl(result.samples);
  std::int64_t runId = 0;
  workspace.transaction([&] {
    store::NewRun newRun;
    newRun.name = result.run.name;
    newRun.config = metadata.dump(2);
    newRun.host = "local";
    newRun.kind = store::RunKind::kImported;
    runId = workspace.runs().create(newRun).id;
    std::string relative = "imported/" + std::to_string(runId) + "/samples.jsonl";
    std::filesystem::path path = confinedPath(workspace.folder(), relative);
    std::filesystem::create_directories(path.parent_path());
    writeFileAtomically(path, samplesText);
    store::NewArtifact artifact;
    artifact.runId = runId;
    artifact.kind = kArtifactKind;
    artifact.path = relative;
    artifact.sha256 = sha256Hex(samplesText);
    artifact.sizeBytes = static_cast<std::int64_t>(samplesText.size());
    workspace.artifacts().add(artifact);
    std::vector<store::MetricRow> rows;
    for (const CheckpointSummary& s : summary.checkpoints) {
      std::int64_t step = 0;
      auto [end, error] =
          std::from_chars(s.checkpoint.data(), s.checkpoint.data() + s.checkpoint.size(), step);
      if (error != std::errc() || end != s.checkpoint.data() + s.checkpoint.size()) continue;
      std::string prefix = "analysis/" + s.benchmark + "/";
      if (s.gradedSamples > 0)
        rows.push_back({runId, {}, step, prefix + "accuracy", s.accuracy.estimate});
      rows.push_back({runId, {}, step, prefix + "mean_backtracks", s.meanBacktracks.estimate});
      rows.push_back({runId, {}, step, prefix + "mean_tokens", s.meanTokens.estimate});
    }
    workspace.metrics().append(rows);
    workspace.runs().updateStatus(runId, store::RunStatus::kFinished);
  });
  return runId;
}

ImportResult loadImportedRun(store::Workspace& workspace, std::int64_t runId) {
  store::Run run = workspace.runs().get(runId);
  if (run.kind != store::RunKind::kImported) {
    throw Error("run " + std::to_string(runId) + " is a native run; analyse its generations " +
                "with astro analyze --input FILE.jsonl");
  }
  ImportResult result;
  result.run.name = run.name;
  try {
    auto metadata = nlohmann::json::parse(run.config);
    result.run.sourcePath = metadata.value("source_path", "");
    result.run.sourceSha256 = metadata.value("source_sha256", "");
    result.run.lines = metadata.value("lines", std::int64_t{0});
    result.run.verifier = metadata.value("verifier", "");
  } catch (const nlohmann::json::exception& e) {
    throw Error("run " + std::to_string(runId) + ": config: invalid import metadata: " + e.what());
  }
  for (const store::Artifact& artifact : workspace.artifacts().list(runId)) {
    if (artifact.kind != kArtifactKind) continue;
    std::filesystem::path path = confinedPath(workspace.folder(), artifact.path);
    result.samples = importedSamplesFromJsonl(readFile(path), path.string());
    return result;
  }
  throw Error("run " + std::to_string(runId) + " has no " + kArtifactKind + " artifact");
}

}  // namespace astro::analysis
