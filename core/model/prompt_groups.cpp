// assignPromptGroups (detail/prompt_groups.h).
#include "core/model/detail/prompt_groups.h"

#include <algorithm>
#include <map>

namespace astro::model::detail {

namespace {

struct TokenOrder {
  bool operator()(std::span<const int32_t> a, std::span<const int32_t> b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

// The prompts' indices grouped by identical prompt, each group in prompt order.
std::vector<std::vector<std::size_t>> groupsOf(const std::vector<std::span<const int32_t>>& prompts) {
  std::map<std::span<const int32_t>, std::vector<std::size_t>, TokenOrder> groups;
  for (std::size_t i = 0; i < prompts.size(); ++i) groups[prompts[i]].push_back(i);
  std::vector<std::vector<std::size_t>> result;
  for (auto& [prompt, members] : groups) result.push_back(std::move(members));
  return result;
}

}  // namespace

std::vector<std::size_t> assignPromptGroups(const std::vector<std::span<const int32_t>>& prompts,
                                            std::vector<int64_t> load) {
  std::vector<std::vector<std::size_t>> groups = groupsOf(prompts);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<std::size_t> part(prompts.size(), 0);
  for (const auto& members : groups) {
    auto lightest = std::size_t(std::min_element(load.begin(), load.end()) - load.begin());
    for (std::size_t i : members) part[i] = lightest;
    load[lightest] += int64_t(members.size());
  }
  return part;
}

std::size_t distinctPrompts(const std::vector<std::span<const int32_t>>& prompts) {
  return groupsOf(prompts).size();
}

}  // namespace astro::model::detail
