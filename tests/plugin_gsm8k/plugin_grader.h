// The GSM8K plugin opened the way the host opens it (dlopen, manifest, registration into a
// recording host), so tests call its C callbacks directly: the unit test on hand cases, the
// pipeline test to re-grade what a run recorded.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/plugin/astro_plugin.h"

namespace astro::test {

class Gsm8kPlugin {
 public:
  struct Grade {
    bool correct = false;
    bool found = false;
    std::string extracted;
    std::string rule;
    std::size_t offset = 0;
  };

  // Opens `file` and registers its domain; throws std::runtime_error saying what failed.
  explicit Gsm8kPlugin(const std::filesystem::path& file);
  ~Gsm8kPlugin();
  Gsm8kPlugin(const Gsm8kPlugin&) = delete;
  Gsm8kPlugin& operator=(const Gsm8kPlugin&) = delete;

  const AstroPluginManifest& manifest() const { return *manifest_; }
  const AstroDomainV1& domain() const { return *domain_; }
  const std::string& failure() const { return failure_; }  // what the plugin passed to fail()

  // grade() on `output` for a problem whose gold answer is `gold`; throws when grade fails.
  Grade grade(const std::string& gold, std::string_view output, const char* source = "gsm8k_test",
              std::size_t extractedSize = 256) const;
  bool claims(const char* id, const char* source, const char* answer) const;

 private:
  static int addDomain(const AstroPluginHost* host, const AstroDomainV1* domain);
  static int addFormat(const AstroPluginHost* host, const AstroGenerationFormatV1* format);
  static void fail(const AstroPluginHost* host, const char* reason);

  void* handle_ = nullptr;
  const AstroPluginManifest* manifest_ = nullptr;
  const AstroDomainV1* domain_ = nullptr;
  std::string failure_;
};

}  // namespace astro::test
