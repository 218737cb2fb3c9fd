#include "core/domain/countdown_phrases.h"

namespace astro::domain {

const search::PhraseSet& countdownPhraseSet() {
  static const search::PhraseSet phrases = [] {
    // Keep equal to resources/phrases/countdown_compact.json, which the pipeline presets name
    // (countdown_phrases_test compares them).
    search::PhraseSet set;
    set.id = "countdown-compact-v1";
    set.reflections = {"Wait, is this right?"};
    set.backtracks = {"No. Back to \"{step}\"."};
    set.restarts = {"No. Start over."};
    set.answerChecks = {"Yes, it is right."};
    set.finalAnswers = {"So the answer is \\boxed{{answer}}."};
    search::validatePhraseSet(set, "countdownPhraseSet");
    return set;
  }();
  return phrases;
}

}  // namespace astro::domain
