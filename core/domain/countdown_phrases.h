// The countdown world's default phrase set (CountdownDomain::phraseSet): what procedure cloning
// writes and the exact detector reads back for countdown puzzles unless a run names another. The
// paper's set (astro-default-v1) is English a pretrained LLM already reads; the world's tokenizer
// spells it in characters (~150 tokens per return, ~10x a Direct solution) and its base policy
// has never seen a word of it. These phrases keep the same structure, a reflection joined to a
// return that names the step it goes back to (or a restart), in a handful of words.
#pragma once

#include "core/search/phrase_set.h"

namespace astro::domain {

const search::PhraseSet& countdownPhraseSet();  // id "countdown-compact-v1"

}  // namespace astro::domain
