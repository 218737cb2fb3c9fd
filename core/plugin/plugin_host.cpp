// StagingHost (plugin_host.h): the host functions a plugin calls, staging and checking, and the
// commit into the registries.
#include "core/plugin/plugin_host.h"

#include <algorithm>
#include <exception>

#include "core/plugin/c_domain.h"
#include "core/plugin/c_generation_reader.h"
#include "core/plugin/plugin_descriptors.h"

namespace astro::plugin {

namespace {

// Descriptors of committed formats; their readers point at them for the life of the process.
std::vector<std::unique_ptr<AstroGenerationFormatV1>>& keptFormatDescriptors() {
  static std::vector<std::unique_ptr<AstroGenerationFormatV1>> kept;
  return kept;
}

}  // namespace

StagingHost::StagingHost(std::string pluginName, domain::DomainRegistry& domains,
                         analysis::GenerationReaderRegistry& readers)
    : pluginName_(std::move(pluginName)),
      domains_(domains),
      readers_(readers),
      host_{sizeof(AstroPluginHost), ASTRO_PLUGIN_API_VERSION, ASTRO_VERSION,     this,
            &StagingHost::addDomain, &StagingHost::addFormat,  &StagingHost::fail} {}

StagingHost& StagingHost::of(const AstroPluginHost* host) {
  return *static_cast<StagingHost*>(host->host_context);
}

int StagingHost::refuse(std::string reason) {
  if (refusal_.empty()) refusal_ = std::move(reason);
  return 1;
}

bool StagingHost::stagedName(const std::string& key) const {
  return std::find(staged_.begin(), staged_.end(), key) != staged_.end();
}

// The host functions are called from the plugin's C code: nothing may be thrown back into it.
int StagingHost::addDomain(const AstroPluginHost* host, const AstroDomainV1* domain) {
  StagingHost& self = of(host);
  try {
    if (std::string problem = checkDomain(domain); !problem.empty()) {
      return self.refuse(std::move(problem));
    }
    const std::string name = domain->name;
    const std::string key = "domain:" + name;
    if (self.stagedName(key)) return self.refuse("domain '" + name + "' is registered twice");
    const std::vector<std::string> taken = self.domains_.names();
    if (std::find(taken.begin(), taken.end(), name) != taken.end()) {
      return self.refuse("domain '" + name + "' is already registered");
    }
    self.stagedDomains_.push_back(std::make_unique<CDomain>(*domain, self.pluginName_));
    self.staged_.push_back(key);
    return 0;
  } catch (const std::exception& error) {
    return self.refuse(std::string("add_domain: ") + error.what());
  }
}

int StagingHost::addFormat(const AstroPluginHost* host, const AstroGenerationFormatV1* format) {
  StagingHost& self = of(host);
  try {
    if (std::string problem = checkFormat(format); !problem.empty()) {
      return self.refuse(std::move(problem));
    }
    const std::string name = format->name;
    const std::string key = "format:" + name;
    if (self.stagedName(key)) {
      return self.refuse("generation format '" + name + "' is registered twice");
    }
    if (self.readers_.contains(name)) {
      return self.refuse("generation format '" + name + "' is already registered");
    }
    self.formatDescriptors_.push_back(
        std::make_unique<AstroGenerationFormatV1>(copyFormat(*format)));
    self.stagedReaders_.push_back(
        wrapGenerationFormat(*self.formatDescriptors_.back(), self.pluginName_));
    self.staged_.push_back(key);
    return 0;
  } catch (const std::exception& error) {
    return self.refuse(std::string("add_generation_format: ") + error.what());
  }
}

void StagingHost::fail(const AstroPluginHost* host, const char* reason) {
  StagingHost& self = of(host);
  if (self.failure_.empty()) {
    self.failure_ = reason != nullptr && *reason != '\0' ? reason : "(fail() gave no reason)";
  }
}

std::string StagingHost::registerPlugin(AstroPluginRegisterFunction registerFunction) {
  int status = 0;
  try {
    status = registerFunction(&host_);
  } catch (const std::exception& error) {
    return std::string("threw a C++ exception while registering: ") + error.what();
  } catch (...) {
    return "threw a C++ exception while registering (not a std::exception)";
  }
  // The probe words these the same (probe_main.cpp). A refused add_* explains a non-zero return
  // better than the bare status does: plugins typically return 1 when an add fails.
  if (!failure_.empty()) return "registration failed: " + failure_;
  if (!refusal_.empty()) return refusal_;
  if (status != 0) {
    return "registration failed: astro_plugin_register returned " + std::to_string(status) +
           " without calling fail()";
  }
  return {};
}

void StagingHost::commit() {
  // Names were checked against the registries when staged and nothing else registers while
  // plugins load (start-up, one thread), so these adds do not throw.
  for (auto& domain : stagedDomains_) domains_.add(std::move(domain));
  for (auto& reader : stagedReaders_) readers_.add(std::move(reader));
  for (auto& descriptor : formatDescriptors_)
    keptFormatDescriptors().push_back(std::move(descriptor));
  stagedDomains_.clear();
  stagedReaders_.clear();
  formatDescriptors_.clear();
}

}  // namespace astro::plugin
