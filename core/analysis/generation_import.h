// Importing generations of other systems (JSONL, one sample per line) as an "imported run":
//  - plain:  {"prompt"|"problem"|"question", "completion"|"response"|"generation", "answer",
//             optional "checkpoint"|"step", "benchmark", "id"|"problem_id"|"unique_id"}
//  - chat:   {"messages": [{"role", "content"}, ...], "answer", ...}: the completion is the last
//             assistant message, the prompt the last user message before it
//  - verl:   verl's rollout/validation dump (trainer.rollout_data_dir / validation_data_dir,
//             RayPPOTrainer._dump_generations): {"input", "output", "score", "step", optional
//             "gts", "data_source", reward extras}; "input" is the chat-templated prompt
// The format is detected per line unless forced. Every sample is graded with the math verifier
// against its gold answer; a verl line without a gold answer keeps verl's verdict (score > 0).
// Bad lines are reported with their line numbers and skipped. ImportResult is what the run store
// persists (run metadata + samples with their statistics).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/trace_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/math/verifier.h"

namespace astro::analysis {

enum class GenerationFormat { kAuto, kPlain, kChat, kVerl };
std::string_view generationFormatName(GenerationFormat format);  // "auto", "plain", "chat", "verl"
GenerationFormat generationFormatFromName(std::string_view name);  // throws astro::UsageError

struct ImportOptions {
  GenerationFormat format = GenerationFormat::kAuto;
  std::string benchmark = {};     // used when a line names none; empty: the file's stem
  std::string checkpoint = {};    // used when a line names none
  std::int64_t maxBadLines = -1;  // stop with astro::Error after this many; -1: never
};

struct ImportedSample {
  std::int64_t line = 0;  // 1-based line in the source file
  GenerationFormat format = GenerationFormat::kPlain;
  std::string problemId;  // the line's id, else "sha256:" + 16 hex of the prompt
  std::string prompt;
  std::string completion;
  std::string goldAnswer;  // empty when the line has none
  std::string checkpoint;
  std::string benchmark;
  std::string gradedBy;  // "verifier:<name>", "score" (verl's own) or "" (ungraded)
  TraceStats stats;      // counts filled by analyzeImport; answer/correct by grading
};

struct BadLine {
  std::int64_t line = 0;
  std::string message;  // names the field at fault
};

struct ImportedRunInfo {
  std::string name;  // the file name
  std::string sourcePath;
  std::string sourceSha256;  // of the whole file, to recognise a re-import
  std::int64_t lines = 0;    // non-empty lines read
  std::string verifier;      // name of the verifier used, "" when none
  std::string detector;      // name of the detector used by analyzeImport
};

struct ImportResult {
  ImportedRunInfo run;
  std::vector<ImportedSample> samples;
  std::vector<BadLine> badLines;
};

// Parses and grades `text` (the content of `sourceName`). `verifier` may be null (ungraded).
ImportResult parseGenerations(std::string_view text, const std::string& sourceName,
                              const math::Verifier* verifier, const ImportOptions& options = {});
ImportResult importGenerations(const std::filesystem::path& path, const math::Verifier* verifier,
                               const ImportOptions& options = {});

// Fills each sample's step/backtrack/token counts with `detector` (in parallel over `threads`,
// 0: all cores) and returns the samples as the summary's input.
std::vector<AnalyzedSample> analyzeImport(ImportResult& result, const TraceDetector& detector,
                                          int threads = 0, const TokenCounter& countTokens = {});

}  // namespace astro::analysis
