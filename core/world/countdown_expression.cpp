#include "core/world/countdown_expression.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace astro::world {

namespace {

constexpr int kMaxNesting = 64;
constexpr std::size_t kMaxDigits = 18;  // fits int64 without overflow checks

// Recursive descent over: expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
// factor := integer | '(' expr ')'.
class ExpressionParser {
 public:
  explicit ExpressionParser(std::string_view text) : text_(text) {}

  std::optional<CountdownExpression> parse() {
    int root = parseSum(0);
    skipSpace();
    if (root < 0 || position_ != text_.size()) return std::nullopt;
    expression_.root = root;
    return std::move(expression_);
  }

 private:
  void skipSpace() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                        text_[position_] == '\n' || text_[position_] == '\r')) {
      ++position_;
    }
  }

  bool consume(std::string_view token) {
    if (text_.substr(position_).starts_with(token)) {
      position_ += token.size();
      return true;
    }
    return false;
  }

  // The additive (+ -) or multiplicative (* / and their LaTeX/Unicode spellings) operator at the
  // cursor, consumed; nullopt with the cursor unchanged when there is none.
  std::optional<Operator> readOperator(bool additive) {
    skipSpace();
    if (additive) {
      if (consume("+")) return Operator::kAdd;
      if (consume("-")) return Operator::kSubtract;
      return std::nullopt;
    }
    if (consume("*") || consume("\\times") || consume("\\cdot") || consume("\xC3\x97")) {
      return Operator::kMultiply;
    }
    if (consume("/") || consume("\\div") || consume("\xC3\xB7")) return Operator::kDivide;
    return std::nullopt;
  }

  int addOperation(Operator op, int left, int right) {
    expression_.nodes.push_back({false, 0, op, left, right});
    return static_cast<int>(expression_.nodes.size()) - 1;
  }

  int parseSum(int depth) {
    int left = parseProduct(depth);
    while (left >= 0) {
      auto op = readOperator(true);
      if (!op) break;
      int right = parseProduct(depth);
      if (right < 0) return -1;
      left = addOperation(*op, left, right);
    }
    return left;
  }

  int parseProduct(int depth) {
    int left = parseFactor(depth);
    while (left >= 0) {
      auto op = readOperator(false);
      if (!op) break;
      int right = parseFactor(depth);
      if (right < 0) return -1;
      left = addOperation(*op, left, right);
    }
    return left;
  }

  int parseFactor(int depth) {
    skipSpace();
    if (position_ >= text_.size()) return -1;
    if (text_[position_] == '(') {
      if (depth >= kMaxNesting) return -1;
      ++position_;
      int inner = parseSum(depth + 1);
      skipSpace();
      if (inner < 0 || !consume(")")) return -1;
      return inner;
    }
    std::size_t start = position_;
    while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
      ++position_;
    }
    std::size_t length = position_ - start;
    if (length == 0 || length > kMaxDigits) return -1;
    // "2.5" would otherwise parse as 2 followed by garbage; say malformed at once.
    if (position_ < text_.size() && (text_[position_] == '.' || text_[position_] == ',')) {
      return -1;
    }
    std::int64_t value = 0;
    std::from_chars(text_.data() + start, text_.data() + position_, value);
    expression_.nodes.push_back({true, value, Operator::kAdd, -1, -1});
    expression_.numbersInOrder.push_back(value);
    return static_cast<int>(expression_.nodes.size()) - 1;
  }

  std::string_view text_;
  std::size_t position_ = 0;
  CountdownExpression expression_;
};

}  // namespace

std::optional<CountdownExpression> parseExpression(std::string_view text) {
  return ExpressionParser(text).parse();
}

ExpressionValue evaluateExpression(const CountdownExpression& expression,
                                   const CountdownRules& rules) {
  // Nodes are appended after their children, so index order is a valid bottom-up order and the
  // left subtree's operations come before the right subtree's.
  std::vector<Rational> values(expression.nodes.size());
  for (std::size_t i = 0; i < expression.nodes.size(); ++i) {
    const ExpressionNode& node = expression.nodes[i];
    if (node.isNumber) {
      values[i] = Rational(node.number);
      continue;
    }
    OperationOutcome outcome = applyOperator(values[node.left], node.op, values[node.right], rules);
    if (!outcome.value) return {std::nullopt, outcome.violation};
    values[i] = *outcome.value;
  }
  if (expression.root < 0) return {std::nullopt, "malformed"};
  return {values[expression.root], {}};
}

std::string checkNumberUse(const CountdownExpression& expression,
                           const std::vector<std::int64_t>& given) {
  std::map<std::int64_t, int> available;
  for (std::int64_t number : given) ++available[number];
  for (std::int64_t number : expression.numbersInOrder) {
    auto found = available.find(number);
    if (found == available.end()) {
      return "uses " + std::to_string(number) + " which is not given";
    }
    if (found->second == 0) return "reuses " + std::to_string(number);
    --found->second;
  }
  return {};
}

}  // namespace astro::world
