// SearchTree: construction from parent links, path queries and structural validation.
#include "core/search/tree.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::search {

namespace {

[[noreturn]] void failAt(std::string_view source, int index, std::string_view field,
                         const std::string& what) {
  throw Error(std::string(source) + ": nodes[" + std::to_string(index) + "]." + std::string(field) +
              ": " + what);
}

}  // namespace

SearchTree::SearchTree() : SearchTree("", "") {}

SearchTree::SearchTree(std::string problem, std::string goldAnswer)
    : problem_(std::move(problem)), goldAnswer_(std::move(goldAnswer)) {
  nodes_.push_back(TreeNode{});
}

SearchTree SearchTree::fromNodes(std::string problem, std::string goldAnswer,
                                 std::vector<TreeNode> nodes, std::string_view source) {
  if (nodes.empty()) throw Error(std::string(source) + ": nodes: a tree needs at least the root");
  const int count = static_cast<int>(nodes.size());
  // Place every node at its id; the ids must be exactly 0..n-1.
  std::vector<TreeNode> byId(nodes.size());
  std::vector<int> positionOfId(nodes.size(), -1);
  for (int index = 0; index < count; ++index) {
    const int id = nodes[index].id;
    if (id < 0 || id >= count) {
      failAt(source, index, "id",
             std::to_string(id) + " is out of range (ids must be 0.." + std::to_string(count - 1) +
                 ")");
    }
    if (positionOfId[id] >= 0) {
      failAt(source, index, "id",
             std::to_string(id) + " repeats nodes[" + std::to_string(positionOfId[id]) + "].id");
    }
    positionOfId[id] = index;
    byId[id] = std::move(nodes[index]);
    byId[id].children.clear();
  }
  for (int id = 0; id < count; ++id) {
    const TreeNode& node = byId[id];
    const int index = positionOfId[id];
    if (id == 0) {
      if (node.parent) failAt(source, index, "parent", "the root (id 0) must have parent null");
      continue;
    }
    if (!node.parent) failAt(source, index, "parent", "null, but only node 0 may be the root");
    const int parent = *node.parent;
    if (parent < 0 || parent >= count) {
      failAt(source, index, "parent", std::to_string(parent) + " is not a node");
    }
    if (parent == id) failAt(source, index, "parent", "a node cannot be its own parent");
    byId[parent].children.push_back(id);  // ascending, since ids are visited in order
  }
  // Depths by walking down from the root; nodes never reached sit on a parent cycle.
  std::vector<bool> reached(byId.size(), false);
  std::vector<int> stack{0};
  reached[0] = true;
  byId[0].depth = 0;
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    for (int child : byId[id].children) {
      byId[child].depth = byId[id].depth + 1;
      reached[child] = true;
      stack.push_back(child);
    }
  }
  for (int id = 0; id < count; ++id) {
    if (!reached[id]) {
      failAt(source, positionOfId[id], "parent",
             std::to_string(*byId[id].parent) + " leads into a cycle that never reaches the root");
    }
  }
  SearchTree tree(std::move(problem), std::move(goldAnswer));
  tree.nodes_ = std::move(byId);
  tree.validate(source);
  return tree;
}

const TreeNode& SearchTree::node(int id) const {
  if (!contains(id)) {
    throw Error("search tree: node " + std::to_string(id) + " is not a node (tree has " +
                std::to_string(size()) + ")");
  }
  return nodes_[id];
}

TreeNode& SearchTree::node(int id) {
  return const_cast<TreeNode&>(static_cast<const SearchTree&>(*this).node(id));
}

int SearchTree::addChild(int parent, std::string text, double prior) {
  const int parentDepth = node(parent).depth;
  TreeNode child;
  child.id = size();
  child.parent = parent;
  child.text = std::move(text);
  child.prior = prior;
  child.depth = parentDepth + 1;
  nodes_.push_back(std::move(child));
  nodes_[parent].children.push_back(nodes_.back().id);
  return nodes_.back().id;
}

std::vector<int> SearchTree::pathFromRoot(int id) const {
  std::vector<int> path;
  path.reserve(node(id).depth + 1);
  for (std::optional<int> at = id; at; at = nodes_[*at].parent) path.push_back(*at);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<int> SearchTree::ancestors(int id) const {
  std::vector<int> result;
  result.reserve(node(id).depth);
  for (std::optional<int> at = nodes_[id].parent; at; at = nodes_[*at].parent) {
    result.push_back(*at);
  }
  return result;
}

bool SearchTree::isAncestor(int ancestor, int id) const {
  if (!contains(ancestor)) return false;
  const int ancestorDepth = nodes_[ancestor].depth;
  std::optional<int> at = node(id).parent;
  while (at && nodes_[*at].depth >= ancestorDepth) {
    if (*at == ancestor) return true;
    at = nodes_[*at].parent;
  }
  return false;
}

std::vector<int> SearchTree::terminals() const {
  std::vector<int> result;
  for (const TreeNode& n : nodes_) {
    if (n.terminal) result.push_back(n.id);
  }
  return result;
}

std::vector<int> SearchTree::correctTerminals() const {
  std::vector<int> result;
  for (const TreeNode& n : nodes_) {
    if (n.isCorrectTerminal()) result.push_back(n.id);
  }
  return result;
}

void SearchTree::validate(std::string_view source) const {
  if (nodes_.empty()) throw Error(std::string(source) + ": nodes: a tree needs at least the root");
  const int count = size();
  std::vector<int> childCount(nodes_.size(), 0);
  for (int id = 0; id < count; ++id) {
    const TreeNode& n = nodes_[id];
    if (n.id != id) failAt(source, id, "id", std::to_string(n.id) + " differs from its position");
    if (id == 0) {
      if (n.parent) failAt(source, id, "parent", "the root (id 0) must have parent null");
      if (!n.text.empty())
        failAt(source, id, "text", "must be empty (the root stands for the problem)");
      if (n.depth != 0) failAt(source, id, "depth", "the root has depth 0");
      continue;
    }
    if (!n.parent) failAt(source, id, "parent", "null, but only node 0 may be the root");
    const int parent = *n.parent;
    if (parent < 0 || parent >= count) {
      failAt(source, id, "parent", std::to_string(parent) + " is not a node");
    }
    // Parents strictly shallower by one rule out cycles: depth would have to decrease forever.
    if (n.depth != nodes_[parent].depth + 1) {
      failAt(source, id, "depth",
             std::to_string(n.depth) + " is not parent depth + 1 (" +
                 std::to_string(nodes_[parent].depth + 1) + ")");
    }
    const auto& siblings = nodes_[parent].children;
    if (std::find(siblings.begin(), siblings.end(), id) == siblings.end()) {
      failAt(source, parent, "children", "lacks child " + std::to_string(id));
    }
    if (n.visits < 0) failAt(source, id, "visits", "negative (" + std::to_string(n.visits) + ")");
    ++childCount[parent];
  }
  for (int id = 0; id < count; ++id) {
    if (static_cast<int>(nodes_[id].children.size()) != childCount[id]) {
      failAt(source, id, "children", "lists a node whose parent is not " + std::to_string(id));
    }
  }
}

math::Problem treeProblem(const SearchTree& tree) {
  return {.question = tree.problem(), .answer = tree.goldAnswer()};
}

}  // namespace astro::search
