#include <charconv>
#include "common/json_text.h"

#include "api/json_codec.h"
#include "api/routes.h"
#include "stats/stats_query.h"

namespace kp::api {
namespace json = boost::json;
using http::Request;
using http::Response;

std::string Actor(const Request& req) {
  std::string user = req.Header("x-kp-user");  // set by the sign-in middleware
  return user.empty() ? "api" : user;
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

Result<store::ProjectQuery> ParseProjectQuery(const Request& req, Register& reg) {
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
    auto y = num("year", 1990, 2100, 0);
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
  return q;
}

Response ListProjects(const Request& req, Register& reg) {
  auto q = ParseProjectQuery(req, reg);
  if (!q.ok()) return http::ErrorResponse(q.status());
  auto page = reg.ListProjects(*q);
  if (!page.ok()) return http::ErrorResponse(page.status());
  json::array items;
  for (const Project& p : page->items) items.emplace_back(ToJson(p));
  return Json(json::object{{"items", std::move(items)}, {"total", page->total}, {"page", q->page},
                           {"page_size", q->page_size}});
}

Response CreateProject(const Request& req, Register& reg) {
  auto body = ParseObject(req.body);
  if (!body.ok()) return http::ErrorResponse(body.status());
  Project p;
  if (Status s = ReadProjectFields(*body, p); !s.ok()) return http::ErrorResponse(s);
  if (!body->contains("level")) return http::ErrorResponse(InvalidArgument("项目级别不能为空 (level is required)", "level"));
  std::optional<std::pair<int, Money>> plan;
  if (body->contains("plan_wan") && !body->at("plan_wan").is_null()) {
    auto wan = ReadWan(*body, "plan_wan");
    if (!wan.ok()) return http::ErrorResponse(wan.status());
    auto year = ReadInt(*body, "plan_year");
    if (!year.ok()) return http::ErrorResponse(year.status());
    plan = std::make_pair(static_cast<int>(*year), *wan);
  }
  auto created = reg.CreateProject(p, Actor(req));
  if (!created.ok()) return http::ErrorResponse(created.status());
  if (plan) {
    auto written = reg.SetPlan(created->id, plan->first, plan->second, Actor(req));
    if (!written.ok()) return http::ErrorResponse(written.status());
  }
  return Json(ToJson(*created), 201);
}

Response GetProject(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  auto p = reg.GetProject(*id);
  if (!p.ok()) return http::ErrorResponse(p.status());
  auto plans = reg.Plans(*id);
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
  auto current = reg.GetProject(*id);
  if (!current.ok()) return http::ErrorResponse(current.status());
  auto version = ReadInt(*body, "version");
  if (!version.ok()) {
    return http::ErrorResponse(InvalidArgument("缺少 version：保存时须带上读取时的版本号 (version is required)", "version"));
  }
  Project p = *current;
  if (Status s = ReadProjectFields(*body, p); !s.ok()) return http::ErrorResponse(s);
  p.version = static_cast<int>(*version);
  auto updated = reg.UpdateProject(p, Actor(req));
  if (!updated.ok()) return http::ErrorResponse(updated.status());
  return Json(ToJson(*updated));
}

Response DeleteProject(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  std::string v = req.Query("version").value_or("");
  int version = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
    return http::ErrorResponse(InvalidArgument("缺少 version 参数 (version is required)", "version"));
  }
  if (Status s = reg.DeleteProject(*id, version, Actor(req)); !s.ok()) return http::ErrorResponse(s);
  return Json(json::object{{"deleted", *id}});
}

Response History(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = reg.GetProject(*id); !p.ok()) return http::ErrorResponse(p.status());
  auto h = reg.History(*id);
  if (!h.ok()) return http::ErrorResponse(h.status());
  json::array a;
  for (const auto& e : *h) a.emplace_back(ToJson(e));
  return Json(json::object{{"items", std::move(a)}});
}

Response Plans(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = reg.GetProject(*id); !p.ok()) return http::ErrorResponse(p.status());
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
  auto written = reg.SetPlan(*id, year, *wan, Actor(req));
  if (!written.ok()) return http::ErrorResponse(written.status());
  return Json(ToJson(*written));
}

Response Reports(const Request& req, Register& reg) {
  auto id = PathId(req);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto p = reg.GetProject(*id); !p.ok()) return http::ErrorResponse(p.status());
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
  auto written = reg.SubmitReport(r, Actor(req));
  if (!written.ok()) return http::ErrorResponse(written.status());
  return Json(ToJson(*written));
}

Response MonthReports(const Request& req, Register& reg) {
  auto month = ParseYearMonth(req.Query("month").value_or(""));
  if (!month.ok()) return http::ErrorResponse(InvalidArgument(month.status().message(), "month"));
  auto reports = reg.store().ListReportsForMonth(*month);
  if (!reports.ok()) return http::ErrorResponse(reports.status());
  json::array a;
  for (const auto& x : *reports) a.emplace_back(ToJson(x));
  return Json(json::object{{"month", month->ToString()}, {"items", std::move(a)}});
}

}  // namespace

void AddProjectRoutes(http::Router& router, Register& reg) {
  auto bind = [&reg](Response (*fn)(const Request&, Register&)) {
    return [fn, &reg](const Request& r) { return fn(r, reg); };
  };
  router.Add("GET", "/api/projects", bind(ListProjects));
  router.Add("POST", "/api/projects", bind(CreateProject));
  router.Add("GET", "/api/projects/{id}", bind(GetProject));
  router.Add("PUT", "/api/projects/{id}", bind(UpdateProject));
  router.Add("DELETE", "/api/projects/{id}", bind(DeleteProject));
  router.Add("GET", "/api/projects/{id}/history", bind(History));
  router.Add("GET", "/api/projects/{id}/plans", bind(Plans));
  router.Add("PUT", "/api/projects/{id}/plans/{year}", bind(PutPlan));
  router.Add("GET", "/api/projects/{id}/reports", bind(Reports));
  router.Add("PUT", "/api/projects/{id}/reports/{month}", bind(PutReport));
  router.Add("GET", "/api/reports", bind(MonthReports));
}

}  // namespace kp::api
