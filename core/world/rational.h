// Exact rational arithmetic for the countdown world: every step and every boxed expression is
// checked with these, never with floating point, so a verdict is never a rounding artefact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace astro::world {

// num/den in lowest terms with den > 0. Operations return nullopt on int64 overflow (the caller
// reports it); dividedBy throws std::invalid_argument for a zero divisor, which callers rule out
// first because division by zero is a verdict, not an error.
class Rational {
 public:
  constexpr Rational() = default;
  constexpr Rational(std::int64_t integer) : num_(integer) {}  // NOLINT: integers are rationals
  // Throws std::invalid_argument when den == 0.
  static Rational fraction(std::int64_t num, std::int64_t den);

  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }
  bool isInteger() const { return den_ == 1; }
  bool isZero() const { return num_ == 0; }
  bool isNegative() const { return num_ < 0; }

  std::optional<Rational> plus(const Rational& other) const;
  std::optional<Rational> minus(const Rational& other) const;
  std::optional<Rational> times(const Rational& other) const;
  std::optional<Rational> dividedBy(const Rational& other) const;  // other must be non-zero

  // "7", "-3", "7/2": the form steps and verdicts print and parseRational reads back.
  std::string toString() const;

  friend bool operator==(const Rational&, const Rational&) = default;
  friend bool operator<(const Rational& a, const Rational& b);

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

// Reads "12", "-3" or "7/2" (no spaces); nullopt for anything else or out-of-range digits.
std::optional<Rational> parseRational(std::string_view text);

// "3, 7/2, 12": a list of numbers as steps print their remaining numbers.
std::string joinRationals(const std::vector<Rational>& values);

}  // namespace astro::world
