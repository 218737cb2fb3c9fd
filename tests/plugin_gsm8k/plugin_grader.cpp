// Gsm8kPlugin (plugin_grader.h): dlopen and a host that records what the plugin registers.
#include "tests/plugin_gsm8k/plugin_grader.h"

#include <dlfcn.h>

#include <stdexcept>

namespace astro::test {

Gsm8kPlugin::Gsm8kPlugin(const std::filesystem::path& file) {
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
  auto manifestFunction =
      reinterpret_cast<AstroPluginManifestFunction>(dlsym(handle_, ASTRO_PLUGIN_MANIFEST_SYMBOL));
  auto registerFunction =
      reinterpret_cast<AstroPluginRegisterFunction>(dlsym(handle_, ASTRO_PLUGIN_REGISTER_SYMBOL));
  if (manifestFunction == nullptr || registerFunction == nullptr) {
    throw std::runtime_error(file.string() + " lacks an entry point");
  }
  manifest_ = manifestFunction();
  const AstroPluginHost host{.struct_size = sizeof(AstroPluginHost),
                             .api_version = ASTRO_PLUGIN_API_VERSION,
                             .host_version = "test",
                             .host_context = this,
                             .add_domain = &Gsm8kPlugin::addDomain,
                             .add_generation_format = &Gsm8kPlugin::addFormat,
                             .fail = &Gsm8kPlugin::fail};
  if (registerFunction(&host) != 0) {
    throw std::runtime_error("astro_plugin_register failed: " + failure_);
  }
  if (domain_ == nullptr) throw std::runtime_error("the plugin registered no domain");
}

Gsm8kPlugin::~Gsm8kPlugin() {
  if (handle_ != nullptr) dlclose(handle_);
}

int Gsm8kPlugin::addDomain(const AstroPluginHost* host, const AstroDomainV1* domain) {
  auto* self = static_cast<Gsm8kPlugin*>(host->host_context);
  if (self->domain_ != nullptr) return 1;  // one domain only
  self->domain_ = domain;
  return 0;
}

int Gsm8kPlugin::addFormat(const AstroPluginHost*, const AstroGenerationFormatV1*) { return 1; }

void Gsm8kPlugin::fail(const AstroPluginHost* host, const char* reason) {
  static_cast<Gsm8kPlugin*>(host->host_context)->failure_ = reason;
}

Gsm8kPlugin::Grade Gsm8kPlugin::grade(const std::string& gold, std::string_view output,
                                      const char* source, std::size_t extractedSize) const {
  const AstroProblem problem{.id = "gsm8k_test:1",
                             .question = "Q?",
                             .answer = gold.c_str(),
                             .source = source,
                             .extra_json = "{}"};
  std::string extracted(extractedSize, '\0');
  std::string rule(64, '\0');
  AstroVerdict verdict{};
  verdict.extracted = extracted.data();
  verdict.extracted_size = extracted.size();
  verdict.rule = rule.data();
  verdict.rule_size = rule.size();
  if (domain_->grade(domain_->context, &problem, output.data(), output.size(), &verdict) != 0) {
    throw std::runtime_error("grade returned an error");
  }
  return Grade{.correct = verdict.correct != 0,
               .found = verdict.answer_found != 0,
               .extracted = extracted.c_str(),
               .rule = rule.c_str(),
               .offset = verdict.answer_offset};
}

bool Gsm8kPlugin::claims(const char* id, const char* source, const char* answer) const {
  const AstroProblem problem{
      .id = id, .question = "Q?", .answer = answer, .source = source, .extra_json = "{}"};
  return domain_->claims(domain_->context, &problem) != 0;
}

}  // namespace astro::test
