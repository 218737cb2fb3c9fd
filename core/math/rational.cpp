// Rational arithmetic with overflow checks on every multiply and add (GCC/Clang builtins).
#include "core/math/rational.h"

#include <algorithm>
#include <cmath>

namespace astro::math {

namespace {
using Int = Rational::Int;

Int absolute(Int value) { return value < 0 ? -value : value; }

Int greatestCommonDivisor(Int a, Int b) {
  a = absolute(a);
  b = absolute(b);
  while (b != 0) {
    Int rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

// The smallest 128-bit value has no positive counterpart; refuse it so negation never overflows.
constexpr Int kIntMin = static_cast<Int>(static_cast<unsigned __int128>(1) << 127);

std::optional<Int> checkedMultiply(Int a, Int b) {
  Int out;
  if (__builtin_mul_overflow(a, b, &out) || out == kIntMin) return std::nullopt;
  return out;
}

std::optional<Int> checkedAdd(Int a, Int b) {
  Int out;
  if (__builtin_add_overflow(a, b, &out) || out == kIntMin) return std::nullopt;
  return out;
}

std::string intToString(Int value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(value) : value;
  std::string digits;
  while (magnitude > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}
}  // namespace

std::optional<Rational> Rational::fromFraction(Int numerator, Int denominator) {
  if (denominator == 0 || numerator == kIntMin || denominator == kIntMin) return std::nullopt;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  Int divisor = greatestCommonDivisor(numerator, denominator);
  Rational out;
  out.numerator_ = divisor > 1 ? numerator / divisor : numerator;
  out.denominator_ = divisor > 1 ? denominator / divisor : denominator;
  return out;
}

std::optional<Rational> Rational::parseDecimal(std::string_view text) {
  std::size_t at = 0;
  bool negative = false;
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) negative = text[at++] == '-';
  Int numerator = 0;
  Int denominator = 1;
  bool anyDigit = false;
  bool inFraction = false;
  for (; at < text.size(); ++at) {
    char c = text[at];
    if (c == '.' && !inFraction) {
      inFraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    anyDigit = true;
    auto scaled = checkedMultiply(numerator, 10);
    if (!scaled) return std::nullopt;
    auto next = checkedAdd(*scaled, c - '0');
    if (!next) return std::nullopt;
    numerator = *next;
    if (inFraction) {
      auto grown = checkedMultiply(denominator, 10);
      if (!grown) return std::nullopt;
      denominator = *grown;
    }
  }
  if (!anyDigit) return std::nullopt;
  long long exponent = 0;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    bool negativeExponent = false;
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) {
      negativeExponent = text[at++] == '-';
    }
    if (at == text.size()) return std::nullopt;
    for (; at < text.size(); ++at) {
      if (text[at] < '0' || text[at] > '9' || exponent > 1000) return std::nullopt;
      exponent = exponent * 10 + (text[at] - '0');
    }
    if (negativeExponent) exponent = -exponent;
  }
  if (at != text.size()) return std::nullopt;
  auto value = fromFraction(negative ? -numerator : numerator, denominator);
  if (!value || exponent == 0) return value;
  auto scale = power(Rational(10), exponent);
  if (!scale) return std::nullopt;
  return multiply(*value, *scale);
}

double Rational::toDouble() const {
  return static_cast<double>(static_cast<long double>(numerator_) /
                             static_cast<long double>(denominator_));
}

std::string Rational::toString() const {
  if (denominator_ == 1) return intToString(numerator_);
  return intToString(numerator_) + "/" + intToString(denominator_);
}

std::optional<Rational> add(const Rational& a, const Rational& b) {
  auto left = checkedMultiply(a.numerator(), b.denominator());
  auto right = checkedMultiply(b.numerator(), a.denominator());
  auto denominator = checkedMultiply(a.denominator(), b.denominator());
  if (!left || !right || !denominator) return std::nullopt;
  auto numerator = checkedAdd(*left, *right);
  if (!numerator) return std::nullopt;
  return Rational::fromFraction(*numerator, *denominator);
}

std::optional<Rational> negate(const Rational& a) {
  return Rational::fromFraction(-a.numerator(), a.denominator());
}

std::optional<Rational> subtract(const Rational& a, const Rational& b) {
  auto negated = negate(b);
  if (!negated) return std::nullopt;
  return add(a, *negated);
}

std::optional<Rational> multiply(const Rational& a, const Rational& b) {
  // Cross-reduce first so products of reduced fractions overflow as late as possible.
  Int g1 = greatestCommonDivisor(a.numerator(), b.denominator());
  Int g2 = greatestCommonDivisor(b.numerator(), a.denominator());
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  auto numerator = checkedMultiply(a.numerator() / g1, b.numerator() / g2);
  auto denominator = checkedMultiply(a.denominator() / g2, b.denominator() / g1);
  if (!numerator || !denominator) return std::nullopt;
  return Rational::fromFraction(*numerator, *denominator);
}

std::optional<Rational> divide(const Rational& a, const Rational& b) {
  if (b.isZero()) return std::nullopt;
  auto inverse = Rational::fromFraction(b.denominator(), b.numerator());
  if (!inverse) return std::nullopt;
  return multiply(a, *inverse);
}

std::optional<Rational> power(const Rational& base, long long exponent) {
  if (exponent < 0) {
    if (base.isZero()) return std::nullopt;
    auto inverse = Rational::fromFraction(base.denominator(), base.numerator());
    if (!inverse) return std::nullopt;
    return power(*inverse, -exponent);
  }
  // |base| >= 2 overflows 127 bits past exponent 127; 0, 1 and -1 are cheap at any exponent.
  if (exponent > 128 && absolute(base.numerator()) > 1) return std::nullopt;
  if (exponent > 128 && base.denominator() > 1) return std::nullopt;
  Rational result(1);
  Rational factor = base;
  while (exponent > 0) {
    if (exponent & 1) {
      auto next = multiply(result, factor);
      if (!next) return std::nullopt;
      result = *next;
    }
    exponent >>= 1;
    if (exponent > 0) {
      auto squared = multiply(factor, factor);
      if (!squared) return std::nullopt;
      factor = *squared;
    }
  }
  return result;
}

std::optional<Rational> factorial(const Rational& n) {
  if (!n.isInteger() || n.numerator() < 0 || n.numerator() > 33) return std::nullopt;
  Rational result(1);
  for (Int k = 2; k <= n.numerator(); ++k) {
    auto next = multiply(result, Rational(static_cast<long long>(k)));
    if (!next) return std::nullopt;
    result = *next;
  }
  return result;
}

}  // namespace astro::math
