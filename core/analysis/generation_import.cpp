// Parsing a generation dump line by line through the registered formats, grading each sample, and
// analysing the traces in parallel (generation_import.h).
#include "core/analysis/generation_import.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"

namespace astro::analysis {

namespace {

// Why no format reads a line that none detects: a JSON problem, else the formats there are.
std::string undetectedLine(std::string_view line, const GenerationReaderRegistry& registry) {
  try {
    if (!nlohmann::json::parse(line).is_object()) return "expected a JSON object";
  } catch (const nlohmann::json::exception& e) {
    return std::string("invalid JSON: ") + e.what();
  }
  std::string message = "no generation format reads this line (registered: ";
  for (const std::string& name : registry.names()) {
    message += (message.ends_with(": ") ? "" : ", ") + name;
  }
  message += "; a plain line has a \"prompt\", \"problem\" or \"question\" key";
  if (!registry.contains("chat") || !registry.contains("verl")) {
    message += "; chat and verl lines need the generation-formats plugin";
  }
  return message + "; `astro plugins` lists the loaded plugins)";
}

ImportedSample toSample(GenerationRecord record, std::string_view format,
                        const ImportOptions& options, const std::string& defaultBenchmark,
                        const math::Verifier* verifier) {
  ImportedSample sample;
  sample.format = std::string(format);
  sample.prompt = std::move(record.prompt);
  sample.completion = std::move(record.completion);
  sample.goldAnswer = std::move(record.answer);
  sample.checkpoint = record.checkpoint.empty() ? options.checkpoint : std::move(record.checkpoint);
  sample.benchmark = record.benchmark.empty() ? defaultBenchmark : std::move(record.benchmark);
  sample.problemId =
      record.id.empty() ? "sha256:" + sha256Hex(sample.prompt).substr(0, 16) : std::move(record.id);
  if (verifier && !sample.goldAnswer.empty()) {
    math::Problem problem;
    problem.id = sample.problemId;
    problem.question = sample.prompt;
    problem.answer = sample.goldAnswer;
    problem.source = sample.benchmark;
    math::Verdict verdict = verifier->grade(problem, sample.completion);
    sample.stats.answer = verdict.extracted;
    sample.stats.correct = verdict.correct;
    sample.gradedBy = "verifier:" + verifier->name();
  } else {
    sample.stats.answer = lastBoxedAnswer(sample.completion);
    if (record.score) {
      sample.stats.correct = *record.score > 0;
      sample.gradedBy = "score";
    }
  }
  return sample;
}

}  // namespace

void checkGenerationFormat(std::string_view name) {
  if (name != kAutoGenerationFormat) generationReaderRegistry().find(name);
}

ImportResult parseGenerations(std::string_view text, const std::string& sourceName,
                              const math::Verifier* verifier, const ImportOptions& options) {
  const GenerationReaderRegistry& registry = generationReaderRegistry();
  const GenerationReader* forced =
      options.format == kAutoGenerationFormat ? nullptr : &registry.find(options.format);
  ImportResult result;
  result.run.name = std::filesystem::path(sourceName).filename().string();
  result.run.sourcePath = sourceName;
  result.run.sourceSha256 = sha256Hex(text);
  result.run.verifier = verifier ? verifier->name() : "";
  std::string defaultBenchmark = options.benchmark.empty()
                                     ? std::filesystem::path(sourceName).stem().string()
                                     : options.benchmark;
  std::int64_t lineNumber = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++lineNumber;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++result.run.lines;
    const GenerationReader* reader = forced ? forced : registry.detect(line);
    std::optional<GenerationRecord> record;
    if (reader == nullptr) {
      result.badLines.push_back({lineNumber, undetectedLine(line, registry)});
    } else {
      try {
        record = reader->read(line);
      } catch (const Error& e) {
        result.badLines.push_back({lineNumber, e.what()});
      }
    }
    if (record) {
      ImportedSample sample =
          toSample(std::move(*record), reader->name(), options, defaultBenchmark, verifier);
      sample.line = lineNumber;
      result.samples.push_back(std::move(sample));
    }
    if (options.maxBadLines >= 0 &&
        static_cast<std::int64_t>(result.badLines.size()) > options.maxBadLines) {
      const BadLine& bad = result.badLines.back();
      throw ParseError(
          sourceName, bad.line, "",
          bad.message + " (more than " + std::to_string(options.maxBadLines) + " bad lines)");
    }
  }
  return result;
}

ImportResult importGenerations(const std::filesystem::path& path, const math::Verifier* verifier,
                               const ImportOptions& options) {
  return parseGenerations(readFile(path), path.string(), verifier, options);
}

std::vector<AnalyzedSample> analyzeImport(ImportResult& result, const TraceDetector& detector,
                                          int threads, const TokenCounter& countTokens) {
  result.run.detector = detector.name();
  std::size_t count = result.samples.size();
  unsigned workers = threads > 0 ? static_cast<unsigned>(threads)
                                 : std::max(1u, std::thread::hardware_concurrency());
  workers =
      static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(1, count / 64)));
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      ImportedSample& sample = result.samples[i];
      TraceStats counted = analyzeTrace(detector, sample.completion, countTokens);
      counted.answer = std::move(sample.stats.answer);
      counted.correct = sample.stats.correct;
      sample.stats = std::move(counted);
    }
  };
  std::vector<std::thread> pool;
  std::size_t chunk = (count + workers - 1) / std::max(1u, workers);
  for (unsigned w = 1; w < workers; ++w) {
    pool.emplace_back(work, std::min(count, w * chunk), std::min(count, (w + 1) * chunk));
  }
  work(0, std::min(count, chunk));
  for (auto& thread : pool) thread.join();

  std::vector<AnalyzedSample> analyzed;
  analyzed.reserve(count);
  for (const ImportedSample& sample : result.samples) {
    analyzed.push_back({sample.problemId, sample.checkpoint, sample.benchmark, sample.stats});
  }
  return analyzed;
}

std::vector<math::Problem> samplesProblems(const ImportResult& imported) {
  std::vector<math::Problem> problems;
  problems.reserve(imported.samples.size());
  for (const ImportedSample& sample : imported.samples) {
    problems.push_back(
        {.id = sample.problemId, .question = sample.prompt, .answer = sample.goldAnswer});
  }
  return problems;
}

}  // namespace astro::analysis
