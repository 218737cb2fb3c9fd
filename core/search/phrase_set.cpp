// PhraseSet: the built-in default, JSON parsing with validation, canonical form and content hash.
#include "core/search/phrase_set.h"

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"

namespace astro::search {

namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, const std::string& where, const std::string& what) {
  throw Error(std::string(source) + ": " + where + ": " + what);
}

std::size_t countOf(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

nlohmann::ordered_json contentJson(const PhraseSet& phrases) {
  return {{"reflections", phrases.reflections},
          {"backtracks", phrases.backtracks},
          {"restarts", phrases.restarts},
          {"answer_checks", phrases.answerChecks},
          {"final_answers", phrases.finalAnswers}};
}

std::vector<std::string> readList(const json& document, const char* key, std::string_view source) {
  auto it = document.find(key);
  if (it == document.end()) fail(source, key, "missing");
  if (!it->is_array())
    fail(source, key, std::string("expected an array, found ") + it->type_name());
  std::vector<std::string> items;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    if (!item.is_string()) {
      fail(source, std::string(key) + "[" + std::to_string(i) + "]",
           std::string("expected a string, found ") + item.type_name());
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

void checkList(const std::vector<std::string>& items, const char* key, std::string_view source,
               std::string_view requiredOnce) {
  if (items.empty()) fail(source, key, "needs at least one phrase");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    const std::string& phrase = items[i];
    if (phrase.empty()) fail(source, where, "empty phrase");
    if (phrase.find("\n\n") != std::string::npos) {
      fail(source, where, "contains a blank line, which separates steps");
    }
    for (std::string_view placeholder : {kStepPlaceholder, kAnswerPlaceholder}) {
      const std::size_t count = countOf(phrase, placeholder);
      const std::size_t expected = placeholder == requiredOnce ? 1 : 0;
      if (count != expected) {
        fail(source, where,
             "has " + std::to_string(count) + " " + std::string(placeholder) +
                 " placeholders, expected " + std::to_string(expected));
      }
    }
  }
}

PhraseSet makeDefault() {
  // Keep equal to resources/phrases/astro_default.json (a test compares them).
  PhraseSet phrases;
  phrases.id = "astro-default-v1";
  // Verbatim from ASTRO (arXiv 2507.00417, Sec. 2.4), the self-reflection it hard-codes.
  phrases.reflections = {"But wait, are we solving the problem correctly so far? Hmm..."};
  // ASTRO Sec. 2.4: after the reflection, "I'm not sure if we're solving the problem correctly so
  // far." and a sentence going back to where the search branched, or restarting at the root.
  phrases.backtracks = {
      "I'm not sure if we're solving the problem correctly so far. Let's go back to where we had "
      "\"{step}\" and try a different way from there.",
      "I'm not sure if we're solving the problem correctly so far. Let's go back to the step "
      "\"{step}\" and continue differently.",
      "I'm not sure if we're solving the problem correctly so far. Let's return to \"{step}\" and "
      "take another path."};
  phrases.restarts = {
      "I'm not sure if we're solving the problem correctly so far. Let's restart our solution from "
      "the beginning.",
      "I'm not sure if we're solving the problem correctly so far. Let's start over from the "
      "problem statement with a different approach."};
  // ASTRO Sec. 2.4: the reflection placed after the final node is answered affirmatively.
  phrases.answerChecks = {"Our solution seems to be correct so far."};
  phrases.finalAnswers = {"Therefore, the final answer is \\boxed{{answer}}."};
  return phrases;
}

}  // namespace

nlohmann::ordered_json PhraseSet::toJson() const {
  return {{"id", id},
          {"sha256", contentHash()},
          {"reflections", reflections},
          {"backtracks", backtracks},
          {"restarts", restarts},
          {"answer_checks", answerChecks},
          {"final_answers", finalAnswers}};
}

std::string PhraseSet::contentHash() const { return sha256Hex(contentJson(*this).dump()); }

const PhraseSet& defaultPhraseSet() {
  static const PhraseSet phrases = makeDefault();
  return phrases;
}

void validatePhraseSet(const PhraseSet& phrases, std::string_view source) {
  if (phrases.id.empty()) fail(source, "id", "must not be empty");
  checkList(phrases.reflections, "reflections", source, {});
  checkList(phrases.backtracks, "backtracks", source, kStepPlaceholder);
  checkList(phrases.restarts, "restarts", source, {});
  checkList(phrases.answerChecks, "answer_checks", source, {});
  checkList(phrases.finalAnswers, "final_answers", source, kAnswerPlaceholder);
  for (std::size_t i = 0; i < phrases.finalAnswers.size(); ++i) {
    if (phrases.finalAnswers[i].find("\\boxed{{answer}}") == std::string::npos) {
      fail(source, "final_answers[" + std::to_string(i) + "]",
           "must hold the answer as \\boxed{{answer}}");
    }
  }
}

void validatePhrasesForDelimiter(const PhraseSet& phrases, std::string_view stepDelimiter,
                                 std::string_view source) {
  if (stepDelimiter.empty()) fail(source, "step delimiter", "must not be empty");
  const std::pair<const std::vector<std::string>*, const char*> lists[] = {
      {&phrases.reflections, "reflections"}, {&phrases.backtracks, "backtracks"},
      {&phrases.restarts, "restarts"},       {&phrases.answerChecks, "answer_checks"},
      {&phrases.finalAnswers, "final_answers"}};
  for (const auto& [list, field] : lists) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].find(stepDelimiter) != std::string::npos) {
        fail(source, std::string(field) + "[" + std::to_string(i) + "]",
             "contains the step delimiter " + nlohmann::json(std::string(stepDelimiter)).dump() +
                 ", which separates steps");
      }
    }
  }
}

PhraseSet phraseSetFromJson(const nlohmann::json& document, std::string_view source) {
  if (!document.is_object()) {
    fail(source, "(document)", std::string("expected an object, found ") + document.type_name());
  }
  PhraseSet phrases;
  auto id = document.find("id");
  if (id == document.end()) fail(source, "id", "missing");
  if (!id->is_string()) fail(source, "id", "expected a string");
  phrases.id = id->get<std::string>();
  phrases.reflections = readList(document, "reflections", source);
  phrases.backtracks = readList(document, "backtracks", source);
  phrases.restarts = readList(document, "restarts", source);
  phrases.answerChecks = readList(document, "answer_checks", source);
  phrases.finalAnswers = readList(document, "final_answers", source);
  validatePhraseSet(phrases, source);
  if (auto hash = document.find("sha256"); hash != document.end()) {
    if (!hash->is_string() || hash->get<std::string>() != phrases.contentHash()) {
      fail(source, "sha256", "does not match the phrases (" + phrases.contentHash() + ")");
    }
  }
  return phrases;
}

PhraseSet loadPhraseSet(const std::filesystem::path& path) {
  json document;
  try {
    document = json::parse(readFile(path));
  } catch (const json::parse_error& error) {
    fail(path.string(), "byte " + std::to_string(error.byte), "invalid JSON");
  } catch (const json::exception& error) {  // e.g. a number too large for a double
    fail(path.string(), "(document)", "invalid JSON: " + std::string(error.what()));
  }
  return phraseSetFromJson(document, path.string());
}

std::string fillTemplate(std::string_view pattern, std::string_view placeholder,
                         std::string_view value) {
  std::string text(pattern);
  const auto at = text.find(placeholder);
  if (at != std::string::npos) text.replace(at, placeholder.size(), value);
  return text;
}

}  // namespace astro::search
