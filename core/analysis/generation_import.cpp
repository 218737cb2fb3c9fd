#include "core/analysis/generation_import.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"

namespace astro::analysis {

namespace {

using nlohmann::json;

// A bad line: thrown inside the per-line parser, caught and reported by the loop.
struct LineProblem {
  std::string message;
};

const json* findFirst(const json& object, std::initializer_list<const char*> keys,
                      const char** foundKey = nullptr) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && !it->is_null()) {
      if (foundKey) *foundKey = key;
      return &*it;
    }
  }
  return nullptr;
}

std::string textField(const json& object, std::initializer_list<const char*> keys, bool required,
                      const char* what) {
  const char* key = nullptr;
  const json* value = findFirst(object, keys, &key);
  if (!value) {
    if (!required) return {};
    std::string names;
    for (const char* k : keys) names += std::string(names.empty() ? "\"" : ", \"") + k + "\"";
    throw LineProblem{std::string("missing ") + what + " (one of " + names + ")"};
  }
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number()) return value->dump();
  // verl writes ground truth as a list when a problem has several accepted answers.
  if (value->is_array() && !value->empty() && (*value)[0].is_string()) {
    return (*value)[0].get<std::string>();
  }
  throw LineProblem{std::string("field '") + key + "': expected a string, found " +
                    value->type_name()};
}

GenerationFormat detectFormat(const json& object) {
  if (object.contains("messages")) return GenerationFormat::kChat;
  if (object.contains("input") && object.contains("output")) return GenerationFormat::kVerl;
  return GenerationFormat::kPlain;
}

void readChat(const json& object, ImportedSample& sample) {
  const json& messages = object.at("messages");
  if (!messages.is_array()) throw LineProblem{"field 'messages': expected an array"};
  int lastAssistant = -1;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& message = messages[i];
    if (!message.is_object() || !message.contains("role") || !message["role"].is_string() ||
        !message.contains("content") || !message["content"].is_string()) {
      throw LineProblem{"field 'messages[" + std::to_string(i) +
                        "]': expected {\"role\": string, \"content\": string}"};
    }
    if (message["role"] == "assistant") lastAssistant = static_cast<int>(i);
  }
  if (lastAssistant < 0) throw LineProblem{"field 'messages': no assistant message"};
  sample.completion = messages[static_cast<std::size_t>(lastAssistant)]["content"];
  for (int i = lastAssistant - 1; i >= 0; --i) {
    if (messages[static_cast<std::size_t>(i)]["role"] == "user") {
      sample.prompt = messages[static_cast<std::size_t>(i)]["content"];
      break;
    }
  }
}

ImportedSample readSample(const json& object, GenerationFormat forced, const ImportOptions& options,
                          const std::string& defaultBenchmark, const math::Verifier* verifier) {
  if (!object.is_object()) throw LineProblem{"expected a JSON object"};
  ImportedSample sample;
  sample.format = forced == GenerationFormat::kAuto ? detectFormat(object) : forced;
  std::optional<double> score;
  switch (sample.format) {
    case GenerationFormat::kChat:
      if (!object.contains("messages")) throw LineProblem{"missing field 'messages'"};
      readChat(object, sample);
      break;
    case GenerationFormat::kVerl:
      sample.prompt = textField(object, {"input"}, true, "prompt");
      sample.completion = textField(object, {"output"}, true, "completion");
      if (const json* value = findFirst(object, {"score", "acc"})) {
        if (!value->is_number() && !value->is_boolean()) {
          throw LineProblem{"field 'score': expected a number"};
        }
        score = value->is_boolean() ? (value->get<bool>() ? 1.0 : 0.0) : value->get<double>();
      }
      break;
    case GenerationFormat::kPlain:
    case GenerationFormat::kAuto:
      sample.prompt = textField(object, {"prompt", "problem", "question"}, true, "prompt");
      sample.completion =
          textField(object, {"completion", "response", "generation", "output"}, true, "completion");
      break;
  }
  sample.goldAnswer = textField(object, {"answer", "gts", "ground_truth", "gold"}, false, "answer");
  sample.checkpoint = textField(object, {"checkpoint", "step"}, false, "checkpoint");
  if (sample.checkpoint.empty()) sample.checkpoint = options.checkpoint;
  sample.benchmark = textField(object, {"benchmark", "data_source"}, false, "benchmark");
  if (sample.benchmark.empty()) sample.benchmark = defaultBenchmark;
  sample.problemId = textField(object, {"id", "problem_id", "unique_id", "idx"}, false, "id");
  if (sample.problemId.empty())
    sample.problemId = "sha256:" + sha256Hex(sample.prompt).substr(0, 16);

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
    if (score) {
      sample.stats.correct = *score > 0;
      sample.gradedBy = "score";
    }
  }
  return sample;
}

}  // namespace

std::string_view generationFormatName(GenerationFormat format) {
  switch (format) {
    case GenerationFormat::kAuto:
      return "auto";
    case GenerationFormat::kPlain:
      return "plain";
    case GenerationFormat::kChat:
      return "chat";
    case GenerationFormat::kVerl:
      return "verl";
  }
  return "auto";
}

GenerationFormat generationFormatFromName(std::string_view name) {
  for (auto format : {GenerationFormat::kAuto, GenerationFormat::kPlain, GenerationFormat::kChat,
                      GenerationFormat::kVerl}) {
    if (generationFormatName(format) == name) return format;
  }
  throw UsageError("unknown generation format '" + std::string(name) +
                   "' (use auto, plain, chat or verl)");
}

ImportResult parseGenerations(std::string_view text, const std::string& sourceName,
                              const math::Verifier* verifier, const ImportOptions& options) {
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
    try {
      json object = json::parse(line);
      ImportedSample sample =
          readSample(object, options.format, options, defaultBenchmark, verifier);
      sample.line = lineNumber;
      result.samples.push_back(std::move(sample));
    } catch (const json::exception& e) {
      result.badLines.push_back({lineNumber, std::string("invalid JSON: ") + e.what()});
    } catch (const LineProblem& problem) {
      result.badLines.push_back({lineNumber, problem.message});
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

}  // namespace astro::analysis
