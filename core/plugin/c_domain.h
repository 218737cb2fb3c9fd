// A plugin's problem domain (AstroDomainV1, astro_plugin.h) as the host's domain::Domain: its
// claims test, a math::Verifier over its grade function and, when it has them, a StepValidator
// (accepts_step), a dataset reader (reads_record, read_record), a step delimiter and a phrase
// set. Problems cross as C strings; nothing the plugin throws crosses back.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/domain/domain.h"
#include "core/plugin/astro_plugin.h"

namespace astro::plugin {

class CDomain : public domain::Domain {
 public:
  // `descriptor` is copied (plugin_descriptors.h, copyDomain); its strings and context must live
  // as long as the process (a loaded plugin is never unloaded). `pluginName` prefixes errors.
  CDomain(const AstroDomainV1& descriptor, std::string pluginName);

  std::string_view name() const override { return descriptor_.name; }
  std::string_view description() const override;
  // Throws astro::Error when the plugin's claims function throws.
  bool claims(const math::Problem& problem) const override;
  std::unique_ptr<math::Verifier> makeVerifier() const override;
  std::unique_ptr<domain::StepValidator> makeStepValidator() const override;
  // The plugin's reads_record and read_record, when it has them; their errors name the plugin.
  std::optional<math::RecordReader> datasetReader() const override;
  // The plugin's step_delimiter and phrase_set_json, or the defaults where it gives none.
  std::string_view stepDelimiter() const override;
  const search::PhraseSet& phraseSet() const override;

  // What the verifiers and validators made from this domain share with it.
  struct Shared {
    AstroDomainV1 descriptor;
    std::string pluginName;
    // Version 1 promises a plugin nothing about concurrent calls, so the host never makes two
    // at once into one domain (evaluation grades from several threads); grading is cheap next
    // to the generation it grades.
    std::mutex calls;
  };

 private:
  AstroDomainV1 descriptor_;
  std::shared_ptr<Shared> shared_;
  std::string stepDelimiter_{domain::kDefaultStepDelimiter};
  std::optional<search::PhraseSet> phrases_;
};

}  // namespace astro::plugin
