#include "domain/project_diff.h"

#include <cstdio>
#include <variant>

namespace kp {
namespace {

// A field's value as JSON sees it. Written by hand rather than through boost::json: an import of
// 100k projects writes 100k of these, and building JSON objects was a quarter of its store time.
using Value = std::variant<std::nullptr_t, std::string, int64_t, bool>;

struct Field {
  const char* key;
  Value value;
};

std::vector<Field> Fields(const Project& p) {
  auto opt_date = [](const std::optional<Date>& d) { return d ? Value(d->ToString()) : Value(nullptr); };
  return {{"code", p.code},
          {"name", p.name},
          {"level", std::string(LevelName(p.level))},
          {"nature", p.nature},
          {"industry", p.industry},
          {"region_id", p.region_id ? Value(*p.region_id) : Value(nullptr)},
          {"total_investment_wan", FormatWan(p.total_investment)},
          {"owner", p.owner},
          {"unit", p.unit},
          {"person", p.person},
          {"leader", p.leader},
          {"is_demo", p.is_demo},
          {"status", p.status},
          {"planned_start", opt_date(p.planned_start)},
          {"planned_end", opt_date(p.planned_end)},
          {"content", p.content}};
}

bool IsEmpty(const Value& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) return true;
  if (const auto* s = std::get_if<std::string>(&v)) return s->empty();
  if (const auto* b = std::get_if<bool>(&v)) return !*b;
  return false;
}

void AppendString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through
        }
    }
  }
  out += '"';
}

void AppendValue(std::string& out, const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) AppendString(out, *s);
  else if (const auto* n = std::get_if<int64_t>(&v)) out += std::to_string(*n);
  else if (const auto* b = std::get_if<bool>(&v)) out += *b ? "true" : "false";
  else out += "null";
}

}  // namespace

std::string ProjectSnapshotJson(const Project& p) {
  std::string out = "{";
  for (const Field& f : Fields(p)) {
    AppendString(out, f.key);
    out += ':';
    AppendValue(out, f.value);
    out += ',';
  }
  out += "\"id\":" + std::to_string(p.id) + "}";
  return out;
}

std::string ProjectChangesJson(const Project* before, const Project* after) {
  std::vector<Field> b = before ? Fields(*before) : std::vector<Field>{};
  std::vector<Field> a = after ? Fields(*after) : std::vector<Field>{};
  const std::vector<Field>& keys = before ? b : a;
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Value bv = before ? b[i].value : Value(nullptr);
    const Value av = after ? a[i].value : Value(nullptr);
    if (bv == av) continue;
    if (!before && IsEmpty(av)) continue;
    if (!after && IsEmpty(bv)) continue;
    out += out.empty() ? "{" : ",";
    AppendString(out, keys[i].key);
    out += ":[";
    AppendValue(out, bv);
    out += ',';
    AppendValue(out, av);
    out += ']';
  }
  if (out.empty()) return "";
  return out + "}";
}

}  // namespace kp
