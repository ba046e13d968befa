#include "common/json_text.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace kp {
namespace {

void Write(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; return;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case boost::json::kind::int64: out += std::to_string(v.get_int64()); return;
    case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); return;
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      char buf[400];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
      out.append(buf, ec == std::errc() ? p : buf);
      return;
    }
    case boost::json::kind::string: out += boost::json::serialize(v); return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(e, out);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::value(kv.key()));
        out += ':';
        Write(kv.value(), out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string ToJsonText(const boost::json::value& v) {
  std::string out;
  out.reserve(256);
  Write(v, out);
  return out;
}

}  // namespace kp
