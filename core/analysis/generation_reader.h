// How one JSONL line of another system's generation dump reads as a sample, for
// `astro analyze --import` (generation_import.h). "plain" is built in; others (chat, verl) come
// from plugins through generationReaderRegistry(). Unless one is forced by name, the format is
// detected per line: the plugins' formats in registration order, then plain, the most general,
// last (the fallback).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace astro::analysis {

// The name that asks for detection per line instead of one format.
inline constexpr std::string_view kAutoGenerationFormat = "auto";

struct GenerationRecord {
  std::string prompt;
  std::string completion;
  std::string answer;           // gold answer; empty when the line has none
  std::string checkpoint;       // or a step number as text; empty when none
  std::string benchmark;        // empty when none
  std::string id;               // empty when none
  std::optional<double> score;  // the dump's own grade, when it has one
};

class GenerationReader {
 public:
  virtual ~GenerationReader() = default;
  virtual std::string_view name() const = 0;  // "plain", "verl"
  virtual std::string_view description() const = 0;
  // Whether `line` looks like this format (auto-detection); cheap, never throws.
  virtual bool detects(std::string_view line) const = 0;
  // Reads one line; throws astro::Error whose message names the field at fault.
  virtual GenerationRecord read(std::string_view line) const = 0;
};

class GenerationReaderRegistry {
 public:
  // Throws UsageError when the name is empty, "auto" or taken.
  void add(std::unique_ptr<GenerationReader> reader);
  // As add(), and makes it the one detect() tries last; throws UsageError if there is one.
  void addFallback(std::unique_ptr<GenerationReader> reader);
  // Throws UsageError naming the registered formats.
  const GenerationReader& find(std::string_view name) const;
  // The first reader, in registration order, that detects `line`, the fallback tried last;
  // nullptr when none does.
  const GenerationReader* detect(std::string_view line) const;
  std::vector<std::string> names() const;  // registration order, "plain" first
  bool contains(std::string_view name) const;
  // What `--format` may say: "auto", then names(); quoted and comma-separated for messages.
  std::vector<std::string> choices() const;
  std::string quotedChoices() const;

 private:
  const GenerationReader* lookup(std::string_view name) const;

  std::vector<std::unique_ptr<GenerationReader>> readers_;
  const GenerationReader* fallback_ = nullptr;
};

// The process's registry with "plain" (the fallback) added on first use (thread-safe). Plugins
// add theirs at start-up, before any other thread looks one up.
GenerationReaderRegistry& generationReaderRegistry();

}  // namespace astro::analysis
