// groundedCheckFor (grounded_check.h).
#include "core/search/grounded_check.h"

#include <memory>

namespace astro::search {

GroundedCheck groundedCheckFor(const domain::Domain& domain) {
  std::shared_ptr<const domain::ReflectionCheck> check = domain.makeReflectionCheck();
  if (!check) return {};
  return [check](const SearchTree& tree, int node) -> std::optional<std::string> {
    std::vector<std::string_view> steps;
    for (int id : tree.pathFromRoot(node)) {
      if (id != 0 && id != node) steps.push_back(tree.node(id).text);
    }
    return check->describe(treeProblem(tree), steps, tree.node(node).text);
  };
}

}  // namespace astro::search
