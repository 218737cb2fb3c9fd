// JSONL dataset loaders: MATH / MATH-500 (and MATH train, whose answer is the last \boxed{} of the
// solution), AMC/AIME as shipped by Qwen2.5-Math, GSM8K ("#### N") and a generic
// {"problem", "answer"} form, and any other format a problem domain reads itself (RecordReader).
// Malformed lines stop the load with file:line: field, or are skipped and counted with
// LoadOptions::skipBad.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/math/problem.h"

namespace astro::math {

enum class DatasetFormat { kAuto, kMath, kCompetition, kGsm8k, kGeneric };

const char* formatName(DatasetFormat format);
// "auto", "math", "competition" (also "amc", "aime"), "gsm8k", "generic"; nullopt otherwise.
std::optional<DatasetFormat> parseFormatName(std::string_view name);

// Thrown by a record reader for one line: the field at fault ("" for the whole line) and why.
// loadDataset turns it into a ParseError "<file>:<line>: field '<field>': <what>" (strict) or a
// SkippedLine (skipBad).
struct RecordError {
  std::string field;
  std::string what;
};

// A dataset format from outside core/math: a problem domain's own reader
// (domain::Domain::datasetReader, core/domain/dataset_reading.h). With the format kAuto, the
// readers are asked in order, before the built-in formats, and the first that detects a record
// reads every line of the file.
struct RecordReader {
  std::string name;  // LoadedDataset::reader and the format the store records: "gsm8k"
  std::function<bool(std::string_view line)> detects;  // one JSONL line, a JSON object
  // The problem in one line; throws RecordError. An empty id becomes "<source>:<line>"; the
  // source is always the loader's.
  std::function<Problem(std::string_view line)> read;
};

struct LoadOptions {
  bool skipBad = false;
  DatasetFormat format = DatasetFormat::kAuto;  // kAuto: detected from the first record's fields
  std::string name;                             // Problem::source; default: the file's stem
  std::vector<RecordReader> readers;            // tried first when format is kAuto
};

struct SkippedLine {
  std::int64_t line = 0;
  std::string reason;  // the message a strict load would have thrown
};

struct LoadedDataset {
  std::vector<Problem> problems;
  std::vector<SkippedLine> skipped;
  DatasetFormat format = DatasetFormat::kAuto;  // the format used (detected or forced)
  std::string reader;  // the RecordReader that read the file, "" when a built-in format did
};

// What the run store registers for a dataset (the lead wires it to the DatasetRepository).
struct DatasetInfo {
  std::string name;
  std::string path;
  std::string sha256;  // of the file's bytes
  std::string format;
  std::int64_t records = 0;
};

// Throws IoError (unreadable file) or ParseError ("<file>:<line>: field '<f>': ...") when a line
// is malformed and !skipBad; an empty file is always an error.
LoadedDataset loadDataset(const std::filesystem::path& path, const LoadOptions& options = {});

DatasetInfo describeDataset(const std::filesystem::path& path, const LoadedDataset& loaded,
                            std::string name = {});

// True when `bytes` is well-formed UTF-8 (no overlong forms or surrogates).
bool isValidUtf8(std::string_view bytes);

// The detected format of one record, or nullopt when its fields match none.
std::optional<DatasetFormat> detectFormat(const nlohmann::json& record);

}  // namespace astro::math
