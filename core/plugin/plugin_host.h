// The AstroPluginHost one plugin registers against, in-process. It stages what the plugin adds
// (a domain::Domain per AstroDomainV1, a GenerationReader per AstroGenerationFormatV1) and checks
// each name against the registries and the plugin's other names; commit() adds them only when
// registration succeeded as a whole, so nothing of a refused plugin stays registered.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/analysis/generation_reader.h"
#include "core/domain/domain_registry.h"
#include "core/plugin/astro_plugin.h"

namespace astro::plugin {

class StagingHost {
 public:
  // The registries are read for name collisions until commit() adds to them.
  StagingHost(std::string pluginName, domain::DomainRegistry& domains,
              analysis::GenerationReaderRegistry& readers);
  StagingHost(const StagingHost&) = delete;
  StagingHost& operator=(const StagingHost&) = delete;

  // Calls the plugin's astro_plugin_register with this host, catching what it throws. Returns
  // "" when everything it registered is staged, else the refusal: the fail() reason, a refused
  // name, or the exception.
  std::string registerPlugin(AstroPluginRegisterFunction registerFunction);
  // Adds what was staged to the registries. Only after registerPlugin returned "".
  void commit();
  // "domain:gsm8k", "format:verl": what was staged, in order.
  const std::vector<std::string>& staged() const { return staged_; }

 private:
  static StagingHost& of(const AstroPluginHost* host);
  static int addDomain(const AstroPluginHost* host, const AstroDomainV1* domain);
  static int addFormat(const AstroPluginHost* host, const AstroGenerationFormatV1* format);
  static void fail(const AstroPluginHost* host, const char* reason);
  int refuse(std::string reason);
  bool stagedName(const std::string& key) const;

  std::string pluginName_;
  domain::DomainRegistry& domains_;
  analysis::GenerationReaderRegistry& readers_;
  AstroPluginHost host_;
  // The readers point at these copies of the plugin's descriptors (declared first, destroyed
  // after them); kept for the process once committed (formats are never unregistered).
  std::vector<std::unique_ptr<AstroGenerationFormatV1>> formatDescriptors_;
  std::vector<std::unique_ptr<domain::Domain>> stagedDomains_;
  std::vector<std::unique_ptr<analysis::GenerationReader>> stagedReaders_;
  std::vector<std::string> staged_;
  std::string refusal_;  // the first add_* refused
  std::string failure_;  // what fail() said
};

}  // namespace astro::plugin
