// GenerationReaderRegistry: registration, lookup with an error that lists the registered formats,
// detection per line (generation_reader.h), and the process's registry with "plain" built in.
#include <algorithm>

#include "core/analysis/generation_reader.h"
#include "core/analysis/plain_generation_reader.h"
#include "core/base/error.h"

namespace astro::analysis {

void GenerationReaderRegistry::add(std::unique_ptr<GenerationReader> reader) {
  if (!reader) throw UsageError("generation formats: no reader given");
  const std::string name(reader->name());
  if (name.empty()) throw UsageError("generation formats: a format needs a name");
  if (name == kAutoGenerationFormat) {
    throw UsageError("generation formats: '" + name + "' names detection per line, not a format");
  }
  if (lookup(name) != nullptr) {
    throw UsageError("generation formats: format '" + name + "' is already registered");
  }
  readers_.push_back(std::move(reader));
}

void GenerationReaderRegistry::addFallback(std::unique_ptr<GenerationReader> reader) {
  if (fallback_ != nullptr) {
    throw UsageError("generation formats: '" + std::string(fallback_->name()) +
                     "' is already the fallback of detection");
  }
  add(std::move(reader));
  fallback_ = readers_.back().get();
}

const GenerationReader* GenerationReaderRegistry::lookup(std::string_view name) const {
  for (const auto& reader : readers_) {
    if (reader->name() == name) return reader.get();
  }
  return nullptr;
}

const GenerationReader& GenerationReaderRegistry::find(std::string_view name) const {
  const GenerationReader* found = lookup(name);
  if (found == nullptr) {
    throw UsageError("unknown generation format '" + std::string(name) + "': one of " +
                     quotedChoices() + " (`astro plugins` lists the loaded plugins)");
  }
  return *found;
}

const GenerationReader* GenerationReaderRegistry::detect(std::string_view line) const {
  for (const auto& reader : readers_) {
    if (reader.get() != fallback_ && reader->detects(line)) return reader.get();
  }
  if (fallback_ != nullptr && fallback_->detects(line)) return fallback_;
  return nullptr;
}

std::vector<std::string> GenerationReaderRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& reader : readers_) names.emplace_back(reader->name());
  return names;
}

bool GenerationReaderRegistry::contains(std::string_view name) const {
  return lookup(name) != nullptr;
}

std::vector<std::string> GenerationReaderRegistry::choices() const {
  std::vector<std::string> choices{std::string(kAutoGenerationFormat)};
  for (std::string& name : names()) choices.push_back(std::move(name));
  return choices;
}

std::string GenerationReaderRegistry::quotedChoices() const {
  std::string text;
  for (const std::string& choice : choices()) {
    text += (text.empty() ? "\"" : ", \"") + choice + "\"";
  }
  return text;
}

GenerationReaderRegistry& generationReaderRegistry() {
  static GenerationReaderRegistry registry = [] {
    GenerationReaderRegistry builtIn;
    builtIn.addFallback(std::make_unique<PlainGenerationReader>());
    return builtIn;
  }();
  return registry;
}

}  // namespace astro::analysis
