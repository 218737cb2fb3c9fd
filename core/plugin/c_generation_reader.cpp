// wrapGenerationFormat (c_generation_reader.h): each call hands the plugin a NUL-terminated copy
// of the line, copies the record out before the next call, and serialises calls on one format
// (the ABI lets a plugin keep per-call state in its context).
#include "core/plugin/c_generation_reader.h"

#include <array>
#include <mutex>

#include "core/base/error.h"

namespace astro::plugin {

namespace {

std::string copied(const char* text) { return text ? std::string(text) : std::string(); }

class CGenerationReader final : public analysis::GenerationReader {
 public:
  CGenerationReader(const AstroGenerationFormatV1& format, std::string pluginName)
      : format_(format),
        pluginName_(std::move(pluginName)),
        name_(copied(format.name)),
        description_(copied(format.description)) {}

  std::string_view name() const override { return name_; }
  std::string_view description() const override { return description_; }

  // A format without `detects` is only used when named (--format).
  bool detects(std::string_view line) const override {
    if (format_.detects == nullptr) return false;
    std::lock_guard lock(mutex_);
    line_.assign(line);
    try {
      return format_.detects(format_.context, line_.c_str(), line_.size()) != 0;
    } catch (...) {  // the ABI forbids it; a plugin that throws anyway detects nothing
      return false;
    }
  }

  analysis::GenerationRecord read(std::string_view line) const override {
    std::lock_guard lock(mutex_);
    line_.assign(line);
    AstroGenerationRecord record{};
    std::array<char, 2048> error{};
    int status = 0;
    try {
      status = format_.read(format_.context, line_.c_str(), line_.size(), &record, error.data(),
                            error.size());
    } catch (const std::exception& e) {
      throw Error("plugin " + pluginName_ + ": format " + name_ + " threw: " + e.what());
    } catch (...) {
      throw Error("plugin " + pluginName_ + ": format " + name_ + " threw");
    }
    if (status != 0) {
      error.back() = '\0';
      std::string why = error[0] != '\0' ? error.data() : "format " + name_ + " failed (no reason)";
      throw Error("plugin " + pluginName_ + ": " + why);
    }
    analysis::GenerationRecord out;
    out.prompt = copied(record.prompt);
    out.completion = copied(record.completion);
    out.answer = copied(record.answer);
    out.checkpoint = copied(record.checkpoint);
    out.benchmark = copied(record.benchmark);
    out.id = copied(record.id);
    if (record.has_score) out.score = record.score;
    return out;
  }

 private:
  const AstroGenerationFormatV1 format_;  // the plugin's strings and callbacks stay loaded
  std::string pluginName_;
  std::string name_;
  std::string description_;
  mutable std::mutex mutex_;
  mutable std::string line_;  // the line as C text, for the call under mutex_
};

}  // namespace

std::unique_ptr<analysis::GenerationReader> wrapGenerationFormat(
    const AstroGenerationFormatV1& format, std::string pluginName) {
  if (format.struct_size < sizeof(AstroGenerationFormatV1)) {
    throw Error("plugin " + pluginName + ": generation format descriptor of " +
                std::to_string(format.struct_size) + " bytes, version 1 needs " +
                std::to_string(sizeof(AstroGenerationFormatV1)));
  }
  if (format.name == nullptr || format.name[0] == '\0') {
    throw Error("plugin " + pluginName + ": generation format without a name");
  }
  if (format.read == nullptr) {
    throw Error("plugin " + pluginName + ": generation format '" + format.name + "' has no read");
  }
  return std::make_unique<CGenerationReader>(format, std::move(pluginName));
}

}  // namespace astro::plugin
