#include <charconv>
#include "api/json_codec.h"
#include "common/json_text.h"

namespace kp::api {
namespace json = boost::json;

json::value OptDate(const std::optional<Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }

json::object ToJson(const Project& p) {
  return json::object{{"id", p.id},
                      {"code", p.code},
                      {"name", p.name},
                      {"level", LevelName(p.level)},
                      {"nature", p.nature},
                      {"industry", p.industry},
                      {"region_id", p.region_id ? json::value(*p.region_id) : json::value(nullptr)},
                      {"region_name", p.region_name},
                      {"total_investment_wan", p.total_investment.Wan()},
                      {"total_investment_yuan", p.total_investment.yuan},
                      {"owner", p.owner},
                      {"unit", p.unit},
                      {"person", p.person},
                      {"leader", p.leader},
                      {"is_demo", p.is_demo},
                      {"status", p.status},
                      {"planned_start", OptDate(p.planned_start)},
                      {"planned_end", OptDate(p.planned_end)},
                      {"content", p.content},
                      {"version", p.version},
                      {"created_at", p.created_at},
                      {"updated_at", p.updated_at}};
}

json::object ToJson(const Region& r) {
  return json::object{{"id", r.id},
                      {"parent_id", r.parent_id ? json::value(*r.parent_id) : json::value(nullptr)},
                      {"name", r.name},
                      {"code", r.code},
                      {"retired", r.retired()},
                      {"merged_into", r.merged_into ? json::value(*r.merged_into) : json::value(nullptr)}};
}

json::object ToJson(const AnnualPlan& a) {
  return json::object{{"project_id", a.project_id}, {"year", a.year},          {"plan_wan", a.plan.Wan()},
                      {"plan_yuan", a.plan.yuan},   {"updated_at", a.updated_at}, {"updated_by", a.updated_by}};
}

json::object ToJson(const PlanRevision& r) {
  return json::object{{"year", r.year},
                      {"old_plan_wan", r.old_plan ? json::value(r.old_plan->Wan()) : json::value(nullptr)},
                      {"new_plan_wan", r.new_plan.Wan()},
                      {"changed_at", r.changed_at},
                      {"changed_by", r.changed_by}};
}

json::object ToJson(const MonthlyReport& r) {
  return json::object{{"project_id", r.project_id},      {"month", r.month.ToString()},
                      {"completed_wan", r.completed.Wan()}, {"completed_yuan", r.completed.yuan},
                      {"progress", r.progress},           {"problems", r.problems},
                      {"submitted_at", r.submitted_at},   {"submitted_by", r.submitted_by}};
}

json::object ToJson(const ReportRevision& r) {
  return json::object{{"month", r.month.ToString()},           {"old_completed_wan", r.old_completed.Wan()},
                      {"old_progress", r.old_progress},         {"old_problems", r.old_problems},
                      {"old_submitted_at", r.old_submitted_at}, {"old_submitted_by", r.old_submitted_by},
                      {"replaced_at", r.replaced_at},           {"replaced_by", r.replaced_by}};
}

json::object ToJson(const HistoryEntry& h) {
  json::value changes;
  boost::system::error_code ec;
  changes = json::parse(h.changes, ec);
  if (ec) changes = h.changes;
  return json::object{{"changed_at", h.changed_at},
                      {"changed_by", h.changed_by},
                      {"action", h.action},
                      {"changes", changes}};
}

json::object ToJson(const ImportSummary& s) {
  json::array regions;
  for (const auto& r : s.regions_created) regions.emplace_back(r);
  return json::object{{"rows", s.rows},
                      {"projects_created", s.projects_created},
                      {"projects_updated", s.projects_updated},
                      {"projects_unchanged", s.projects_unchanged},
                      {"plans_written", s.plans_written},
                      {"reports_created", s.reports_created},
                      {"reports_replaced", s.reports_replaced},
                      {"reports_unchanged", s.reports_unchanged},
                      {"regions_created", regions}};
}

json::object ToJson(const Settings& s) {
  return json::object{
      {"current_year", s.current_year},
      {"schedule", stats::ScheduleName(s.schedule)},
      {"report_deadline_day", s.report_deadline_day},
      {"home_region_id", s.home_region_id ? json::value(*s.home_region_id) : json::value(nullptr)},
      {"headline_threshold_pct", s.headline_threshold_pct},
      {"pinned_month", s.pinned_month ? json::value(s.pinned_month->ToString()) : json::value(nullptr)},
      {"reminder_hour", s.reminder_hour},
      {"report_pct_decimals", s.report_pct_decimals}};
}

Result<json::object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return InvalidArgument("请求体不是有效的 JSON (invalid JSON): " + ec.message());
  if (!v.is_object()) return InvalidArgument("请求体应为 JSON 对象 (expected a JSON object)");
  return std::move(v.as_object());
}

Result<std::map<std::string, std::string>> QuestionParams(const json::object& body, const std::set<std::string>& allowed) {
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : body) {
    const std::string key(k);
    if (!allowed.count(key)) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : "、") + a;
      return InvalidArgument("未知字段 " + key + "，可用：" + known + " (unknown field)", key);
    }
    if (v.is_null()) continue;
    if (v.is_string()) {
      params[key] = std::string(v.as_string());
    } else if (v.is_int64()) {
      params[key] = std::to_string(v.as_int64());
    } else if (v.is_array() && key == "levels") {
      std::string csv;
      for (const auto& l : v.as_array()) {
        if (!l.is_string()) return InvalidArgument("levels 应为级别名称的列表 (a list of level names)", "levels");
        csv += (csv.empty() ? "" : ",") + std::string(l.as_string());
      }
      params[key] = csv;
    } else if (v.is_number() || v.is_bool()) {
      return InvalidArgument(key + " 应为整数或文本 (an integer or text)", key);
    } else {
      return InvalidArgument(key + " 的值类型不对 (bad value)", key);
    }
  }
  return params;
}

Result<std::string> ReadString(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) return InvalidArgument(std::string(field) + " 应为文本 (expected a string)", field);
  std::string_view text(v->as_string());
  if (std::string why = TextProblem(text, TextShape::kMultiLine); !why.empty()) {
    return InvalidArgument(std::string(field) + " " + why, field);
  }
  return std::string(Trim(text));
}

Result<int64_t> ReadInt(const json::object& o, const char* field, int64_t lo, int64_t hi) {
  const json::value* v = o.if_contains(field);
  if (!v || v->is_null()) return InvalidArgument(std::string("缺少 ") + field + " (missing " + field + ")", field);
  std::optional<int64_t> x;
  if (v->is_int64()) x = v->as_int64();
  if (v->is_string()) {
    std::string_view s(v->as_string());
    int64_t parsed = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) x = parsed;
  }
  if (!x && !v->is_uint64()) return InvalidArgument(std::string(field) + " 应为整数 (expected an integer)", field);
  if (!x || *x < lo || *x > hi) {
    return InvalidArgument(std::string(field) + " 超出范围，应为 " + std::to_string(lo) + "-" + std::to_string(hi) +
                               " (out of range)",
                           field);
  }
  return *x;
}

Result<Money> ReadWan(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  if (!v || v->is_null()) return InvalidArgument(std::string("缺少 ") + field + " (missing " + field + ")", field);
  std::string text;
  if (v->is_string()) text = std::string(v->as_string());
  else if (v->is_number()) text = ToJsonText(*v);
  else return InvalidArgument(std::string(field) + " 应为数字 (expected a number)", field);
  auto m = ParseWan(text);
  if (!m.ok()) return InvalidArgument(m.status().message(), field);
  return *m;
}

Status ReadProjectFields(const json::object& o, Project& p) {
  struct S {
    const char* field;
    std::string* target;
  };
  for (S s : {S{"code", &p.code}, S{"name", &p.name}, S{"nature", &p.nature}, S{"industry", &p.industry},
              S{"owner", &p.owner}, S{"unit", &p.unit}, S{"person", &p.person}, S{"leader", &p.leader},
              S{"status", &p.status}, S{"content", &p.content}}) {
    if (!o.contains(s.field)) continue;
    auto v = ReadString(o, s.field);
    if (!v.ok()) return v.status();
    *s.target = *v;
  }
  if (o.contains("level")) {
    auto v = ReadString(o, "level");
    if (!v.ok()) return v.status();
    auto l = ParseLevel(*v);
    if (!l) return InvalidArgument("未知的项目级别「" + *v + "」，应为 省重点/市重点/县重点 (unknown level)", "level");
    p.level = *l;
  }
  if (o.contains("region_id")) {
    if (o.at("region_id").is_null()) {
      p.region_id.reset();
    } else {
      auto v = ReadInt(o, "region_id");
      if (!v.ok()) return v.status();
      p.region_id = *v;
    }
  }
  if (o.contains("total_investment_wan")) {
    if (o.at("total_investment_wan").is_null()) {
      p.total_investment = Money(0);
    } else {
      auto v = ReadWan(o, "total_investment_wan");
      if (!v.ok()) return v.status();
      p.total_investment = *v;
    }
  }
  if (o.contains("is_demo")) {
    const json::value& v = o.at("is_demo");
    if (!v.is_bool()) return InvalidArgument("is_demo 应为 true/false (expected a boolean)", "is_demo");
    p.is_demo = v.as_bool();
  }
  for (auto [field, target] : {std::pair<const char*, std::optional<Date>*>{"planned_start", &p.planned_start},
                               {"planned_end", &p.planned_end}}) {
    if (!o.contains(field)) continue;
    auto d = ReadDate(o, field);
    if (!d.ok()) return d.status();
    *target = *d;
  }
  return Status::Ok();
}

Result<std::optional<Date>> ReadDate(const json::object& o, const char* field) {
  auto v = ReadString(o, field);
  if (!v.ok()) return v.status();
  if (v->empty()) return std::optional<Date>();
  auto d = ParseDate(*v);
  if (!d.ok()) return InvalidArgument(d.status().message(), field);
  return std::optional<Date>(*d);
}

}  // namespace kp::api
