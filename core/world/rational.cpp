#include "core/world/rational.h"

#include <charconv>
#include <numeric>
#include <stdexcept>

namespace astro::world {

namespace {

// Lowest terms, positive denominator; nullopt when the result does not fit int64.
std::optional<Rational> normalized(__int128 num, __int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  __int128 a = num < 0 ? -num : num;
  __int128 b = den;
  while (b != 0) {
    __int128 rest = a % b;
    a = b;
    b = rest;
  }
  if (a > 1) {
    num /= a;
    den /= a;
  }
  constexpr __int128 kMax = INT64_MAX;
  if (num > kMax || num < -kMax || den > kMax) return std::nullopt;
  return Rational::fraction(static_cast<std::int64_t>(num), static_cast<std::int64_t>(den));
}

}  // namespace

Rational Rational::fraction(std::int64_t num, std::int64_t den) {
  if (den == 0) throw std::invalid_argument("Rational::fraction: zero denominator");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  std::int64_t divisor = std::gcd(num, den);
  Rational value;
  value.num_ = divisor > 1 ? num / divisor : num;
  value.den_ = divisor > 1 ? den / divisor : den;
  return value;
}

std::optional<Rational> Rational::plus(const Rational& other) const {
  return normalized(
      static_cast<__int128>(num_) * other.den_ + static_cast<__int128>(other.num_) * den_,
      static_cast<__int128>(den_) * other.den_);
}

std::optional<Rational> Rational::minus(const Rational& other) const {
  return normalized(
      static_cast<__int128>(num_) * other.den_ - static_cast<__int128>(other.num_) * den_,
      static_cast<__int128>(den_) * other.den_);
}

std::optional<Rational> Rational::times(const Rational& other) const {
  return normalized(static_cast<__int128>(num_) * other.num_,
                    static_cast<__int128>(den_) * other.den_);
}

std::optional<Rational> Rational::dividedBy(const Rational& other) const {
  if (other.num_ == 0) throw std::invalid_argument("Rational::dividedBy: division by zero");
  return normalized(static_cast<__int128>(num_) * other.den_,
                    static_cast<__int128>(den_) * other.num_);
}

std::string Rational::toString() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

std::string joinRationals(const std::vector<Rational>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += values[i].toString();
  }
  return text;
}

bool operator<(const Rational& a, const Rational& b) {
  return static_cast<__int128>(a.num_) * b.den_ < static_cast<__int128>(b.num_) * a.den_;
}

std::optional<Rational> parseRational(std::string_view text) {
  auto readInteger = [](std::string_view digits) -> std::optional<std::int64_t> {
    std::string_view body = digits.starts_with('-') ? digits.substr(1) : digits;
    if (body.empty() || body.size() > 18) return std::nullopt;
    for (char c : body) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    std::int64_t value = 0;
    std::from_chars(body.data(), body.data() + body.size(), value);
    return digits.starts_with('-') ? -value : value;
  };
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    auto integer = readInteger(text);
    if (!integer) return std::nullopt;
    return Rational(*integer);
  }
  auto num = readInteger(text.substr(0, slash));
  std::string_view denText = text.substr(slash + 1);
  if (denText.starts_with('-')) return std::nullopt;
  auto den = readInteger(denText);
  if (!num || !den || *den == 0) return std::nullopt;
  return Rational::fraction(*num, *den);
}

}  // namespace astro::world
