#include "stats/rule_json.h"

#include <boost/json.hpp>

#include "common/text.h"

namespace kp::stats {

std::optional<Ratio> ParseDecimal(std::string_view s, bool allow_negative) {
  bool negative = false;
  if (allow_negative && !s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot), frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 4 || frac.size() > 4 || (dot != std::string_view::npos && frac.empty())) return std::nullopt;
  for (char c : whole) if (c < '0' || c > '9') return std::nullopt;
  for (char c : frac) if (c < '0' || c > '9') return std::nullopt;
  int64_t num = 0, den = 1;
  for (char c : whole) num = num * 10 + (c - '0');
  for (char c : frac) {
    num = num * 10 + (c - '0');
    den *= 10;
  }
  Ratio r = Ratio::Of(negative ? -num : num, den);
  if (Ratio::Of(1000, 1) < r || r < Ratio::Of(-1000, 1)) return std::nullopt;
  return r;
}

std::string DecimalText(const Ratio& r) {
  std::string s = r.Format(4);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

Result<Ratio> ReadDecimal(const boost::json::object& o, const char* key, const std::string& field, Ratio fallback,
                          bool allow_negative) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  std::optional<Ratio> r;
  if (v->is_int64()) r = ParseDecimal(std::to_string(v->as_int64()), allow_negative);
  else if (v->is_string()) r = ParseDecimal(std::string_view(v->as_string()), allow_negative);
  if (!r) {
    return InvalidArgument(field + std::string(" 应为最多 4 位小数的数，写作文本如 \"0.1\"") +
                               (allow_negative ? "" : "，不能为负") + " (a decimal as text, e.g. \"0.1\")",
                           field);
  }
  return *r;
}

Result<int> ReadInt(const boost::json::object& o, const char* key, const std::string& field, int fallback, int lo, int hi) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
    return InvalidArgument(field + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " 的整数 (an integer " +
                               std::to_string(lo) + "-" + std::to_string(hi) + ")",
                           field);
  }
  return static_cast<int>(v->as_int64());
}

Result<std::string> ReadText(const boost::json::object& o, const char* key, const std::string& field, size_t max_bytes,
                             bool required) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return InvalidArgument(field + " 不能为空 (required)", field);
    return std::string();
  }
  if (!v->is_string()) return InvalidArgument(field + " 应为文本 (a string)", field);
  std::string s(Trim(std::string_view(v->as_string())));
  if (required && s.empty()) return InvalidArgument(field + " 不能为空 (required)", field);
  if (s.size() > max_bytes) return InvalidArgument(field + " 过长 (too long)", field);
  if (std::string p = TextProblem(s, TextShape::kSingleLine); !p.empty()) return InvalidArgument(field + ": " + p, field);
  return s;
}

}  // namespace kp::stats
