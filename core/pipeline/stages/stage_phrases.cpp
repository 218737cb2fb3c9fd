// stagePhrases and stageDetector (stage_phrases.h).
#include "core/pipeline/stages/stage_phrases.h"

namespace astro::pipeline {

search::PhraseSet stagePhrases(const domain::Domain& domain, const StageContext& context) {
  if (context.inputs.contains("phrases")) return search::loadPhraseSet(context.input("phrases"));
  return domain.phraseSet();
}

std::shared_ptr<const analysis::ExactDetector> stageDetector(const domain::Domain& domain,
                                                             const StageContext& context) {
  return analysis::ExactDetector::forDomain(domain, stagePhrases(domain, context));
}

}  // namespace astro::pipeline
