#include "common/money.h"

#include <cstdlib>
#include <cstdint>
#include <numeric>

#include "common/text.h"

namespace kp {
namespace {

constexpr int kMaxWanDecimals = 4;
constexpr int64_t kMaxWhole = 900'000'000'000LL;  // 9e11 万元 keeps yuan far from overflow

// Parses a non-negative decimal with at most `max_decimals` places into an integer scaled by
// 10^max_decimals. Accepts thousands separators, full-width digits and surrounding blanks.
Result<int64_t> ParseScaledDecimal(std::string_view raw, int max_decimals, const char* unit) {
  const std::string shown(raw);
  std::string s = NormalizeNumberText(raw);
  // The ideographic full stop typed for a decimal point on a Chinese keyboard ("1234。5").
  for (size_t p; (p = s.find("\u3002")) != std::string::npos;) s.replace(p, 3, ".");
  // A unit typed after the number: its own unit (万元 also as 万) is fine, another one is refused.
  const std::string own(unit);
  const bool wan = own == "万元", yi = own == "亿元";
  for (const std::string& suffix : {own, std::string(wan ? "万" : yi ? "亿" : "元")}) {
    if (s.size() > suffix.size() && s.ends_with(suffix)) {
      s.resize(s.size() - suffix.size());
      while (!s.empty() && s.back() == ' ') s.pop_back();
      break;
    }
  }
  for (const char* other : {"元", "万", "亿"}) {
    if (s.ends_with(other)) {
      return InvalidArgument("金额单位应为" + own + "，请换算后只填数字 (the amount is in " + own + "): " + shown);
    }
  }
  if (s.empty()) return InvalidArgument("金额为空 (empty amount)");
  if (s[0] == '-') return InvalidArgument("金额不能为负数 (negative amount): " + shown);
  if (s[0] == '+') s.erase(0, 1);
  const std::string not_a_number = "不是有效的数字，应为以" + own + "计的金额，如 1234.5 或 1,234.5 (not a number; expected an amount in " +
                                   own + ", e.g. 1234.5 or 1,234.5): " + shown;
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool seen_dot = false, seen_digit = false;
  for (char c : s) {
    if (c == '.') {
      if (seen_dot) return InvalidArgument(not_a_number);
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_dot) {
        ++frac_digits;
        if (frac_digits > max_decimals) {
          // Trailing zeros beyond the limit are harmless ("1.00000").
          if (c != '0') {
            return InvalidArgument("小数位数过多，" + own + "最多 " + std::to_string(max_decimals) + " 位小数 (more than " +
                                   std::to_string(max_decimals) + " decimals in " + own + "): " + shown);
          }
          continue;
        }
        frac = frac * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
        if (whole > kMaxWhole) return InvalidArgument("金额过大 (amount too large): " + shown);
      }
    } else {
      return InvalidArgument(not_a_number);
    }
  }
  if (!seen_digit) return InvalidArgument(not_a_number);
  for (int i = std::min(frac_digits, max_decimals); i < max_decimals; ++i) frac *= 10;
  int64_t scale = 1;
  for (int i = 0; i < max_decimals; ++i) scale *= 10;
  return whole * scale + frac;
}

std::string FormatScaled(__int128 v, int64_t scale, int decimals_in_scale, bool trim) {
  bool neg = v < 0;
  if (neg) v = -v;
  __int128 whole = v / scale, frac = v % scale;
  std::string w;
  if (whole == 0) w = "0";
  while (whole > 0) { w.insert(w.begin(), char('0' + int(whole % 10))); whole /= 10; }
  std::string f;
  for (int i = 0; i < decimals_in_scale; ++i) { f.insert(f.begin(), char('0' + int(frac % 10))); frac /= 10; }
  if (trim) while (!f.empty() && f.back() == '0') f.pop_back();
  std::string out = (neg ? "-" : "") + w;
  if (!f.empty()) out += "." + f;
  return out;
}

__int128 RoundDiv(__int128 n, __int128 d) {  // d > 0, half away from zero
  if (n >= 0) return (n * 2 + d) / (d * 2);
  return -((-n * 2 + d) / (d * 2));
}

}  // namespace

Result<Money> ParseWan(std::string_view text) {
  auto v = ParseScaledDecimal(text, kMaxWanDecimals, "万元");
  if (!v.ok()) return v.status();
  return Money(*v);
}

Result<Money> ParseYuan(std::string_view text) {
  auto v = ParseScaledDecimal(text, 0, "元");
  if (!v.ok()) return v.status();
  return Money(*v);
}

Result<Money> ParseMoney(std::string_view text, MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kWan: return ParseWan(text);
    case MoneyUnit::kYuan: {
      auto v = ParseScaledDecimal(text, 0, "元");
      if (!v.ok()) return InvalidArgument(v.status().message() + "（金额精确到元 / amounts are kept in whole yuan）");
      return Money(*v);
    }
    case MoneyUnit::kYi: {
      constexpr int kYiDecimals = 8;
      auto v = ParseScaledDecimal(text, kYiDecimals, "亿元");
      if (!v.ok()) return v.status();
      return Money(*v);
    }
  }
  return InvalidArgument("unknown unit");
}

std::string FormatWan(Money m) { return FormatScaled(m.yuan, kYuanPerWan, 4, true); }

std::string FormatWanRounded(Money m, int decimals) {
  return Ratio::Of(m.yuan, kYuanPerWan).Format(decimals);
}

std::string FormatYiRounded(Money m, int decimals) { return Ratio::Of(m.yuan, kYuanPerYi).Format(decimals); }

Ratio Ratio::Of(__int128 n, __int128 d) {
  if (d < 0) { n = -n; d = -d; }
  __int128 a = n < 0 ? -n : n, b = d;
  constexpr __int128 kMax64 = static_cast<__int128>(INT64_MAX);
  if (a <= kMax64 && b <= kMax64) {
    // The common case: a fast 64-bit (binary) gcd.
    a = static_cast<__int128>(std::gcd(static_cast<uint64_t>(a), static_cast<uint64_t>(b)));
  } else {
    while (b != 0) { __int128 t = a % b; a = b; b = t; }
  }
  if (a > 1) { n /= a; d /= a; }
  return Ratio{n, d};
}

double Ratio::ToDouble() const {
  // Split into integer part and remainder to keep precision for large numerators.
  __int128 q = num / den, r = num % den;
  return static_cast<double>(q) + static_cast<double>(r) / static_cast<double>(den);
}

std::string Ratio::Format(int decimals) const {
  __int128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  __int128 scaled = RoundDiv(num * scale, den);
  return FormatScaled(scaled, static_cast<int64_t>(scale), decimals, false);
}

}  // namespace kp
