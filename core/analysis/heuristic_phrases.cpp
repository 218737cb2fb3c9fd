#include "core/analysis/heuristic_phrases.h"

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::analysis {

namespace {

[[noreturn]] void fail(std::string_view source, const std::string& where, const std::string& what) {
  throw Error(std::string(source) + ": " + where + ": " + what);
}

std::vector<std::string> readList(const nlohmann::json& document, const char* key,
                                  std::string_view source) {
  auto it = document.find(key);
  if (it == document.end()) fail(source, key, "missing");
  if (!it->is_array() || it->empty()) fail(source, key, "expected a non-empty array of strings");
  std::vector<std::string> items;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    if (!item.is_string())
      fail(source, where, std::string("expected a string, found ") + item.type_name());
    std::string phrase = item.get<std::string>();
    if (phrase.empty()) fail(source, where, "empty phrase");
    for (char& c : phrase) {
      if (c == '\n') fail(source, where, "phrases are single lines");
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    items.push_back(std::move(phrase));
  }
  return items;
}

}  // namespace

nlohmann::ordered_json HeuristicPhrases::toJson() const {
  return {{"id", id},
          {"cue_window", cueWindow},
          {"reflection_openers", reflectionOpeners},
          {"backtrack_cues", backtrackCues},
          {"restart_cues", restartCues},
          {"alternative_openers", alternativeOpeners}};
}

const HeuristicPhrases& defaultHeuristicPhrases() {
  // Keep equal to resources/phrases/heuristic_en.json (analysis_heuristic_detector_test compares).
  static const HeuristicPhrases phrases = [] {
    HeuristicPhrases p;
    p.id = "heuristic-en-v1";
    p.cueWindow = 240;
    p.reflectionOpeners = {"wait",
                           "but wait",
                           "hmm",
                           "hold on",
                           "hang on",
                           "actually",
                           "on second thought",
                           "let me check",
                           "let me double-check",
                           "let me double check",
                           "let me re-check",
                           "let me recheck",
                           "let me verify",
                           "let's verify",
                           "let us verify",
                           "let's check",
                           "let me make sure",
                           "let me reconsider",
                           "let me think again",
                           "let's double-check",
                           "is that right",
                           "is this correct",
                           "did i make a mistake",
                           "that doesn't seem right",
                           "that does not seem right",
                           "that seems wrong",
                           "that can't be right",
                           "oops",
                           "no, wait",
                           "but is that",
                           "are we solving the problem correctly",
                           "something is off",
                           "i made a mistake",
                           "checking",
                           "to double-check",
                           "to verify"};
    p.backtrackCues = {"going back to",
                       "go back to",
                       "back to the step",
                       "return to the step",
                       "returning to",
                       "let me revisit",
                       "let's revisit",
                       "revisiting",
                       "let me redo",
                       "let's redo",
                       "redo the step",
                       "from the step",
                       "back up to",
                       "backtrack",
                       "retrace",
                       "pick up again from",
                       "resume from",
                       "take a different path",
                       "try something else from"};
    p.restartCues = {"start over",         "starting over",   "start again",
                     "from scratch",       "begin again",     "restart",
                     "from the beginning", "from the top",    "completely different approach",
                     "scrap this",         "throw this away", "abandon this approach"};
    p.alternativeOpeners = {"alternatively",        "another approach",   "another way",
                            "a different approach", "instead, let's",     "instead, let me",
                            "let's try another",    "let me try another", "let me try a different"};
    return p;
  }();
  return phrases;
}

HeuristicPhrases heuristicPhrasesFromJson(const nlohmann::json& document, std::string_view source) {
  if (!document.is_object()) fail(source, "(document)", "expected an object");
  HeuristicPhrases phrases;
  auto id = document.find("id");
  if (id == document.end() || !id->is_string() || id->get<std::string>().empty()) {
    fail(source, "id", "expected a non-empty string");
  }
  phrases.id = id->get<std::string>();
  if (auto window = document.find("cue_window"); window != document.end()) {
    if (!window->is_number_integer() || window->get<long long>() < 16 ||
        window->get<long long>() > 100000) {
      fail(source, "cue_window", "expected an integer in [16, 100000]");
    }
    phrases.cueWindow = window->get<std::size_t>();
  }
  phrases.reflectionOpeners = readList(document, "reflection_openers", source);
  phrases.backtrackCues = readList(document, "backtrack_cues", source);
  phrases.restartCues = readList(document, "restart_cues", source);
  phrases.alternativeOpeners = readList(document, "alternative_openers", source);
  return phrases;
}

HeuristicPhrases loadHeuristicPhrases(const std::filesystem::path& path) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(readFile(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path.string() + ": invalid JSON: " + e.what());
  }
  return heuristicPhrasesFromJson(document, path.string());
}

}  // namespace astro::analysis
