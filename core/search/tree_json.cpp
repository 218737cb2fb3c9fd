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

// The fast import path: a SAX reader for well-formed trees that builds nodes without a DOM
// (about 2x faster). It gives up (returns false) at anything unexpected, and the DOM path then
// reads the same text again to produce the precise error, so both paths accept exactly the same
// documents.
class TreeSaxReader final : public nlohmann::json_sax<json> {
 public:
  std::string problem;
  std::string answer;
  std::vector<TreeNode> nodes;

  // All required keys were present.
  bool complete() const { return topSeen_ == kTopKeys; }

  bool null() override {
    if (skipScalar()) return true;
    if (state_ != State::kNodeValue) return false;
    // A repeated key overrides the earlier value, as in the DOM.
    if (field_ == Field::kParent)
      node().parent.reset();
    else if (field_ == Field::kAnswer)
      node().answer.reset();
    else if (field_ == Field::kCorrect)
      node().correct.reset();
    else
      return false;
    return markField();
  }
  bool boolean(bool value) override {
    if (skipScalar()) return true;
    if (state_ != State::kNodeValue) return false;
    if (field_ == Field::kTerminal)
      node().terminal = value;
    else if (field_ == Field::kCorrect)
      node().correct = value;
    else
      return false;
    return markField();
  }
  bool number_integer(json::number_integer_t value) override { return integer(value); }
  bool number_unsigned(json::number_unsigned_t value) override {
    if (value > static_cast<json::number_unsigned_t>(INT32_MAX)) return skipScalar();
    return integer(static_cast<std::int64_t>(value));
  }
  bool number_float(json::number_float_t value, const json::string_t&) override {
    if (skipScalar()) return true;
    if (state_ != State::kNodeValue) return false;
    if (field_ == Field::kValue)
      node().value = value;
    else if (field_ == Field::kPrior)
      node().prior = value;
    else
      return false;
    return markField();
  }
  bool string(json::string_t& value) override {
    if (skipScalar()) return true;
    if (state_ == State::kTopValue) {
      if (topKey_ == kProblem)
        problem = std::move(value);
      else if (topKey_ == kAnswer)
        answer = std::move(value);
      else
        return false;
      topSeen_ |= topKey_;
      state_ = State::kTop;
      return true;
    }
    if (state_ != State::kNodeValue) return false;
    if (field_ == Field::kText)
      node().text = std::move(value);
    else if (field_ == Field::kAnswer)
      node().answer = std::move(value);
    else
      return false;
    return markField();
  }
  bool binary(json::binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    if (skipDepth_ > 0 || state_ == State::kSkipValue) return enterSkip();
    if (state_ == State::kStart)
      state_ = State::kTop;
    else if (state_ == State::kNodes) {
      nodes.emplace_back();
      fieldsSeen_ = 0;
      state_ = State::kNode;
    } else {
      return false;
    }
    return true;
  }
  bool key(json::string_t& name) override {
    if (skipDepth_ > 0) return true;
    if (state_ == State::kTop) {
      topKey_ = name == "problem"  ? kProblem
                : name == "answer" ? kAnswer
                : name == "nodes"  ? kNodesKey
                                   : 0;
      state_ = topKey_ == 0 ? State::kSkipValue : State::kTopValue;
      skipReturn_ = State::kTop;
      return true;
    }
    if (state_ != State::kNode) return false;
    field_ = fieldOf(name);
    state_ = field_ == Field::kUnknown ? State::kSkipValue : State::kNodeValue;
    skipReturn_ = State::kNode;
    return true;
  }
  bool end_object() override {
    if (skipDepth_ > 0) return leaveSkip();
    if (state_ == State::kNode) {
      state_ = State::kNodes;
      return fieldsSeen_ == kAllFields;
    }
    return state_ == State::kTop;
  }
  bool start_array(std::size_t) override {
    if (skipDepth_ > 0 || state_ == State::kSkipValue) return enterSkip();
    if (state_ != State::kTopValue || topKey_ != kNodesKey) return false;
    nodes.clear();  // a repeated "nodes" key replaces the earlier list, as in the DOM
    state_ = State::kNodes;
    return true;
  }
  bool end_array() override {
    if (skipDepth_ > 0) return leaveSkip();
    if (state_ != State::kNodes) return false;
    topSeen_ |= kNodesKey;
    state_ = State::kTop;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  enum class State { kStart, kTop, kTopValue, kNodes, kNode, kNodeValue, kSkipValue };
  enum class Field {
    kId,
    kParent,
    kText,
    kVisits,
    kValue,
    kPrior,
    kTerminal,
    kAnswer,
    kCorrect,
    kUnknown
  };
  static constexpr int kProblem = 1, kAnswer = 2, kNodesKey = 4, kTopKeys = 7;
  static constexpr unsigned kAllFields = (1u << 9) - 1;

  static Field fieldOf(const std::string& name) {
    static const char* const kNames[] = {"id",    "parent",   "text",   "visits", "value",
                                         "prior", "terminal", "answer", "correct"};
    for (int i = 0; i < 9; ++i) {
      if (name == kNames[i]) return static_cast<Field>(i);
    }
    return Field::kUnknown;
  }
  TreeNode& node() { return nodes.back(); }
  bool markField() {
    fieldsSeen_ |= 1u << static_cast<unsigned>(field_);
    state_ = State::kNode;
    return true;
  }
  bool integer(std::int64_t value) {
    if (skipScalar()) return true;
    if (state_ != State::kNodeValue || value < INT32_MIN || value > INT32_MAX) return false;
    const int number = static_cast<int>(value);
    switch (field_) {
      case Field::kId:
        node().id = number;
        break;
      case Field::kParent:
        node().parent = number;
        break;
      case Field::kVisits:
        if (number < 0) return false;
        node().visits = number;
        break;
      case Field::kValue:
        node().value = number;
        break;
      case Field::kPrior:
        node().prior = number;
        break;
      default:
        return false;
    }
    return markField();
  }
  // An unknown key's value is skipped whatever it holds, nested containers included.
  bool skipScalar() {
    if (skipDepth_ > 0) return true;
    if (state_ != State::kSkipValue) return false;
    state_ = skipReturn_;
    return true;
  }
  bool enterSkip() {
    ++skipDepth_;
    return true;
  }
  bool leaveSkip() {
    if (--skipDepth_ == 0) state_ = skipReturn_;
    return true;
  }

  State state_ = State::kStart;
  State skipReturn_ = State::kTop;
  int topKey_ = 0;
  int topSeen_ = 0;
  Field field_ = Field::kUnknown;
  unsigned fieldsSeen_ = 0;
  int skipDepth_ = 0;
};

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
  TreeSaxReader reader;
  bool read = false;
  try {
    read = json::sax_parse(text, &reader) && reader.complete();
  } catch (const json::exception&) {
    read = false;  // the DOM path below reports it
  }
  if (read) {
    return SearchTree::fromNodes(std::move(reader.problem), std::move(reader.answer),
                                 std::move(reader.nodes), source);
  }
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
