#pragma once
// Money is an exact count of yuan in 64 bits (never floating point). Tables and input use
// 万元 (10,000 yuan) with up to four decimals, which is exact in yuan.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kp {

struct Money {
  int64_t yuan = 0;
  constexpr Money() = default;
  constexpr explicit Money(int64_t y) : yuan(y) {}
  static constexpr Money FromWan(int64_t wan) { return Money(wan * 10000); }
  friend constexpr Money operator+(Money a, Money b) { return Money(a.yuan + b.yuan); }
  friend constexpr Money operator-(Money a, Money b) { return Money(a.yuan - b.yuan); }
  Money& operator+=(Money o) { yuan += o.yuan; return *this; }
  friend constexpr bool operator==(Money a, Money b) = default;
  friend constexpr auto operator<=>(Money a, Money b) = default;
  // 万元 as a double, for JSON output only (exact for |x| < 2^53 yuan).
  double Wan() const { return static_cast<double>(yuan) / 10000.0; }
};

inline constexpr int64_t kYuanPerWan = 10000;
inline constexpr int64_t kYuanPerYi = 100000000;

// Parses an amount in 万元: "1234", "1234.5678", "1,234.5", " 12 ". Rejects negative values,
// more than four decimals, and anything that is not a number; the message says which.
Result<Money> ParseWan(std::string_view text);
// Parses an amount in 元: whole yuan (non-zero cents are rejected: money is kept in whole yuan).
Result<Money> ParseYuan(std::string_view text);

// The unit a column's header names: 元, 万元 (the default) or 亿元.
enum class MoneyUnit { kYuan, kWan, kYi };
// Parses an amount in the given unit into exact yuan (元: whole yuan; 万元: up to 4 decimals;
// 亿元: up to 8 decimals). Errors as for ParseWan.
Result<Money> ParseMoney(std::string_view text, MoneyUnit unit);

// Exact decimal text in 万元 with trailing zeros trimmed: 12345678 yuan -> "1234.5678".
std::string FormatWan(Money m);
// Rounded (half away from zero) to `decimals` places in 万元 or 亿元.
std::string FormatWanRounded(Money m, int decimals);
std::string FormatYiRounded(Money m, int decimals);

// An exact rational number num/den (den > 0), rounded only when formatted.
struct Ratio {
  __int128 num = 0;
  __int128 den = 1;
  static Ratio Of(__int128 n, __int128 d);  // REQUIRES: d != 0
  double ToDouble() const;
  // Rounded half away from zero to `decimals` places: Ratio{1,3}.Format(2) == "0.33".
  std::string Format(int decimals) const;
  Ratio Times(int64_t k) const { return Of(num * k, den); }
  friend Ratio operator-(const Ratio& a, const Ratio& b) { return Of(a.num * b.den - b.num * a.den, a.den * b.den); }
  friend Ratio operator/(const Ratio& a, const Ratio& b) { return Of(a.num * b.den, a.den * b.num); }
  friend bool operator<(const Ratio& a, const Ratio& b) { return a.num * b.den < b.num * a.den; }
  friend bool operator==(const Ratio& a, const Ratio& b) { return a.num * b.den == b.num * a.den; }
};

}  // namespace kp
