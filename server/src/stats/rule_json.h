#pragma once
// Reading the bureau's rule settings (红黑榜 rule, 考核 scheme) from JSON: decimals typed as text and kept
// exact, short texts checked for control characters; every error names its field.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/money.h"
#include "common/status.h"

namespace kp::stats {

// "25", "27.5", "-0.1" → an exact ratio; at most 4 whole digits and 4 decimals; a sign only when
// `allow_negative`; nullopt when malformed or above 1000 in magnitude.
std::optional<Ratio> ParseDecimal(std::string_view s, bool allow_negative = false);
// The ratio as the bureau typed it: up to 4 decimals, trailing zeros dropped ("0.1", "25", "-3").
std::string DecimalText(const Ratio& r);
// A decimal field given as text ("0.1") or a JSON integer; `fallback` when absent or null.
Result<Ratio> ReadDecimal(const boost::json::object& o, const char* key, const std::string& field, Ratio fallback,
                          bool allow_negative = false);
// A whole number in [lo, hi]; `fallback` when absent.
Result<int> ReadInt(const boost::json::object& o, const char* key, const std::string& field, int fallback, int lo, int hi);
// A single-line text of at most max_bytes (trimmed); "" when absent and not required.
Result<std::string> ReadText(const boost::json::object& o, const char* key, const std::string& field, size_t max_bytes,
                             bool required);

}  // namespace kp::stats
