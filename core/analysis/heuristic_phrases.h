// The editable phrase lists of the heuristic detector (resources/phrases/heuristic_en.json; a
// copy is compiled in). All matching is ASCII case-insensitive at word boundaries.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace astro::analysis {

struct HeuristicPhrases {
  std::string id;
  // Only this many bytes at the start of a step are searched for cues: reflection and return
  // cues open a paragraph in R1-style outputs, and the limit keeps the scan O(steps).
  std::size_t cueWindow = 240;
  std::vector<std::string> reflectionOpeners;   // must open the step ("Wait,", "Let me re-check")
  std::vector<std::string> backtrackCues;       // anywhere in the window ("going back to")
  std::vector<std::string> restartCues;         // anywhere in the window ("start over")
  std::vector<std::string> alternativeOpeners;  // open the step ("Alternatively, ...")

  nlohmann::ordered_json toJson() const;
};

const HeuristicPhrases& defaultHeuristicPhrases();

// Parses and validates (non-empty lists of non-empty lowercase-able phrases, cue_window in
// [16, 100000]); throws astro::Error "<source>: <field>[i]: ...".
HeuristicPhrases heuristicPhrasesFromJson(const nlohmann::json& document, std::string_view source);
HeuristicPhrases loadHeuristicPhrases(const std::filesystem::path& path);

}  // namespace astro::analysis
