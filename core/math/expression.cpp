// Evaluation of expression trees: exact over rationals where possible, complex doubles otherwise.
#include "core/math/expression.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

namespace astro::math {

namespace {
using Complex = std::complex<double>;
using Values = std::map<std::string, Complex>;

// Magnitudes beyond these make double comparisons meaningless (1/2004! underflows to 0).
constexpr double kHugeMagnitude = 1e120;
constexpr double kTinyMagnitude = 1e-120;

std::optional<Rational> exactAt(const Expression& e, int index) {
  const ExpressionNode& node = e.nodes[index];
  switch (node.op) {
    case ExpressionOp::kNumber:
      if (!node.exact) return std::nullopt;
      return node.number;
    case ExpressionOp::kAdd:
    case ExpressionOp::kMultiply: {
      std::optional<Rational> total =
          Rational(node.op == ExpressionOp::kAdd ? 0 : 1);
      for (int child : node.children) {
        auto value = exactAt(e, child);
        if (!value) return std::nullopt;
        total = node.op == ExpressionOp::kAdd ? add(*total, *value) : multiply(*total, *value);
        if (!total) return std::nullopt;
      }
      return total;
    }
    case ExpressionOp::kNegate: {
      auto value = exactAt(e, node.children[0]);
      if (!value) return std::nullopt;
      return negate(*value);
    }
    case ExpressionOp::kDivide: {
      auto numerator = exactAt(e, node.children[0]);
      if (!numerator) return std::nullopt;
      auto denominator = exactAt(e, node.children[1]);
      if (!denominator) return std::nullopt;
      return divide(*numerator, *denominator);
    }
    case ExpressionOp::kPower: {
      auto exponent = exactAt(e, node.children[1]);
      if (!exponent || !exponent->isInteger()) return std::nullopt;
      if (exponent->numerator() > 4096 || exponent->numerator() < -4096) return std::nullopt;
      auto base = exactAt(e, node.children[0]);
      if (!base) return std::nullopt;
      return power(*base, static_cast<long long>(exponent->numerator()));
    }
    case ExpressionOp::kFactorial: {
      auto value = exactAt(e, node.children[0]);
      if (!value) return std::nullopt;
      return factorial(*value);
    }
    case ExpressionOp::kBinomial: {
      auto n = exactAt(e, node.children[0]);
      auto k = exactAt(e, node.children[1]);
      if (!n || !k || !n->isInteger() || !k->isInteger()) return std::nullopt;
      if (k->numerator() < 0 || k->numerator() > n->numerator()) return Rational(0);
      if (k->numerator() > 200) return std::nullopt;
      Rational result(1);
      for (Rational::Int i = 1; i <= k->numerator(); ++i) {
        auto top = Rational::fromFraction(n->numerator() - k->numerator() + i, i);
        if (!top) return std::nullopt;
        auto next = multiply(result, *top);
        if (!next) return std::nullopt;
        result = *next;
      }
      return result;
    }
    default:
      return std::nullopt;
  }
}

Complex applyFunction(const std::string& name, Complex x) {
  if (name == "sqrt") return std::sqrt(x);
  if (name == "sin") return std::sin(x);
  if (name == "cos") return std::cos(x);
  if (name == "tan") return std::tan(x);
  if (name == "cot") return 1.0 / std::tan(x);
  if (name == "sec") return 1.0 / std::cos(x);
  if (name == "csc") return 1.0 / std::sin(x);
  if (name == "arcsin") return std::asin(x);
  if (name == "arccos") return std::acos(x);
  if (name == "arctan") return std::atan(x);
  if (name == "sinh") return std::sinh(x);
  if (name == "cosh") return std::cosh(x);
  if (name == "tanh") return std::tanh(x);
  if (name == "ln") return std::log(x);
  if (name == "exp") return std::exp(x);
  if (name == "abs") return std::abs(x);
  if (name == "floor" && x.imag() == 0) return std::floor(x.real());
  if (name == "ceil" && x.imag() == 0) return std::ceil(x.real());
  return Complex(std::nan(""), 0);
}

// A negative real to a power p/q with q odd (q <= 15) has a real value: sign (-1)^p.
std::optional<double> realOddRootPower(Complex base, Complex exponent) {
  if (base.imag() != 0 || exponent.imag() != 0 || !(base.real() < 0) ||
      !std::isfinite(exponent.real())) {
    return std::nullopt;  // NaN exponents must not reach the integer conversion below
  }
  for (int q = 3; q <= 15; q += 2) {
    double p = exponent.real() * q;
    if (std::abs(p - std::round(p)) > 1e-12 || std::abs(p) > 1e6) continue;
    double magnitude = std::pow(-base.real(), exponent.real());
    return static_cast<long long>(std::round(p)) % 2 == 0 ? magnitude : -magnitude;
  }
  return std::nullopt;
}

Evaluation evaluateAt(const Expression& e, int index, const Values& values) {
  const ExpressionNode& node = e.nodes[index];
  Evaluation out;
  auto child = [&](int i) {
    Evaluation value = evaluateAt(e, node.children[i], values);
    out.reliable = out.reliable && value.reliable;
    return value.value;
  };
  switch (node.op) {
    case ExpressionOp::kNumber:
      out.value = node.approximate;
      out.reliable = node.exact || std::abs(node.approximate) < 1e15;
      break;
    case ExpressionOp::kVariable: {
      auto found = values.find(node.name);
      if (found == values.end()) return {Complex(std::nan(""), 0), false};
      out.value = found->second;
      break;
    }
    case ExpressionOp::kPi: out.value = std::numbers::pi; break;
    case ExpressionOp::kEuler: out.value = std::numbers::e; break;
    case ExpressionOp::kImaginaryUnit: out.value = Complex(0, 1); break;
    case ExpressionOp::kInfinity: return {Complex(INFINITY, 0), false};
    case ExpressionOp::kAdd:
      out.value = 0;
      for (std::size_t i = 0; i < node.children.size(); ++i) out.value += child(i);
      break;
    case ExpressionOp::kMultiply:
      out.value = 1;
      for (std::size_t i = 0; i < node.children.size(); ++i) out.value *= child(i);
      break;
    case ExpressionOp::kNegate: out.value = -child(0); break;
    case ExpressionOp::kDivide: {
      Complex numerator = child(0);
      Complex denominator = child(1);
      if (std::abs(denominator) == 0) return {Complex(std::nan(""), 0), false};
      out.value = numerator / denominator;
      break;
    }
    case ExpressionOp::kPower: {
      Complex base = child(0);
      Complex exponent = child(1);
      // Real bases with real exponents stay real where the real power exists (cube roots of
      // negatives written as powers are rare; integer exponents are common).
      if (base.imag() == 0 && exponent.imag() == 0 &&
          (base.real() >= 0 || exponent.real() == std::round(exponent.real()))) {
        out.value = std::pow(base.real(), exponent.real());
      } else if (auto odd = realOddRootPower(base, exponent)) {
        out.value = *odd;  // x^{1/3} agrees with \sqrt[3]{x} for negative x
      } else {
        out.value = std::pow(base, exponent);
      }
      break;
    }
    case ExpressionOp::kFactorial: {
      Complex n = child(0);
      if (n.imag() != 0 || n.real() < 0) return {Complex(std::nan(""), 0), false};
      out.value = std::tgamma(n.real() + 1);
      break;
    }
    case ExpressionOp::kBinomial: {
      Complex n = child(0);
      Complex k = child(1);
      if (n.imag() != 0 || k.imag() != 0) return {Complex(std::nan(""), 0), false};
      out.value = std::tgamma(n.real() + 1) /
                  (std::tgamma(k.real() + 1) * std::tgamma(n.real() - k.real() + 1));
      break;
    }
    case ExpressionOp::kFunction:
      if (node.name == "log") {  // children: base, argument
        Complex base = child(0);
        Complex argument = child(1);
        out.value = std::log(argument) / std::log(base);
      } else if (node.name == "root") {  // children: index, radicand
        Complex index = child(0);
        Complex radicand = child(1);
        bool oddRealRoot = radicand.imag() == 0 && radicand.real() < 0 && index.imag() == 0 &&
                           std::fmod(index.real(), 2.0) == 1.0;
        out.value = oddRealRoot ? -std::pow(-radicand.real(), 1.0 / index.real())
                                : std::pow(radicand, 1.0 / index);
      } else {
        out.value = applyFunction(node.name, child(0));
      }
      break;
  }
  // -0.0 imaginary parts (from negating reals) would put sqrt(-1) on the wrong branch.
  if (out.value.imag() == 0) out.value.imag(0.0);
  double magnitude = std::abs(out.value);
  if (!std::isfinite(out.value.real()) || !std::isfinite(out.value.imag()) ||
      magnitude > kHugeMagnitude || (magnitude != 0 && magnitude < kTinyMagnitude)) {
    out.reliable = false;
  }
  return out;
}

void collectVariables(const Expression& e, std::set<std::string>& names) {
  for (const auto& node : e.nodes) {
    if (node.op == ExpressionOp::kVariable) names.insert(node.name);
  }
}

std::string canonicalAt(const Expression& e, int index) {
  const ExpressionNode& node = e.nodes[index];
  auto childText = [&](int i) { return canonicalAt(e, node.children[i]); };
  switch (node.op) {
    case ExpressionOp::kNumber:
      return node.exact ? node.number.toString() : node.name;
    case ExpressionOp::kVariable: return node.name;
    case ExpressionOp::kPi: return "pi";
    case ExpressionOp::kEuler: return "e";
    case ExpressionOp::kImaginaryUnit: return "i";
    case ExpressionOp::kInfinity: return "inf";
    case ExpressionOp::kAdd:
    case ExpressionOp::kMultiply: {
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < node.children.size(); ++i) parts.push_back(childText(i));
      std::sort(parts.begin(), parts.end());
      std::string text = node.op == ExpressionOp::kAdd ? "+(" : "*(";
      for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? "," : "") + parts[i];
      return text + ")";
    }
    case ExpressionOp::kNegate: return "-(" + childText(0) + ")";
    case ExpressionOp::kDivide: return "/(" + childText(0) + "," + childText(1) + ")";
    case ExpressionOp::kPower: return "^(" + childText(0) + "," + childText(1) + ")";
    case ExpressionOp::kFactorial: return "!(" + childText(0) + ")";
    case ExpressionOp::kBinomial: return "C(" + childText(0) + "," + childText(1) + ")";
    case ExpressionOp::kFunction: {
      std::string text = node.name + "(";
      for (std::size_t i = 0; i < node.children.size(); ++i) text += (i ? "," : "") + childText(i);
      return text + ")";
    }
  }
  return {};
}
}  // namespace

std::optional<Rational> exactValue(const Expression& expression) {
  if (expression.root < 0) return std::nullopt;
  return exactAt(expression, expression.root);
}

Evaluation evaluate(const Expression& expression, const Values& values) {
  if (expression.root < 0) return {Complex(std::nan(""), 0), false};
  return evaluateAt(expression, expression.root, values);
}

std::vector<std::string> variableNames(const Expression& expression) {
  std::set<std::string> names;
  collectVariables(expression, names);
  return {names.begin(), names.end()};
}

bool containsInfinity(const Expression& expression) {
  return std::any_of(expression.nodes.begin(), expression.nodes.end(),
                     [](const ExpressionNode& n) { return n.op == ExpressionOp::kInfinity; });
}

std::string canonicalText(const Expression& expression) {
  if (expression.root < 0) return {};
  return canonicalAt(expression, expression.root);
}

}  // namespace astro::math
