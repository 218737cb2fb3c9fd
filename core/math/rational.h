// Exact rational numbers over 128-bit integers for the verifier: 0.333 and 1/3 must compare as
// different, so numbers compare exactly wherever they fit; every operation reports overflow
// (nullopt) instead of wrapping, and callers fall back to evaluation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace astro::math {

class Rational {
 public:
  using Int = __int128;

  Rational() = default;
  explicit Rational(long long integer) : numerator_(integer) {}
  // Reduces to lowest terms with a positive denominator; nullopt when denominator is zero.
  static std::optional<Rational> fromFraction(Int numerator, Int denominator);
  // Parses "123", "-4.50", ".5", "1.2e-3" exactly; nullopt when malformed or too large.
  static std::optional<Rational> parseDecimal(std::string_view text);

  Int numerator() const { return numerator_; }
  Int denominator() const { return denominator_; }
  bool isInteger() const { return denominator_ == 1; }
  bool isZero() const { return numerator_ == 0; }
  double toDouble() const;
  std::string toString() const;

  friend bool operator==(const Rational& a, const Rational& b) = default;

 private:
  Int numerator_ = 0;
  Int denominator_ = 1;
};

std::optional<Rational> add(const Rational& a, const Rational& b);
std::optional<Rational> subtract(const Rational& a, const Rational& b);
std::optional<Rational> multiply(const Rational& a, const Rational& b);
std::optional<Rational> divide(const Rational& a, const Rational& b);
std::optional<Rational> negate(const Rational& a);
// Integer exponents only (negative allowed for nonzero bases); nullopt on overflow.
std::optional<Rational> power(const Rational& base, long long exponent);
// n! for 0 <= n <= 33 (34! exceeds 128 bits).
std::optional<Rational> factorial(const Rational& n);

}  // namespace astro::math
