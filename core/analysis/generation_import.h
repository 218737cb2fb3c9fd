// Importing generations of other systems (JSONL, one sample per line) as an "imported run". How
// a line reads as prompt, completion, gold answer, checkpoint, benchmark and id is a generation
// format (generation_reader.h): "plain" is built in; chat and verl come from the
// generation-formats plugin (plugins/generation-formats), others from other plugins. The format
// is detected per line ("auto") unless forced by name. Every sample is graded with the given
// verifier against its gold answer; a line without a gold answer keeps the dump's own verdict
// (verl's score > 0) when it has one. Bad lines are reported with their line numbers and skipped.
// ImportResult is what the run store persists (run metadata + samples with their statistics).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/generation_reader.h"
#include "core/analysis/trace_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/math/verifier.h"

namespace astro::analysis {

// Throws astro::UsageError, naming the choices, unless `name` is "auto" or a registered format.
void checkGenerationFormat(std::string_view name);

struct ImportOptions {
  std::string format = std::string(kAutoGenerationFormat);  // or a registered format's name
  std::string benchmark = {};     // used when a line names none; empty: the file's stem
  std::string checkpoint = {};    // used when a line names none
  std::int64_t maxBadLines = -1;  // stop with astro::Error after this many; -1: never
};

struct ImportedSample {
  std::int64_t line = 0;         // 1-based line in the source file
  std::string format = "plain";  // the name of the format that read it
  std::string problemId;         // the line's id, else "sha256:" + 16 hex of the prompt
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

// The samples' problems (id, prompt as the question, gold answer), in sample order: what a
// domain is resolved from (domain_registry.h) to grade the samples and read their traces.
std::vector<math::Problem> samplesProblems(const ImportResult& imported);

// Parses and grades `text` (the content of `sourceName`) with generationReaderRegistry().
// `verifier` may be null (ungraded). Throws UsageError for an unknown options.format.
ImportResult parseGenerations(std::string_view text, const std::string& sourceName,
                              const math::Verifier* verifier, const ImportOptions& options = {});
ImportResult importGenerations(const std::filesystem::path& path, const math::Verifier* verifier,
                               const ImportOptions& options = {});

// Fills each sample's step/backtrack/token counts with `detector` (in parallel over `threads`,
// 0: all cores) and returns the samples as the summary's input.
std::vector<AnalyzedSample> analyzeImport(ImportResult& result, const TraceDetector& detector,
                                          int threads = 0, const TokenCounter& countTokens = {});

}  // namespace astro::analysis
