// The phrases a rendered trace inserts between steps: reflections, returns to a named step
// (backtrack templates with a {step} placeholder), restarts, answer checks and final-answer
// templates ({answer}). A run records the set it used (id + content hash + content), so the
// analysis detector can parse the markers back exactly.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace astro::search {

struct PhraseSet {
  std::string id;
  // ASTRO's reflection (arXiv 2507.00417, Sec. 2 procedure cloning and its CoT figures):
  // "But wait, are we solving the problem correctly so far? Hmm..."
  std::vector<std::string> reflections;
  std::vector<std::string> backtracks;    // each contains "{step}" exactly once
  std::vector<std::string> restarts;      // no placeholder
  std::vector<std::string> answerChecks;  // no placeholder; confirm the reached answer
  std::vector<std::string> finalAnswers;  // each contains "{answer}" once, inside \boxed{}

  // Canonical JSON: {"id", "sha256", "reflections", "backtracks", "restarts", "answer_checks",
  // "final_answers"}.
  nlohmann::ordered_json toJson() const;
  // SHA-256 of the canonical JSON of the phrase lists (the id is a name, not content).
  std::string contentHash() const;
};

// The set shipped as resources/phrases/astro_default.json, compiled in so no file is needed.
const PhraseSet& defaultPhraseSet();

// Checks the rules above (non-empty lists, placeholders, no "\n\n" inside a phrase so markers
// never split a step boundary); throws astro::Error "<source>: <field>[i]: ...".
void validatePhraseSet(const PhraseSet& phrases, std::string_view source);

// Checks that no phrase contains `stepDelimiter` (a domain's, domain.h), which would split a
// marker into two steps; throws astro::Error "<source>: <field>[i]: contains the step delimiter
// \"\n\"" naming the first such phrase.
void validatePhrasesForDelimiter(const PhraseSet& phrases, std::string_view stepDelimiter,
                                 std::string_view source);

// Parses and validates; a "sha256" key, when present, must match the content.
PhraseSet phraseSetFromJson(const nlohmann::json& document, std::string_view source);
PhraseSet loadPhraseSet(const std::filesystem::path& path);

// Placeholders as they appear in templates.
inline constexpr std::string_view kStepPlaceholder = "{step}";
inline constexpr std::string_view kAnswerPlaceholder = "{answer}";

// Replaces the single `placeholder` in `pattern` by `value`.
std::string fillTemplate(std::string_view pattern, std::string_view placeholder,
                         std::string_view value);

}  // namespace astro::search
