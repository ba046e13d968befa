// Problem-list endpoints (清单制 + 责任制 + 销号制): the list and worklists, one problem with its
// events, raising, editing, the moves of the state machine, figures, settings, import and export.
#include <charconv>

#include "api/import_answer.h"
#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/exports.h"
#include "domain/problems.h"
#include "stats/problem_stats_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object ToJson(const Problem& p, const ProblemSettings& s) {
  json::value ext = nullptr;
  if (p.ext_deadline) ext = json::object{{"deadline", p.ext_deadline->ToString()}, {"reason", p.ext_reason}, {"by", p.ext_by}};
  return {{"id", p.id},
          {"project_id", p.project_id},
          {"category", p.category},
          {"text", p.text},
          {"source", p.source},
          {"report_month", p.report_month ? json::value(p.report_month->ToString()) : json::value(nullptr)},
          {"visit_id", p.visit_id ? json::value(*p.visit_id) : json::value(nullptr)},
          {"raised_by", p.raised_by},
          {"raised_on", p.raised_on.ToString()},
          {"lead_unit", p.lead_unit},
          {"co_units", Strings(p.co_units)},
          {"person", p.person},
          {"deadline", OptDate(p.deadline)},
          {"state", ProblemStateName(p.state)},
          {"state_label", ProblemStateLabel(p.state)},
          {"answer", p.answer},
          {"closed_on", OptDate(p.closed_on)},
          {"close_note", p.close_note},
          {"escalation", p.escalation},
          {"escalation_label", EscalationLabel(s, p.escalation)},
          {"extension", std::move(ext)},
          {"version", p.version},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

// The problem as the caller sees it: with its project, overdue days as of today and the moves allowed.
json::object View(const Problem& p, const ProblemSettings& s, Problems& problems, Register& reg, const User& u) {
  json::object o = ToJson(p, s);
  auto brief = reg.stats_engine().Briefs({p.project_id}).front();
  o["project_code"] = brief ? brief->code : "";
  o["project_name"] = brief ? brief->name : "";
  const auto overdue = OverdueDays(p, TodayBeijing());
  o["overdue_days"] = overdue ? json::value(*overdue) : json::value(nullptr);
  o["allowed"] = Strings(problems.Allowed(p, u));
  return o;
}

json::object RowJson(const ProblemRow& r, const ProblemSettings& s, Problems& problems, const User& u) {
  json::object o = ToJson(r.problem, s);
  o["project_code"] = r.project.code;
  o["project_name"] = r.project.name;
  o["overdue_days"] = r.overdue_days ? json::value(*r.overdue_days) : json::value(nullptr);
  o["allowed"] = Strings(problems.Allowed(r.problem, u));
  return o;
}

Result<ProblemFilter> FilterOf(const Request& req) {
  ProblemFilter f;
  auto get = [&](const char* k) { return std::string(Trim(req.Query(k).value_or(""))); };
  auto flag = [&](const char* k) { return get(k) == "1" || get(k) == "true"; };
  auto integer = [&](const char* k, int64_t lo, int64_t hi, int64_t& into) -> Status {
    std::string v = get(k);
    if (v.empty()) return Status::Ok();
    int64_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
      return InvalidArgument(std::string(k) + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " 的整数 (bad " + k + ")", k);
    }
    into = x;
    return Status::Ok();
  };
  int64_t pid = 0, offset = 0, limit = 50;
  if (Status s = integer("project_id", 1, INT64_MAX, pid); !s.ok()) return s;
  if (pid) f.project_id = pid;
  if (Status s = integer("offset", 0, 10'000'000, offset); !s.ok()) return s;
  if (Status s = integer("limit", 1, 500, limit); !s.ok()) return s;
  f.offset = static_cast<int>(offset);
  f.limit = static_cast<int>(limit);
  if (std::string v = get("state"); !v.empty()) {
    auto st = ParseProblemState(v);
    if (!st) return InvalidArgument("state 应为 pending/working/answered/closed (bad state): " + v, "state");
    f.state = *st;
  }
  f.open = flag("open");
  f.overdue = flag("overdue");
  f.escalated = flag("escalated");
  f.mine = flag("mine");
  for (auto [k, into] : {std::pair{"unit", &f.unit}, std::pair{"category", &f.category}, std::pair{"source", &f.source},
                         std::pair{"q", &f.text}}) {
    if (std::string v = get(k); !v.empty()) *into = v;
  }
  f.as_of = TodayBeijing();
  if (std::string v = get("as_of"); !v.empty()) {
    auto d = ParseDate(v);
    if (!d.ok() || !IsValidDate(*d)) return InvalidArgument("as_of 应为日期 (bad as_of): " + v, "as_of");
    f.as_of = *d;
  }
  return f;
}

Result<std::vector<std::string>> ReadStrings(const json::object& o, const char* field) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(field);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return InvalidArgument(std::string(field) + " 应为数组 (must be an array)", field);
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return InvalidArgument(std::string(field) + " 的每一项应为文字 (entries must be text)", field);
    json::object one{{"v", e}};
    auto s = ReadString(one, "v");
    if (!s.ok()) return Status(s.status().code(), s.status().message(), field);
    out.push_back(*s);
  }
  return out;
}

// The fields of a problem in a body (absent ones keep p's).
Status ReadProblem(const json::object& o, Problem& p) {
  for (auto [field, into] : {std::pair{"category", &p.category}, std::pair{"text", &p.text}, std::pair{"source", &p.source},
                             std::pair{"lead_unit", &p.lead_unit}, std::pair{"person", &p.person}}) {
    if (!o.contains(field)) continue;
    auto v = ReadString(o, field);
    if (!v.ok()) return v.status();
    *into = *v;
  }
  if (o.contains("co_units")) {
    auto v = ReadStrings(o, "co_units");
    if (!v.ok()) return v.status();
    p.co_units = *v;
  }
  if (o.contains("deadline")) {
    auto d = ReadDate(o, "deadline");
    if (!d.ok()) return d.status();
    p.deadline = *d;
  }
  if (o.contains("raised_on")) {
    auto d = ReadDate(o, "raised_on");
    if (!d.ok()) return d.status();
    if (*d) p.raised_on = **d;
  }
  if (o.contains("report_month")) {
    auto v = ReadString(o, "report_month");
    if (!v.ok()) return v.status();
    if (!v->empty()) {
      auto m = ParseYearMonth(*v);
      if (!m.ok()) return InvalidArgument("report_month 应为 2024-03 这样的月份 (bad month): " + *v, "report_month");
      p.report_month = *m;
    }
  }
  if (o.contains("version")) {
    auto v = ReadInt(o, "version", 1, 1'000'000'000);
    if (!v.ok()) return v.status();
    p.version = static_cast<int>(*v);
  }
  return Status::Ok();
}

Result<ProblemAction> ReadAction(const json::object& o, const std::string& name) {
  ProblemAction a;
  a.name = name;
  auto v = ReadInt(o, "version", 1, 1'000'000'000);
  if (!v.ok()) return v.status();
  a.version = static_cast<int>(*v);
  auto note = ReadString(o, "note");
  if (!note.ok()) return note.status();
  a.note = *note;
  for (auto [field, into] : {std::pair{"lead_unit", &a.lead_unit}, std::pair{"person", &a.person}}) {
    if (!o.contains(field)) continue;
    auto s = ReadString(o, field);
    if (!s.ok()) return s.status();
    *into = *s;
  }
  if (o.contains("co_units")) {
    auto s = ReadStrings(o, "co_units");
    if (!s.ok()) return s.status();
    a.co_units = *s;
  }
  for (auto [field, into] : {std::pair{"deadline", &a.deadline}, std::pair{"date", &a.date}}) {
    auto d = ReadDate(o, field);
    if (!d.ok()) return d.status();
    *into = *d;
  }
  if (o.contains("level")) {
    auto l = ReadInt(o, "level", 1, 4);
    if (!l.ok()) return l.status();
    a.level = static_cast<int>(*l);
  }
  return a;
}

json::object SettingsJson(const ProblemSettings& s) {
  json::array levels;
  for (size_t i = 0; i < s.levels.size(); ++i) {
    levels.emplace_back(json::object{{"level", i + 1}, {"name", s.levels[i].name}, {"logins", Strings(s.levels[i].logins)}});
  }
  return {{"categories", Strings(s.categories)},
          {"sources", Strings(s.sources)},
          {"escalation_days", s.escalation_days},
          {"levels", std::move(levels)}};
}

// The problem {id} when the caller may see it.
Result<Problem> LoadProblem(const Request& req, Problems& problems) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto p = problems.Get(*id);
  if (!p.ok()) return p.status();
  if (!req.user || !problems.CanSee(*req.user, *p)) return NotFound("没有该问题 (no such problem)");
  return p;
}

}  // namespace


void AddProblemRoutes(http::Router& router, Register& reg, Problems& problems) {
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access raisers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/problem-settings", readers, [&problems](const Request&) {
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(SettingsJson(*s));
  });
  router.Add("PUT", "/api/problem-settings", admin, [&problems](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto cur = problems.Settings();
    if (!cur.ok()) return http::ErrorResponse(cur.status());
    ProblemSettings s = *cur;
    for (auto [field, into] : {std::pair{"categories", &s.categories}, std::pair{"sources", &s.sources}}) {
      if (!body->contains(field)) continue;
      auto v = ReadStrings(*body, field);
      if (!v.ok()) return http::ErrorResponse(v.status());
      *into = *v;
    }
    if (body->contains("escalation_days")) {
      auto v = ReadInt(*body, "escalation_days", 1, 365);
      if (!v.ok()) return http::ErrorResponse(v.status());
      s.escalation_days = static_cast<int>(*v);
    }
    if (const json::value* l = body->if_contains("levels")) {
      if (!l->is_array() || l->as_array().size() != 4) return http::ErrorResponse(InvalidArgument("levels 应为 4 个层级 (four levels)", "levels"));
      for (size_t i = 0; i < 4; ++i) {
        const json::value& e = l->as_array()[i];
        if (!e.is_object()) return http::ErrorResponse(InvalidArgument("levels 的每一项应为对象 (objects)", "levels"));
        auto name = ReadString(e.as_object(), "name");
        if (!name.ok()) return http::ErrorResponse(Status(name.status().code(), name.status().message(), "levels"));
        s.levels[i].name = *name;
        auto logins = ReadStrings(e.as_object(), "logins");
        if (!logins.ok()) return http::ErrorResponse(Status(logins.status().code(), logins.status().message(), "levels"));
        s.levels[i].logins = *logins;
      }
    }
    if (Status st = problems.SaveSettings(s, ActorOf(req)); !st.ok()) return http::ErrorResponse(st);
    return Json(SettingsJson(s));
  });

  router.Add("GET", "/api/problems", readers, [&problems](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    auto page = problems.List(*f, *req.user);
    if (!page.ok()) return http::ErrorResponse(page.status());
    json::array items;
    for (const ProblemRow& r : page->items) items.emplace_back(RowJson(r, *s, problems, *req.user));
    return Json(json::object{{"total", page->total}, {"items", std::move(items)}});
  });
  router.Add("GET", "/api/problems/summary", readers, [&problems](const Request& req) {
    auto s = problems.Summary(*req.user, TodayBeijing());
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(json::object{{"open", s->open},
                             {"overdue", s->overdue},
                             {"answered", s->answered},
                             {"escalated", s->escalated},
                             {"pending_extensions", s->pending_extensions}});
  });
  router.Add("GET", "/api/problems/stats", readers, [&reg, &problems](const Request& req) {
    auto settings = reg.GetSettings();
    if (!settings.ok()) return http::ErrorResponse(settings.status());
    std::map<std::string, std::string> params;
    for (const auto& [k, v] : req.query) params.emplace(k, v);
    auto q = stats::ParseProblemQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg.stats_engine());
    if (!q.ok()) return http::ErrorResponse(q.status());
    if (req.user->role == Role::kDepartment) q->unit = req.user->unit;
    if (req.user->role == Role::kOwner) q->owner = req.user->unit;
    auto r = problems.Stats(*q);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(stats::ProblemStatsToJson(*r));
  });
  router.Add("GET", "/api/problems/{id}", readers, [&reg, &problems](const Request& req) {
    auto p = LoadProblem(req, problems);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    auto events = problems.Events(p->id);
    if (!events.ok()) return http::ErrorResponse(events.status());
    json::object o = View(*p, *s, problems, reg, *req.user);
    json::array ev;
    for (const ProblemEvent& e : *events) {
      boost::system::error_code ec;
      json::value data = json::parse(e.data, ec);
      if (ec) data = json::object{};
      ev.emplace_back(json::object{{"id", e.id},
                                   {"at", e.at},
                                   {"on", e.on.ToString()},
                                   {"by", e.by},
                                   {"action", e.action},
                                   {"from_state", e.from_state},
                                   {"to_state", e.to_state},
                                   {"note", e.note},
                                   {"data", std::move(data)}});
    }
    o["events"] = std::move(ev);
    return Json(o);
  });
  router.Add("POST", "/api/problems", raisers, [&reg, &problems](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto pid = ReadInt(*body, "project_id", 1);
    if (!pid.ok()) return http::ErrorResponse(pid.status());
    auto project = reg.GetProject(*pid);
    if (!project.ok() || !CanSee(*req.user, *project)) {
      return http::ErrorResponse(Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id"));
    }
    Problem p;
    p.project_id = *pid;
    if (Status s = ReadProblem(*body, p); !s.ok()) return http::ErrorResponse(s);
    auto out = problems.Raise(p, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(View(*out, *s, problems, reg, *req.user), 201);
  });
  router.Add("PUT", "/api/problems/{id}", raisers, [&reg, &problems](const Request& req) {
    auto cur = LoadProblem(req, problems);
    if (!cur.ok()) return http::ErrorResponse(cur.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    if (!body->contains("version")) return http::ErrorResponse(InvalidArgument("缺少版本号 (version is required)", "version"));
    Problem p = *cur;
    if (Status s = ReadProblem(*body, p); !s.ok()) return http::ErrorResponse(s);
    auto out = problems.Edit(p, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(View(*out, *s, problems, reg, *req.user));
  });
  router.Add("POST", "/api/problems/{id}/actions/{action}", raisers, [&reg, &problems](const Request& req) {
    auto cur = LoadProblem(req, problems);
    if (!cur.ok()) return http::ErrorResponse(cur.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto a = ReadAction(*body, req.params.at("action"));
    if (!a.ok()) return http::ErrorResponse(a.status());
    auto out = problems.Act(cur->id, *a, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(View(*out, *s, problems, reg, *req.user));
  });

  router.Add("POST", "/api/import/problems/errors", admin, [&problems](const Request& req) {
    ImportOptions o = OptionsOf(req);
    o.dry_run = true;
    auto out = problems.ImportFile(req.Body(), ActorOf(req), o);
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Download("导入错误.xlsx", [&](const std::string& p) { return WriteErrorWorkbook(out->parsed, p); });
  }, http::BodyKind::kFile);
  router.Add("POST", "/api/import/problems", admin, [&problems](const Request& req) {
    ImportOptions o = OptionsOf(req);
    return ImportAnswer(problems.ImportFile(req.Body(), ActorOf(req), o), o.dry_run);
  }, http::BodyKind::kFile);
  router.Add("GET", "/api/export/problems", readers, [&problems](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    f->offset = 0;
    f->limit = 0;
    auto s = problems.Settings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    auto page = problems.List(*f, *req.user);
    if (!page.ok()) return http::ErrorResponse(page.status());
    return Download("问题清单-" + TodayBeijing().ToString() + ".xlsx",
                    [&](const std::string& path) { return ExportProblemList(*page, *s, f->as_of, path); });
  });
}

}  // namespace kp::api
