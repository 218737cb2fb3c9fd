// Reading and writing the search-tree interchange format (tree_json.h), with errors that name the
// file, the node and the field.
#include "core/search/tree_json.h"

#include <cmath>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::search {

namespace {

using nlohmann::json;

std::string nodeField(int index, std::string_view field) {
  return "nodes[" + std::to_string(index) + "]." + std::string(field);
}

[[noreturn]] void fail(std::string_view source, const std::string& where, const std::string& what) {
  throw Error(std::string(source) + ": " + where + ": " + what);
}

std::string typeName(const json& value) { return value.is_null() ? "null" : value.type_name(); }

const json& requireKey(const json& object, const char* key, std::string_view source,
                       const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) fail(source, where, "missing");
  return *it;
}

std::string readString(const json& value, std::string_view source, const std::string& where) {
  if (!value.is_string()) fail(source, where, "expected a string, found " + typeName(value));
  return value.get<std::string>();
}

int readInt(const json& value, std::string_view source, const std::string& where) {
  if (!value.is_number_integer()) {
    fail(source, where, "expected an integer, found " + typeName(value));
  }
  const auto wide = value.get<std::int64_t>();
  if (wide < INT32_MIN || wide > INT32_MAX) {
    fail(source, where, std::to_string(wide) + " is out of range");
  }
  return static_cast<int>(wide);
}

double readNumber(const json& value, std::string_view source, const std::string& where) {
  if (!value.is_number()) fail(source, where, "expected a number, found " + typeName(value));
  return value.get<double>();
}

TreeNode readNode(const json& item, int index, std::string_view source) {
  const std::string where = "nodes[" + std::to_string(index) + "]";
  if (!item.is_object()) fail(source, where, "expected an object, found " + typeName(item));
  TreeNode node;
  node.id = readInt(requireKey(item, "id", source, nodeField(index, "id")), source,
                    nodeField(index, "id"));
  const json& parent = requireKey(item, "parent", source, nodeField(index, "parent"));
  if (!parent.is_null()) node.parent = readInt(parent, source, nodeField(index, "parent"));
  node.text = readString(requireKey(item, "text", source, nodeField(index, "text")), source,
                         nodeField(index, "text"));
  node.visits = readInt(requireKey(item, "visits", source, nodeField(index, "visits")), source,
                        nodeField(index, "visits"));
  if (node.visits < 0) fail(source, nodeField(index, "visits"), "must not be negative");
  node.value = readNumber(requireKey(item, "value", source, nodeField(index, "value")), source,
                          nodeField(index, "value"));
  node.prior = readNumber(requireKey(item, "prior", source, nodeField(index, "prior")), source,
                          nodeField(index, "prior"));
  const json& terminal = requireKey(item, "terminal", source, nodeField(index, "terminal"));
  if (!terminal.is_boolean()) {
    fail(source, nodeField(index, "terminal"), "expected a boolean, found " + typeName(terminal));
  }
  node.terminal = terminal.get<bool>();
  const json& answer = requireKey(item, "answer", source, nodeField(index, "answer"));
  if (!answer.is_null()) node.answer = readString(answer, source, nodeField(index, "answer"));
  const json& correct = requireKey(item, "correct", source, nodeField(index, "correct"));
  if (!correct.is_null()) {
    if (!correct.is_boolean()) {
      fail(source, nodeField(index, "correct"),
           "expected a boolean or null, found " + typeName(correct));
    }
    node.correct = correct.get<bool>();
  }
  return node;
}

// JSON has no NaN or infinity (nlohmann would print null, which import rejects): refuse to write
// a file that cannot be read back.
void requireFinite(const TreeNode& node) {
  for (auto [field, number] : {std::pair{"value", node.value}, {"prior", node.prior}}) {
    if (!std::isfinite(number)) {
      fail("search tree export", nodeField(node.id, field),
           "is not finite (" + std::to_string(number) + ")");
    }
  }
}

}  // namespace

nlohmann::ordered_json treeToJson(const SearchTree& tree) {
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const TreeNode& node : tree.nodes()) {
    requireFinite(node);
    nodes.push_back({
        {"id", node.id},
        {"parent", node.parent ? nlohmann::ordered_json(*node.parent) : nullptr},
        {"text", node.text},
        {"visits", node.visits},
        {"value", node.value},
        {"prior", node.prior},
        {"terminal", node.terminal},
        {"answer", node.answer ? nlohmann::ordered_json(*node.answer) : nullptr},
        {"correct", node.correct ? nlohmann::ordered_json(*node.correct) : nullptr},
    });
  }
  return {{"problem", tree.problem()}, {"answer", tree.goldAnswer()}, {"nodes", std::move(nodes)}};
}

std::string treeToJsonText(const SearchTree& tree, int indent) {
  // nlohmann prints doubles with up to 17 significant digits: they parse back to the same bits.
  if (indent >= 0) return treeToJson(tree).dump(indent);
  // The one-line form (JSONL stores, thousands of trees) is written directly: building the
  // ordered DOM first costs several times more than printing. Same bytes as treeToJson().dump().
  std::string out;
  out.reserve(64 + tree.problem().size() + tree.nodes().size() * 160);
  auto text = [&](const std::string& value) { out += nlohmann::json(value).dump(); };
  auto optionalText = [&](const std::optional<std::string>& value) {
    if (value)
      text(*value);
    else
      out += "null";
  };
  auto number = [&](double value) { out += nlohmann::json(value).dump(); };
  out += "{\"problem\":";
  text(tree.problem());
  out += ",\"answer\":";
  text(tree.goldAnswer());
  out += ",\"nodes\":[";
  for (const TreeNode& node : tree.nodes()) {
    requireFinite(node);
    if (node.id > 0) out += ',';
    out += "{\"id\":" + std::to_string(node.id) + ",\"parent\":";
    out += node.parent ? std::to_string(*node.parent) : "null";
    out += ",\"text\":";
    text(node.text);
    out += ",\"visits\":" + std::to_string(node.visits) + ",\"value\":";
    number(node.value);
    out += ",\"prior\":";
    number(node.prior);
    out += node.terminal ? ",\"terminal\":true,\"answer\":" : ",\"terminal\":false,\"answer\":";
    optionalText(node.answer);
    out += ",\"correct\":";
    out += node.correct ? (*node.correct ? "true" : "false") : "null";
    out += '}';
  }
  out += "]}";
  return out;
}

SearchTree treeFromJson(const nlohmann::json& document, std::string_view source) {
  if (!document.is_object()) {
    fail(source, "(document)", "expected an object, found " + typeName(document));
  }
  std::string problem =
      readString(requireKey(document, "problem", source, "problem"), source, "problem");
  std::string answer =
      readString(requireKey(document, "answer", source, "answer"), source, "answer");
  const json& items = requireKey(document, "nodes", source, "nodes");
  if (!items.is_array()) fail(source, "nodes", "expected an array, found " + typeName(items));
  std::vector<TreeNode> nodes;
  nodes.reserve(items.size());
  for (std::size_t index = 0; index < items.size(); ++index) {
    nodes.push_back(readNode(items[index], static_cast<int>(index), source));
  }
  return SearchTree::fromNodes(std::move(problem), std::move(answer), std::move(nodes), source);
}

SearchTree treeFromJsonText(std::string_view text, std::string_view source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    fail(source, "byte " + std::to_string(error.byte),
         "invalid JSON: " + std::string(error.what()));
  } catch (const json::exception& error) {  // e.g. a number too large for a double
    fail(source, "(document)", "invalid JSON: " + std::string(error.what()));
  }
  return treeFromJson(document, source);
}

SearchTree loadTree(const std::filesystem::path& path) {
  return treeFromJsonText(readFile(path), path.string());
}

void saveTree(const SearchTree& tree, const std::filesystem::path& path, int indent) {
  writeFileAtomically(path, treeToJsonText(tree, indent) + "\n");
}

void forEachTreeJsonl(const std::filesystem::path& path,
                      const std::function<void(SearchTree&&)>& visit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string(), "open", errno);
  std::string line;
  for (std::int64_t lineNumber = 1; std::getline(in, line); ++lineNumber) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    visit(treeFromJsonText(line, path.string() + ":" + std::to_string(lineNumber)));
  }
  if (in.bad()) throw IoError(path.string(), "read", errno);
}

std::vector<SearchTree> loadTreesJsonl(const std::filesystem::path& path) {
  std::vector<SearchTree> trees;
  forEachTreeJsonl(path, [&](SearchTree&& tree) { trees.push_back(std::move(tree)); });
  return trees;
}

void saveTreesJsonl(const std::vector<SearchTree>& trees, const std::filesystem::path& path) {
  std::string text;
  for (const SearchTree& tree : trees) text += treeToJsonText(tree) + "\n";
  writeFileAtomically(path, text);
}

}  // namespace astro::search
