#include <charconv>
#include "common/json_text.h"

#include "api/json_codec.h"
#include "api/routes.h"
#include "stats/stats_json.h"
#include "stats/stats_query.h"
#include "stats/warnings_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Request;
using http::Response;

void ScopeToUser(const Request& req, store::ProjectQuery& q) {
  if (!req.user) return;
  if (req.user->role == Role::kDepartment) q.unit = req.user->unit;
  if (req.user->role == Role::kOwner) q.owner = req.user->unit;
}

Result<ReportingStatus> ReportingOf(const Request& req, Register& reg) {
  auto month = ParseYearMonth(req.Query("month").value_or(""));
  if (!month.ok()) return InvalidArgument(month.status().message(), "month");
  store::ProjectQuery scope;
  ScopeToUser(req, scope);
  return reg.Reporting(*month, scope);
}

bool CanSee(const User& u, const Project& p) {
  switch (u.role) {
    case Role::kAdmin:
    case Role::kLeader:
    case Role::kAuditor: return true;
    case Role::kDepartment: return !u.unit.empty() && p.unit == u.unit;
    case Role::kOwner: return !u.unit.empty() && p.owner == u.unit;
    case Role::kBank:
    case Role::kInvestment: return false;
  }
  return false;
}

bool CanEdit(const User& u, const Project& p) {
  return u.role == Role::kAdmin || (u.role == Role::kDepartment && CanSee(u, p));
}

bool CanReport(const User& u, const Project& p) {
  return u.role == Role::kAdmin || (u.role == Role::kOwner && CanSee(u, p));
}

Response Json(const json::value& v, int status) { return http::JsonResponse(ToJsonText(v), status); }

Result<int64_t> PathId(const Request& req, const char* name) {
  auto it = req.params.find(name);
  int64_t id = 0;
  if (it != req.params.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
    if (ec == std::errc() && p == it->second.data() + it->second.size() && id > 0) return id;
  }
  return NotFound("无效的编号 (bad id in path)");
}

namespace {

constexpr int kMaxPageSize = 1000;
constexpr int kMinYear = 1990, kMaxYear = 2100;

const Status kNotYours = {ErrorCode::kPermissionDenied, "无权访问该项目 (this project is not in your scope)"};

}  // namespace

Result<Project> LoadProject(const Request& req, Register& reg, bool (*check)(const User&, const Project&)) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto p = reg.GetProject(*id);
  if (!p.ok()) return p.status();
  if (!req.user || !CanSee(*req.user, *p)) return kNotYours;
  if (check && !check(*req.user, *p)) return Status{ErrorCode::kPermissionDenied, "无权修改该项目 (you may not change this project)"};
  return p;
}

Result<store::ProjectQuery> ProjectQueryOf(const Request& req, Register& reg) {
  store::ProjectQuery q;
  auto get = [&](const char* k) { return req.Query(k).value_or(""); };
  q.q = get("q");
  if (auto v = get("levels").empty() ? get("level") : get("levels"); !v.empty()) {
    auto l = stats::ParseLevels(v);
    if (!l.ok()) return l.status();
    q.levels = *l;
  }
  if (auto v = get("region_id"); !v.empty()) {
    int64_t id = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
    if (ec != std::errc() || p != v.data() + v.size()) return InvalidArgument("region_id 应为整数 (bad region_id)", "region_id");
    auto sub = reg.RegionSubtree(id);
    if (!sub.ok()) return sub.status();
    q.region_ids = *sub;
  }
  q.industry = get("industry");
  q.unit = get("unit");
  q.leader = get("leader");
  q.status = get("status");
  q.owner = get("owner");
  q.nature = get("nature");
  if (auto v = get("demo"); !v.empty()) {
    if (v == "true" || v == "1" || v == "是") q.demo = true;
    else if (v == "false" || v == "0" || v == "否") q.demo = false;
    else return InvalidArgument("demo 应为 true 或 false (bad demo)", "demo");
  }
  auto num = [&](const char* k, int lo, int hi, int def) -> Result<int> {
    std::string v = get(k);
    if (v.empty()) return def;
    int x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
      return InvalidArgument(std::string(k) + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " (bad " + k + ")", k);
    }
    return x;
  };
  if (!get("year").empty()) {
    auto y = num("year", kMinYear, kMaxYear, 0);
    if (!y.ok()) return y.status();
    q.plan_year = *y;
  }
  auto page = num("page", 1, 1'000'000, 1);
  if (!page.ok()) return page.status();
  q.page = *page;
  auto size = num("page_size", 1, kMaxPageSize, 20);
  if (!size.ok()) return size.status();
  q.page_size = *size;
  q.sort = get("sort").empty() ? "code" : get("sort");
  q.desc = get("order") == "desc";
  ScopeToUser(req, q);
  return q;
}

// ?colour=red|yellow|green[&as_of=DATE|MONTH]: only the projects of that warning colour as of the date
// (default: the headline month's end), as the engine colours them, in the user's scope.
Status NarrowToColour(const Request& req, Register& reg, Milestones& ms, store::ProjectQuery& q) {
  const std::string colour = req.Query("colour").value_or("");
  if (colour.empty()) return Status::Ok();
  auto settings = reg.GetSettings();
  if (!settings.ok()) return settings.status();
  std::map<std::string, std::string> params = {{"colour", colour}, {"as_of", req.Query("as_of").value_or("")}};
  auto wq = stats::ParseWarningQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg.stats_engine());
  if (!wq.ok()) return wq.status();
  auto rules = ms.Rules();
  if (!rules.ok()) return rules.status();
  q.ids = reg.stats_engine().IdsOfColour(*wq, *wq->colour, *rules);
  return Status::Ok();
}

namespace {

Response ListProjects(const Request& req, Register& reg, Milestones& ms) {
  auto q = ProjectQueryOf(req, reg);
  if (!q.ok()) return http::ErrorResponse(q.status());
  if (Status s = NarrowToColour(req, reg, ms, *q); !s.ok()) return http::ErrorResponse(s);
  auto page = reg.ListProjects(*q);
  if (!page.ok()) return http::ErrorResponse(page.status());
  json::array items;
  for (const Project& p : page->items) items.emplace_back(ToJson(p));
  if (req.Query("with_stats").value_or("") == "1") {
    auto sq = StatsQueryOf(req, reg);
    if (!sq.ok()) return http::ErrorResponse(sq.status());
    std::vector<int64_t> ids;
    for (const Project& p : page->items) ids.push_back(p.id);
    auto figures = reg.stats_engine().ProjectFigures(ids, *sq);
    for (size_t i = 0; i < figures.size(); ++i) {
      items[i].as_object()["stats"] = figures[i] ? json::value(stats::GroupFiguresToJson(*figures[i])) : json::value(nullptr);
    }
    Ratio sched = stats::SchedulePct(sq->schedule, sq->year, sq->month, sq->day);
    return Json(json::object{{"items", std::move(items)},
                             {"total", page->total},
                             {"page", q->page},
                             {"page_size", q->page_size},
                             {"stats_as_of", json::object{{"year", sq->year},
                                                          {"month", sq->month},
                                                          {"schedule", stats::ScheduleName(sq->schedule)},
                                                          {"schedule_pct", sched.ToDouble()},
                                                          {"display", json::object{{"schedule_pct", sched.Format(2)}}}}}});
  }
  return Json(json::object{{"items", std::move(items)}, {"total", page->total}, {"page", q->page},
                           {"page_size", q->page_size}});
}

Response CreateProject(const Request& req, Register& reg) {
  auto body = ParseObject(req.body);
  if (!body.ok()) return http::ErrorResponse(body.status());
  Project p;
  if (Status s = ReadProjectFields(*body, p); !s.ok()) return http::ErrorResponse(s);
  if (!body->contains("level")) return http::ErrorResponse(InvalidArgument("项目级别不能为空 (level is required)", "level"));
  std::optional<store::Store::FirstPlan> plan;
  if (body->contains("plan_wan") && !body->at("plan_wan").is_null()) {
    auto wan = ReadWan(*body, "plan_wan");
    if (!wan.ok()) return http::ErrorResponse(wan.status());
    auto year = ReadInt(*body, "plan_year", kMinYear, kMaxYear);
    if (!year.ok()) return http::ErrorResponse(year.status());
    plan = store::Store::FirstPlan{static_cast<int>(*year), *wan};
  }
  auto created = reg.CreateProject(p, ActorOf(req), plan);
  if (!created.ok()) return http::ErrorResponse(created.status());
  return Json(ToJson(*created), 201);
}

Response GetProject(const Request& req, Register& reg) {
  auto p = LoadProject(req, reg);
  if (!p.ok()) return http::ErrorResponse(p.status());
  auto plans = reg.Plans(p->id);
  if (!plans.ok()) return http::ErrorResponse(plans.status());
  json::object o = ToJson(*p);
  json::array pa;
  for (const auto& a : *plans) pa.emplace_back(ToJson(a));
  o["plans"] = std::move(pa);
  return Json(o);
}

Response UpdateProject(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  auto body = ParseObject(req.body);
  if (!body.ok()) return http::ErrorResponse(body.status());
  auto current = LoadProject(req, reg, CanEdit);
  if (!current.ok()) return http::ErrorResponse(current.status());
  if (!body->contains("version") || body->at("version").is_null()) {
    return http::ErrorResponse(InvalidArgument("缺少 version：保存时须带上读取时的版本号 (version is required)", "version"));
  }
  auto version = ReadInt(*body, "version", 0, std::numeric_limits<int>::max());
  if (!version.ok()) return http::ErrorResponse(version.status());
  Project p = *current;
  if (Status s = ReadProjectFields(*body, p); !s.ok()) return http::ErrorResponse(s);
  p.version = static_cast<int>(*version);
  // A department may not move a project out of its own scope.
  if (req.user && !CanSee(*req.user, p)) return http::ErrorResponse(kNotYours);
  auto updated = reg.UpdateProject(p, ActorOf(req));
  if (!updated.ok()) return http::ErrorResponse(updated.status());
  return Json(ToJson(*updated));
}

Response DeleteProject(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg, CanEdit); !p.ok()) return http::ErrorResponse(p.status());
  std::string v = req.Query("version").value_or("");
  int version = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
    return http::ErrorResponse(InvalidArgument("缺少 version 参数 (version is required)", "version"));
  }
  if (Status s = reg.DeleteProject(*id, version, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
  return Json(json::object{{"deleted", *id}});
}

Response History(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg); !p.ok()) return http::ErrorResponse(p.status());
  auto h = reg.History(*id);
  if (!h.ok()) return http::ErrorResponse(h.status());
  json::array a;
  for (const auto& e : *h) a.emplace_back(ToJson(e));
  return Json(json::object{{"items", std::move(a)}});
}

Response Plans(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg); !p.ok()) return http::ErrorResponse(p.status());
  auto plans = reg.Plans(*id);
  auto revs = reg.PlanRevisions(*id);
  if (!plans.ok()) return http::ErrorResponse(plans.status());
  if (!revs.ok()) return http::ErrorResponse(revs.status());
  json::array a, r;
  for (const auto& x : *plans) a.emplace_back(ToJson(x));
  for (const auto& x : *revs) r.emplace_back(ToJson(x));
  return Json(json::object{{"items", std::move(a)}, {"revisions", std::move(r)}});
}

Response PutPlan(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg, CanEdit); !p.ok()) return http::ErrorResponse(p.status());
  int year = 0;
  const std::string& ys = req.params.at("year");
  auto [p, ec] = std::from_chars(ys.data(), ys.data() + ys.size(), year);
  if (ec != std::errc() || p != ys.data() + ys.size()) {
    return http::ErrorResponse(InvalidArgument("年度应为四位数字 (bad year)", "year"));
  }
  auto body = ParseObject(req.body);
  if (!body.ok()) return http::ErrorResponse(body.status());
  auto wan = ReadWan(*body, "plan_wan");
  if (!wan.ok()) return http::ErrorResponse(wan.status());
  auto written = reg.SetPlan(*id, year, *wan, ActorOf(req));
  if (!written.ok()) return http::ErrorResponse(written.status());
  return Json(ToJson(*written));
}

Response Reports(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg); !p.ok()) return http::ErrorResponse(p.status());
  auto reports = reg.Reports(*id);
  auto revs = reg.ReportRevisions(*id);
  if (!reports.ok()) return http::ErrorResponse(reports.status());
  if (!revs.ok()) return http::ErrorResponse(revs.status());
  json::array a, r;
  for (const auto& x : *reports) a.emplace_back(ToJson(x));
  for (const auto& x : *revs) r.emplace_back(ToJson(x));
  return Json(json::object{{"items", std::move(a)}, {"revisions", std::move(r)}});
}

Response PutReport(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = LoadProject(req, reg, CanReport); !p.ok()) return http::ErrorResponse(p.status());
  auto month = ParseYearMonth(req.params.at("month"));
  if (!month.ok()) return http::ErrorResponse(InvalidArgument(month.status().message(), "month"));
  auto body = ParseObject(req.body);
  if (!body.ok()) return http::ErrorResponse(body.status());
  MonthlyReport r;
  r.project_id = *id;
  r.month = *month;
  auto wan = ReadWan(*body, "completed_wan");
  if (!wan.ok()) return http::ErrorResponse(wan.status());
  r.completed = *wan;
  auto progress = ReadString(*body, "progress");
  if (!progress.ok()) return http::ErrorResponse(progress.status());
  r.progress = *progress;
  auto problems = ReadString(*body, "problems");
  if (!problems.ok()) return http::ErrorResponse(problems.status());
  r.problems = *problems;
  auto written = reg.SubmitReport(r, ActorOf(req));
  if (!written.ok()) return http::ErrorResponse(written.status());
  return Json(ToJson(*written));
}

Response MonthReports(const Request& req, Register& reg) {
  auto status = ReportingOf(req, reg);
  if (!status.ok()) return http::ErrorResponse(status.status());
  const YearMonth* month = &status->month;
  json::array a;
  for (const auto& item : status->items) {
    if (!item.reported) continue;
    a.emplace_back(json::object{{"project_id", item.project.id},
                                {"code", item.project.code},
                                {"name", item.project.name},
                                {"month", month->ToString()},
                                {"completed_wan", item.completed.Wan()},
                                {"submitted_at", item.submitted_at}});
  }
  return Json(json::object{{"month", month->ToString()}, {"items", std::move(a)}});
}

Response ReportingStatus(const Request& req, Register& reg) {
  auto status = ReportingOf(req, reg);
  if (!status.ok()) return http::ErrorResponse(status.status());
  const YearMonth* month = &status->month;
  json::array a;
  for (const auto& item : status->items) {
    a.emplace_back(json::object{{"project_id", item.project.id},
                                {"code", item.project.code},
                                {"name", item.project.name},
                                {"level", LevelName(item.project.level)},
                                {"owner", item.project.owner},
                                {"unit", item.project.unit},
                                {"reported", item.reported},
                                {"late", item.late},
                                {"submitted_at", item.submitted_at},
                                {"completed_wan", item.reported ? json::value(item.completed.Wan()) : json::value(nullptr)}});
  }
  return Json(json::object{
      {"month", month->ToString()},
      {"deadline", status->deadline.ToString()},
      {"total", status->items.size()},
      {"reported", status->reported},
      {"late", status->late},
      {"rate_pct", status->rate_pct ? json::value(status->rate_pct->ToDouble()) : json::value(nullptr)},
      {"display", json::object{{"rate_pct", status->rate_pct ? status->rate_pct->Format(1) : "—"}}},
      {"items", std::move(a)}});
}

}  // namespace

void AddProjectRoutes(http::Router& router, Register& reg, Milestones& ms) {
  using http::Access;
  auto bind = [&reg](Response (*fn)(const Request&, Register&)) {
    return [fn, &reg](const Request& r) { return fn(r, reg); };
  };
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access admin = Access::Roles({Role::kAdmin});
  const Access editors = Access::Roles({Role::kAdmin, Role::kDepartment});
  const Access reporters = Access::Roles({Role::kAdmin, Role::kOwner});
  const Access bureau = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/projects", readers, [&reg, &ms](const Request& r) { return ListProjects(r, reg, ms); });
  router.Add("POST", "/api/projects", admin, bind(CreateProject));
  router.Add("GET", "/api/projects/{id}", readers, bind(GetProject));
  router.Add("PUT", "/api/projects/{id}", editors, bind(UpdateProject));
  router.Add("DELETE", "/api/projects/{id}", admin, bind(DeleteProject));
  router.Add("GET", "/api/projects/{id}/history", readers, bind(History));
  router.Add("GET", "/api/projects/{id}/plans", readers, bind(Plans));
  router.Add("PUT", "/api/projects/{id}/plans/{year}", editors, bind(PutPlan));
  router.Add("GET", "/api/projects/{id}/reports", readers, bind(Reports));
  router.Add("PUT", "/api/projects/{id}/reports/{month}", reporters, bind(PutReport));
  router.Add("GET", "/api/reports", readers, bind(MonthReports));
  router.Add("GET", "/api/reports/status", bureau, bind(ReportingStatus));
}

}  // namespace kp::api
