// The search-tree JSON interchange format that other tools read and write (keep it EXACTLY):
//   {"problem": str, "answer": str, "nodes": [{"id": int, "parent": int|null, "text": str,
//    "visits": int, "value": float, "prior": float, "terminal": bool, "answer": str|null,
//    "correct": bool|null}]}
// Node 0 is the root (the problem, empty text); "value" is the SUM of backed-up rewards.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/search/tree.h"

namespace astro::search {

// Keys in the order above; node order is ascending id.
nlohmann::ordered_json treeToJson(const SearchTree& tree);
// One line (indent < 0) or pretty-printed; doubles printed so they parse back to the same bits.
std::string treeToJsonText(const SearchTree& tree, int indent = -1);

// Import validates everything; errors name `source` and the node and field at fault, e.g.
// "tree.json: nodes[3].parent: 17 is not a node".
SearchTree treeFromJson(const nlohmann::json& document, std::string_view source);
SearchTree treeFromJsonText(std::string_view text, std::string_view source);

SearchTree loadTree(const std::filesystem::path& path);
void saveTree(const SearchTree& tree, const std::filesystem::path& path, int indent = 2);

// Many trees: JSON Lines, one tree per line. Errors name "<file>:<line>".
std::vector<SearchTree> loadTreesJsonl(const std::filesystem::path& path);
// Streams the file tree by tree (blank lines skipped), for files too large to hold at once.
void forEachTreeJsonl(const std::filesystem::path& path,
                      const std::function<void(SearchTree&&)>& visit);
void saveTreesJsonl(const std::vector<SearchTree>& trees, const std::filesystem::path& path);

}  // namespace astro::search
