// On-site supervision endpoints (现场督导): visits, a finding turned into a problem, period figures.
#include "api/json_codec.h"
#include "api/problem_view.h"
#include "api/routes.h"
#include "domain/supervision.h"
#include "stats/stats_query.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object ToJson(const Visit& v, Register& reg) {
  std::vector<int64_t> ids;
  for (const VisitStop& s : v.stops) ids.push_back(s.project_id);
  auto briefs = reg.stats_engine().Briefs(ids);
  json::array stops;
  for (size_t i = 0; i < v.stops.size(); ++i) {
    const VisitStop& s = v.stops[i];
    json::array findings;
    for (const VisitFinding& f : s.findings) {
      findings.emplace_back(json::object{{"id", f.id},
                                         {"text", f.text},
                                         {"category", f.category},
                                         {"outcome", f.outcome},
                                         {"problem_id", f.problem_id ? json::value(*f.problem_id) : json::value(nullptr)}});
    }
    stops.emplace_back(json::object{{"id", s.id},
                                    {"project_id", s.project_id},
                                    {"project_code", briefs[i] ? briefs[i]->code : ""},
                                    {"project_name", briefs[i] ? briefs[i]->name : ""},
                                    {"seen", s.seen},
                                    {"reported", s.reported},
                                    {"on_schedule", s.on_schedule},
                                    {"findings", std::move(findings)}});
  }
  json::array members;
  for (const auto& m : v.members) members.emplace_back(m);
  return {{"id", v.id},           {"start", v.start.ToString()}, {"end", v.end.ToString()},
          {"leader", v.leader},   {"members", std::move(members)}, {"note", v.note},
          {"stops", std::move(stops)}, {"version", v.version},    {"updated_at", v.updated_at},
          {"updated_by", v.updated_by}};
}

Result<std::string> Text(const json::object& o, const std::string& field, const char* key) {
  auto v = ReadString(o, key);
  if (!v.ok()) return Status(v.status().code(), v.status().message(), field);
  return v;
}

Result<Visit> ReadVisit(const json::object& o) {
  Visit v;
  for (auto [field, into] : {std::pair{"start", &v.start}, std::pair{"end", &v.end}}) {
    auto d = ReadDate(o, field);
    if (!d.ok()) return d.status();
    if (!*d) return InvalidArgument(std::string("请填写日期 (date is required)"), field);
    *into = **d;
  }
  auto leader = ReadString(o, "leader");
  if (!leader.ok()) return leader.status();
  v.leader = *leader;
  auto note = ReadString(o, "note");
  if (!note.ok()) return note.status();
  v.note = *note;
  if (const json::value* m = o.if_contains("members"); m && !m->is_null()) {
    if (!m->is_array()) return InvalidArgument("members 应为数组 (must be an array)", "members");
    for (const auto& e : m->as_array()) {
      json::object one{{"v", e}};
      if (!e.is_string()) return InvalidArgument("成员应为文字 (members must be text)", "members");
      auto s = Text(one, "members", "v");
      if (!s.ok()) return s.status();
      v.members.push_back(*s);
    }
  }
  if (o.contains("version")) {
    auto ver = ReadInt(o, "version", 1, 1'000'000'000);
    if (!ver.ok()) return ver.status();
    v.version = static_cast<int>(*ver);
  }
  const json::value* stops = o.if_contains("stops");
  if (!stops || !stops->is_array()) return InvalidArgument("stops 应为数组 (must be an array)", "stops");
  for (size_t i = 0; i < stops->as_array().size(); ++i) {
    const json::value& e = stops->as_array()[i];
    const std::string where = "stops[" + std::to_string(i) + "]";
    if (!e.is_object()) return InvalidArgument("应为对象 (must be an object)", where);
    const json::object& so = e.as_object();
    VisitStop s;
    auto pid = ReadInt(so, "project_id", 1);
    if (!pid.ok()) return Status(pid.status().code(), pid.status().message(), where + ".project_id");
    s.project_id = *pid;
    for (auto [key, into] : {std::pair{"seen", &s.seen}, std::pair{"reported", &s.reported}}) {
      auto t = Text(so, where + "." + key, key);
      if (!t.ok()) return t.status();
      *into = *t;
    }
    if (const json::value* on = so.if_contains("on_schedule"); on && !on->is_null()) {
      if (!on->is_bool()) return InvalidArgument("on_schedule 应为 true/false", where + ".on_schedule");
      s.on_schedule = on->as_bool();
    }
    if (const json::value* fs = so.if_contains("findings"); fs && !fs->is_null()) {
      if (!fs->is_array()) return InvalidArgument("findings 应为数组 (must be an array)", where + ".findings");
      for (size_t j = 0; j < fs->as_array().size(); ++j) {
        const json::value& fe = fs->as_array()[j];
        const std::string fw = where + ".findings[" + std::to_string(j) + "]";
        if (!fe.is_object()) return InvalidArgument("应为对象 (must be an object)", fw);
        const json::object& fo = fe.as_object();
        VisitFinding f;
        if (fo.contains("id") && !fo.at("id").is_null()) {
          auto id = ReadInt(fo, "id", 0);
          if (!id.ok()) return Status(id.status().code(), id.status().message(), fw + ".id");
          f.id = *id;
        }
        for (auto [key, into] : {std::pair{"text", &f.text}, std::pair{"category", &f.category}, std::pair{"outcome", &f.outcome}}) {
          if (!fo.contains(key)) continue;
          auto t = Text(fo, fw + "." + key, key);
          if (!t.ok()) return t.status();
          *into = *t;
        }
        s.findings.push_back(std::move(f));
      }
    }
    v.stops.push_back(std::move(s));
  }
  return v;
}

Result<std::optional<Date>> DateParam(const Request& req, const char* name) {
  std::string v(Trim(req.Query(name).value_or("")));
  if (v.empty()) return std::optional<Date>();
  auto d = ParseDate(v);
  if (!d.ok() || !IsValidDate(*d) || d->year < 1990 || d->year > 2100) {
    return InvalidArgument(std::string(name) + " 应为日期 2024-03-31 (bad date): " + v, name);
  }
  return std::optional<Date>(*d);
}

}  // namespace

void AddVisitRoutes(http::Router& router, Register& reg, Supervision& sup) {
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/visits", readers, [&reg, &sup](const Request& req) {
    auto from = DateParam(req, "from");
    if (!from.ok()) return http::ErrorResponse(from.status());
    auto to = DateParam(req, "to");
    if (!to.ok()) return http::ErrorResponse(to.status());
    auto list = sup.List(*from, *to, *req.user);
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const Visit& v : *list) items.emplace_back(ToJson(v, reg));
    return Json(json::object{{"items", std::move(items)}});
  });
  router.Add("GET", "/api/visits/stats", readers, [&sup](const Request& req) {
    auto from = DateParam(req, "from");
    if (!from.ok()) return http::ErrorResponse(from.status());
    auto to = DateParam(req, "to");
    if (!to.ok()) return http::ErrorResponse(to.status());
    if (!*from || !*to) return http::ErrorResponse(InvalidArgument("请给出 from 与 to (from and to are required)", *from ? "to" : "from"));
    if (**to < **from) return http::ErrorResponse(InvalidArgument("to 早于 from (to before from)", "to"));
    std::vector<Level> levels;
    if (std::string l = req.Query("levels").value_or(""); !l.empty()) {
      auto parsed = stats::ParseLevels(l);
      if (!parsed.ok()) return http::ErrorResponse(parsed.status());
      levels = *parsed;
    }
    auto f = sup.Figures(**from, **to, levels, *req.user);
    if (!f.ok()) return http::ErrorResponse(f.status());
    auto cov = f->coverage_pct();
    return Json(json::object{{"from", f->from.ToString()},
                             {"to", f->to.ToString()},
                             {"visits", f->visits},
                             {"stops", f->stops},
                             {"projects_covered", f->projects_covered},
                             {"projects_total", f->projects_total},
                             {"coverage_pct", cov ? json::value(cov->ToDouble()) : json::value(nullptr)},
                             {"on_schedule", f->on_schedule},
                             {"with_problems", f->with_problems},
                             {"findings", f->findings},
                             {"solved_on_spot", f->solved_on_spot},
                             {"passed_up", f->passed_up},
                             {"problems_raised", f->problems_raised},
                             {"display", json::object{{"coverage_pct", cov ? cov->Format(1) : "—"}}}});
  });
  router.Add("GET", "/api/visits/{id}", readers, [&reg, &sup](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto v = sup.Get(*id, *req.user);
    if (!v.ok()) return http::ErrorResponse(v.status());
    return Json(ToJson(*v, reg));
  });
  router.Add("POST", "/api/visits", admin, [&reg, &sup](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto v = ReadVisit(*body);
    if (!v.ok()) return http::ErrorResponse(v.status());
    v->id = 0;
    auto out = sup.Save(*v, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out, reg), 201);
  });
  router.Add("PUT", "/api/visits/{id}", admin, [&reg, &sup](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    if (!body->contains("version")) return http::ErrorResponse(InvalidArgument("缺少版本号 (version is required)", "version"));
    auto v = ReadVisit(*body);
    if (!v.ok()) return http::ErrorResponse(v.status());
    v->id = *id;
    auto out = sup.Save(*v, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out, reg));
  });
  router.Add("POST", "/api/visits/{id}/findings/{finding}/problem", admin, [&reg, &sup](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto fid = PathId(req, "finding");
    if (!fid.ok()) return http::ErrorResponse(fid.status());
    auto body = ParseObject(req.body.empty() ? "{}" : req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    std::optional<std::string> lead;
    if (body->contains("lead_unit")) {
      auto l = ReadString(*body, "lead_unit");
      if (!l.ok()) return http::ErrorResponse(l.status());
      if (!l->empty()) lead = *l;
    }
    auto deadline = ReadDate(*body, "deadline");
    if (!deadline.ok()) return http::ErrorResponse(deadline.status());
    auto p = sup.FindingToProblem(*id, *fid, lead, *deadline, *req.user, ActorOf(req));
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto view = ProblemView(*p, sup.problems(), reg, *req.user);
    if (!view.ok()) return http::ErrorResponse(view.status());
    return Json(*view, 201);
  });
}

}  // namespace kp::api
