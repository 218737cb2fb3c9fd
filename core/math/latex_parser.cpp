// Recursive-descent parser for LaTeX answers. Precedence, loosest first: + and -; products
// (explicit \cdot, \times, /, \div and implicit juxtaposition); unary minus; powers; postfix !.
#include "core/math/latex_parser.h"

#include <cstdlib>
#include <string>

#include "core/math/latex_tokenizer.h"

namespace astro::math {

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits)
      : tokens_(std::move(tokens)), limits_(limits) {}

  Expression parse() {
    expression_.root = parseSum();
    if (current().kind != TokenKind::kEnd) fail("unexpected '" + current().text + "'");
    return std::move(expression_);
  }

 private:
  const Token& current() const { return tokens_[position_]; }
  bool isSymbol(const char* symbol) const {
    return current().kind == TokenKind::kSymbol && current().text == symbol;
  }
  bool isCommand(const char* name) const {
    return current().kind == TokenKind::kCommand && current().text == name;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw ParseFailure(what + " at " + std::to_string(current().offset));
  }
  void expectSymbol(const char* symbol) {
    if (!isSymbol(symbol)) fail(std::string("expected '") + symbol + "'");
    ++position_;
  }

  int addNode(ExpressionNode node) {
    if (expression_.nodes.size() >= limits_.maxNodes) fail("expression too large");
    expression_.nodes.push_back(std::move(node));
    return static_cast<int>(expression_.nodes.size()) - 1;
  }
  int addOp(ExpressionOp op, std::vector<int> children, std::string name = {}) {
    ExpressionNode node;
    node.op = op;
    node.children = std::move(children);
    node.name = std::move(name);
    return addNode(std::move(node));
  }
  int addNumber(const std::string& literal) {
    ExpressionNode node;
    node.op = ExpressionOp::kNumber;
    node.name = literal;
    auto exact = Rational::parseDecimal(literal);
    node.exact = exact.has_value();
    if (exact) node.number = *exact;
    node.approximate = std::strtod(literal.c_str(), nullptr);
    return addNode(std::move(node));
  }

  struct DepthGuard {
    explicit DepthGuard(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > parser_.limits_.maxDepth) parser_.fail("nesting too deep");
    }
    ~DepthGuard() { --parser_.depth_; }
    Parser& parser_;
  };

  int parseSum() {
    DepthGuard guard(*this);
    std::vector<int> terms;
    terms.push_back(parseSigned());
    while (isSymbol("+") || isSymbol("-")) {
      bool minus = isSymbol("-");
      ++position_;
      int term = parseSigned();
      terms.push_back(minus ? addOp(ExpressionOp::kNegate, {term}) : term);
    }
    return terms.size() == 1 ? terms[0] : addOp(ExpressionOp::kAdd, std::move(terms));
  }

  int parseSigned() {
    DepthGuard guard(*this);
    if (isSymbol("-")) {
      ++position_;
      return addOp(ExpressionOp::kNegate, {parseSigned()});
    }
    if (isSymbol("+")) {
      ++position_;
      return parseSigned();
    }
    return parseProduct(false);
  }

  bool startsPrimary(bool stopAtFunction) const {
    const Token& token = current();
    switch (token.kind) {
      case TokenKind::kNumber:
      case TokenKind::kLetter:
        return true;
      case TokenKind::kSymbol:
        return token.text == "(" || token.text == "{" || token.text == "[" ||
               (token.text == "|" && absDepth_ == 0);
      case TokenKind::kCommand:
        if (isFunctionName(token.text)) return !stopAtFunction;
        return token.text == "frac" || token.text == "cfrac" || token.text == "sqrt" ||
               token.text == "pi" || token.text == "infty" || token.text == "binom" ||
               token.text == "lfloor" || token.text == "lceil" || token.text == "operatorname" ||
               isGreekLetterName(token.text);
      case TokenKind::kEnd:
        return false;
    }
    return false;
  }

  int parseProduct(bool stopAtFunction) {
    DepthGuard guard(*this);
    std::size_t productStart = position_;
    int result = parseUnary();
    while (true) {
      if (isSymbol("*") || isCommand("cdot") || isCommand("times")) {
        ++position_;
        result = addOp(ExpressionOp::kMultiply, {result, parseUnary()});
      } else if (isSymbol("/") || isCommand("div")) {
        ++position_;
        result = addOp(ExpressionOp::kDivide, {result, parseUnary()});
      } else if (startsPrimary(stopAtFunction)) {
        bool mixedNumberCandidate = position_ == productStart + 1 && isCommand("frac") &&
                                    tokens_[productStart].kind == TokenKind::kNumber;
        int factor = parsePower();
        if (mixedNumberCandidate && isMixedNumber(result, factor)) {
          // "1\frac{4}{5}" is the mixed number 9/5, as MATH writes it, not 4/5.
          result = addOp(ExpressionOp::kAdd, {result, factor});
        } else {
          result = addOp(ExpressionOp::kMultiply, {result, factor});
        }
      } else {
        return result;
      }
    }
  }

  bool isMixedNumber(int whole, int fraction) const {
    auto integerLiteral = [&](int index) {
      const ExpressionNode& node = expression_.nodes[index];
      return node.op == ExpressionOp::kNumber && node.exact && node.number.isInteger() &&
             node.name.find('.') == std::string::npos;
    };
    const ExpressionNode& frac = expression_.nodes[fraction];
    return integerLiteral(whole) && frac.op == ExpressionOp::kDivide &&
           integerLiteral(frac.children[0]) && integerLiteral(frac.children[1]);
  }

  int parseUnary() {
    DepthGuard guard(*this);
    if (isSymbol("-")) {
      ++position_;
      return addOp(ExpressionOp::kNegate, {parseUnary()});
    }
    if (isSymbol("+")) {
      ++position_;
      return parseUnary();
    }
    return parsePower();
  }

  int parsePower() {
    DepthGuard guard(*this);
    int base = parsePostfix();
    if (isSymbol("^")) {
      ++position_;
      int exponent = parseScript();
      base = addOp(ExpressionOp::kPower, {base, exponent});
      if (isSymbol("^")) fail("double superscript");
      while (isSymbol("!")) {
        ++position_;
        base = addOp(ExpressionOp::kFactorial, {base});
      }
    }
    return base;
  }

  int parsePostfix() {
    int value = parsePrimary();
    while (isSymbol("!")) {
      ++position_;
      value = addOp(ExpressionOp::kFactorial, {value});
    }
    return value;
  }

  // The argument of ^, _, \frac, \sqrt: a braced group or one token (one digit of a number).
  int parseScript() {
    DepthGuard guard(*this);
    if (isSymbol("{")) {
      ++position_;
      int inner = parseSum();
      expectSymbol("}");
      return inner;
    }
    if (isSymbol("-")) {
      ++position_;
      return addOp(ExpressionOp::kNegate, {parseScript()});
    }
    if (current().kind == TokenKind::kNumber) {
      Token& token = tokens_[position_];
      std::string digit(1, token.text[0]);
      if (token.text.size() == 1) {
        ++position_;
      } else {
        token.text.erase(0, 1);
        ++token.offset;
      }
      return addNumber(digit);
    }
    if (current().kind == TokenKind::kLetter || current().kind == TokenKind::kCommand) {
      return parsePrimary();
    }
    fail("missing argument");
  }

  std::string readRawScript() {
    // Subscripts name things (x_1, 4210_5): keep their text, not their value.
    if (isSymbol("{")) {
      ++position_;
      std::string text;
      int braces = 1;
      while (current().kind != TokenKind::kEnd) {
        if (isSymbol("{")) ++braces;
        if (isSymbol("}") && --braces == 0) break;
        text += current().text;
        ++position_;
      }
      expectSymbol("}");
      return text;
    }
    if (current().kind == TokenKind::kEnd) fail("missing subscript");
    std::string text = current().text;
    if (current().kind == TokenKind::kNumber && text.size() > 1) {
      tokens_[position_].text.erase(0, 1);
      return text.substr(0, 1);
    }
    ++position_;
    return text;
  }

  int parseGroup(const char* close) {
    ++position_;
    int inner = parseSum();
    expectSymbol(close);
    return inner;
  }

  int parsePrimary() {
    DepthGuard guard(*this);
    const Token token = current();
    switch (token.kind) {
      case TokenKind::kNumber: {
        ++position_;
        if (isSymbol("_")) {
          ++position_;
          return addOp(ExpressionOp::kVariable, {}, token.text + "_" + readRawScript());
        }
        return addNumber(token.text);
      }
      case TokenKind::kLetter: {
        ++position_;
        std::string name = token.text;
        if (isSymbol("_")) {
          ++position_;
          return addOp(ExpressionOp::kVariable, {}, name + "_" + readRawScript());
        }
        if (name == "e") return addOp(ExpressionOp::kEuler, {});
        if (name == "i") return addOp(ExpressionOp::kImaginaryUnit, {});
        return addOp(ExpressionOp::kVariable, {}, name);
      }
      case TokenKind::kSymbol:
        if (token.text == "(") return parseGroup(")");
        if (token.text == "[") return parseGroup("]");
        if (token.text == "{") return parseGroup("}");
        if (token.text == "|" && absDepth_ == 0) {
          ++position_;
          ++absDepth_;
          int inner = parseSum();
          --absDepth_;
          expectSymbol("|");
          return addOp(ExpressionOp::kFunction, {inner}, "abs");
        }
        fail("unexpected '" + token.text + "'");
      case TokenKind::kCommand:
        return parseCommand(token.text);
      case TokenKind::kEnd:
        fail("unexpected end");
    }
    fail("unexpected token");
  }

  int parseCommand(const std::string& name) {
    ++position_;
    if (name == "frac" || name == "cfrac") {
      int numerator = parseScript();
      int denominator = parseScript();
      return addOp(ExpressionOp::kDivide, {numerator, denominator});
    }
    if (name == "binom") {
      int n = parseScript();
      int k = parseScript();
      return addOp(ExpressionOp::kBinomial, {n, k});
    }
    if (name == "sqrt") {
      if (isSymbol("[")) {
        int index = parseGroup("]");
        int radicand = parseScript();
        return addOp(ExpressionOp::kFunction, {index, radicand}, "root");
      }
      return addOp(ExpressionOp::kFunction, {parseScript()}, "sqrt");
    }
    if (name == "pi") return addOp(ExpressionOp::kPi, {});
    if (name == "infty" || name == "infinity") return addOp(ExpressionOp::kInfinity, {});
    if (isGreekLetterName(name)) {
      std::string variable = "\\" + name;
      if (isSymbol("_")) {
        ++position_;
        variable += "_" + readRawScript();
      }
      return addOp(ExpressionOp::kVariable, {}, variable);
    }
    if (name == "lfloor" || name == "lceil") {
      int inner = parseSum();
      if (!isCommand(name == "lfloor" ? "rfloor" : "rceil")) fail("unclosed " + name);
      ++position_;
      return addOp(ExpressionOp::kFunction, {inner}, name == "lfloor" ? "floor" : "ceil");
    }
    if (name == "operatorname") {
      std::string function = readRawScript();
      if (!isFunctionName(function)) fail("unknown operator " + function);
      return parseFunction(function);
    }
    if (isFunctionName(name)) return parseFunction(name);
    fail("unsupported command \\" + name);
  }

  int parseFunction(std::string name) {
    if (name == "lg") name = "log10";
    int base = -1;
    if (name == "log" || name == "log10") {
      if (isSymbol("_")) {
        ++position_;
        base = parseScript();
      } else {
        base = addNumber("10");  // log without a base: common logarithm
      }
      name = "log";
    }
    int exponent = -1;
    if (isSymbol("^")) {  // \sin^2 x means (\sin x)^2
      ++position_;
      exponent = parseScript();
    }
    int argument = isSymbol("(") ? parseGroup(")") : parseProduct(true);
    int applied = base >= 0 ? addOp(ExpressionOp::kFunction, {base, argument}, name)
                            : addOp(ExpressionOp::kFunction, {argument}, name);
    return exponent >= 0 ? addOp(ExpressionOp::kPower, {applied, exponent}) : applied;
  }

  std::vector<Token> tokens_;
  const ParseLimits& limits_;
  Expression expression_;
  std::size_t position_ = 0;
  int depth_ = 0;
  int absDepth_ = 0;
};

}  // namespace

ParsedExpression parseLatexExpression(std::string_view latex, const ParseLimits& limits) {
  ParsedExpression result;
  if (latex.size() > limits.maxInputBytes) {
    result.error = "answer longer than " + std::to_string(limits.maxInputBytes) + " bytes";
    return result;
  }
  try {
    Parser parser(tokenizeLatex(latex), limits);
    result.expression = parser.parse();
    result.ok = true;
  } catch (const ParseFailure& failure) {
    result.error = failure.what();
  }
  return result;
}

}  // namespace astro::math
