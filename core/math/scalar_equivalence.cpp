// Scalar and equation equivalence. Sample points are fixed (deterministic verdicts) and mix
// positive and negative values so that |x| and x, or sqrt(x^2) and x, are told apart.
#include "core/math/scalar_equivalence.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/math/latex_parser.h"

namespace astro::math {

namespace {
using Complex = std::complex<double>;
using Values = std::map<std::string, Complex>;

constexpr std::array<double, 7> kSamplePoints = {0.7236, 1.3817, 2.2412, -0.5831,
                                                 -1.6379, 0.3149, 2.9073};
constexpr int kMinimumReliablePoints = 3;
constexpr double kExactDoubleLimit = 9007199254740992.0;  // 2^53

bool close(Complex a, Complex b, double tolerance) {
  double scale = std::max(std::abs(a), std::abs(b));
  double difference = std::abs(a - b);
  return difference <= tolerance * scale || difference < 1e-12;
}

Values samplePoint(const std::vector<std::string>& variables, std::size_t pointIndex) {
  Values values;
  for (std::size_t v = 0; v < variables.size(); ++v) {
    // Different variables get different values at the same point (x + y is not 2x).
    double base = kSamplePoints[(pointIndex + 3 * v) % kSamplePoints.size()];
    values[variables[v]] = base + 0.1173 * static_cast<double>(v);
  }
  return values;
}

std::string lowerWithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '{' || c == '}') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// Words ("east", "Evelyn", "even") compare as text, not as products of one-letter variables.
bool isWordAnswer(std::string_view text) {
  int run = 0;
  bool longRun = false;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      longRun = longRun || ++run >= 3;
    } else if (c == ' ' || c == '-' || c == '\'') {
      run = 0;
    } else {
      return false;
    }
  }
  return longRun;
}

Equivalence textVerdict(std::string_view gold, std::string_view prediction, std::string reason) {
  bool equal = lowerWithoutSpaces(gold) == lowerWithoutSpaces(prediction);
  return {equal, "text", equal ? "" : reason};
}

std::vector<std::string> unionOfVariables(const Expression& a, const Expression& b) {
  std::set<std::string> names;
  for (auto& name : variableNames(a)) names.insert(name);
  for (auto& name : variableNames(b)) names.insert(name);
  return {names.begin(), names.end()};
}

Equivalence structuralVerdict(const Expression& gold, const Expression& prediction,
                              const char* why) {
  bool equal = canonicalText(gold) == canonicalText(prediction);
  return {equal, "structural", equal ? why : std::string(why) + "; structures differ"};
}

Equivalence compareExpressions(const Expression& gold, const Expression& prediction,
                               const EquivalenceOptions& options) {
  auto variables = unionOfVariables(gold, prediction);
  if (variables.empty()) {
    auto exactGold = exactValue(gold);
    auto exactPrediction = exactValue(prediction);
    if (exactGold && exactPrediction) {
      bool equal = *exactGold == *exactPrediction;
      return {equal, "rational",
              equal ? "" : exactGold->toString() + " != " + exactPrediction->toString()};
    }
    Evaluation goldValue = evaluate(gold, {});
    Evaluation predictionValue = evaluate(prediction, {});
    if (!goldValue.reliable || !predictionValue.reliable) {
      return structuralVerdict(gold, prediction, "values out of floating-point range");
    }
    // Past 2^53 doubles cannot tell neighbouring integers apart (3^{100} vs 3^{100}+1).
    if (std::max(std::abs(goldValue.value), std::abs(predictionValue.value)) > kExactDoubleLimit) {
      return structuralVerdict(gold, prediction, "values too large to compare in floating point");
    }
    bool equal = close(goldValue.value, predictionValue.value, options.numericTolerance);
    return {equal, "numeric", equal ? "" : "values differ"};
  }
  int reliablePoints = 0;
  for (std::size_t point = 0; point < kSamplePoints.size(); ++point) {
    Values values = samplePoint(variables, point);
    Evaluation goldValue = evaluate(gold, values);
    Evaluation predictionValue = evaluate(prediction, values);
    if (!goldValue.reliable || !predictionValue.reliable) continue;
    ++reliablePoints;
    if (!close(goldValue.value, predictionValue.value, options.expressionTolerance)) {
      return {false, "expression", "values differ at sample point " + std::to_string(point)};
    }
  }
  if (reliablePoints < kMinimumReliablePoints) {
    return structuralVerdict(gold, prediction, "too few sample points evaluate");
  }
  return {true, "expression", ""};
}

}  // namespace

bool isSingleVariable(std::string_view text) {
  auto parsed = parseLatexExpression(text);
  return parsed.ok && parsed.expression.nodes.size() == 1 &&
         parsed.expression.nodes[0].op == ExpressionOp::kVariable;
}

Equivalence compareScalars(std::string_view gold, std::string_view prediction,
                           const EquivalenceOptions& options) {
  if (gold == prediction) return {true, "exact", ""};
  if (gold.empty() || prediction.empty()) return {false, "empty", "one answer is empty"};
  if (isWordAnswer(gold) || isWordAnswer(prediction)) {
    return textVerdict(gold, prediction, "different words");
  }
  auto goldParsed = parseLatexExpression(gold);
  auto predictionParsed = parseLatexExpression(prediction);
  if (!goldParsed.ok || !predictionParsed.ok) {
    std::string why = !goldParsed.ok ? "gold unreadable: " + goldParsed.error
                                     : "prediction unreadable: " + predictionParsed.error;
    return textVerdict(gold, prediction, why);
  }
  return compareExpressions(goldParsed.expression, predictionParsed.expression, options);
}

Equivalence compareEquations(std::string_view goldLhs, std::string_view goldRhs,
                             std::string_view predictionLhs, std::string_view predictionRhs,
                             const EquivalenceOptions& options) {
  std::array<ParsedExpression, 4> sides = {
      parseLatexExpression(goldLhs), parseLatexExpression(goldRhs),
      parseLatexExpression(predictionLhs), parseLatexExpression(predictionRhs)};
  for (const auto& side : sides) {
    if (!side.ok) return {false, "equation", "unreadable side: " + side.error};
  }
  std::set<std::string> names;
  for (const auto& side : sides) {
    for (auto& name : variableNames(side.expression)) names.insert(name);
  }
  if (names.empty()) {
    // Numeric equations ("2+2=4") have no constant multiple to find: compare side by side.
    auto same = [&](int a, int b) {
      return compareExpressions(sides[a].expression, sides[b].expression, options).equal;
    };
    bool equal = (same(0, 2) && same(1, 3)) || (same(0, 3) && same(1, 2));
    return {equal, "equation", equal ? "" : "sides differ"};
  }
  std::vector<std::string> variables(names.begin(), names.end());
  std::optional<Complex> factor;
  int reliablePoints = 0;
  int nonzeroPoints = 0;
  for (std::size_t point = 0; point < kSamplePoints.size(); ++point) {
    Values values = samplePoint(variables, point);
    std::array<Evaluation, 4> at;
    bool reliable = true;
    for (int i = 0; i < 4; ++i) {
      at[i] = evaluate(sides[i].expression, values);
      reliable = reliable && at[i].reliable;
    }
    if (!reliable) continue;
    ++reliablePoints;
    Complex goldDifference = at[0].value - at[1].value;
    Complex predictionDifference = at[2].value - at[3].value;
    bool goldZero = std::abs(goldDifference) < 1e-10;
    bool predictionZero = std::abs(predictionDifference) < 1e-10;
    if (goldZero != predictionZero) {
      return {false, "equation", "solution sets differ at sample point " + std::to_string(point)};
    }
    if (goldZero) continue;
    ++nonzeroPoints;
    if (!factor) factor = goldDifference / predictionDifference;
    if (!close(goldDifference, *factor * predictionDifference, options.expressionTolerance)) {
      return {false, "equation", "not a constant multiple at sample point " +
                                     std::to_string(point)};
    }
  }
  if (reliablePoints < kMinimumReliablePoints) {
    return {false, "equation", "too few sample points evaluate"};
  }
  if (nonzeroPoints == 0) {
    // Both sides identically equal (x = x): an identity says nothing; only the same text counts.
    bool equal = canonicalText(sides[0].expression) == canonicalText(sides[2].expression) &&
                 canonicalText(sides[1].expression) == canonicalText(sides[3].expression);
    return {equal, "equation", equal ? "" : "identities differ"};
  }
  return {true, "equation", ""};
}

}  // namespace astro::math
