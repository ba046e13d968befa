#include "api/import_answer.h"
#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/import_parser.h"

namespace kp::api {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr int kMinYear = 1990, kMaxYear = 2100, kMaxDeadlineDay = 28;

}  // namespace

void AddSystemRoutes(http::Router& router, Register& reg) {
  const http::Access admin = http::Access::Roles({Role::kAdmin});
  router.Add("GET", "/healthz", http::Access::Public(), [&reg](const Request&) {
    return Json(json::object{{"status", "ok"}, {"projects", reg.stats_engine().project_count()}});
  });
  router.Add("GET", "/api/regions", http::Access::AnySignedIn(), [&reg](const Request&) {
    auto regions = reg.Regions();
    if (!regions.ok()) return http::ErrorResponse(regions.status());
    json::array a;
    for (const Region& r : *regions) a.emplace_back(ToJson(r));
    return Json(json::object{{"items", std::move(a)}});
  });
  router.Add("POST", "/api/regions", admin, [&reg](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    std::optional<int64_t> parent;
    if (body->contains("parent_id") && !body->at("parent_id").is_null()) {
      auto p = ReadInt(*body, "parent_id");
      if (!p.ok()) return http::ErrorResponse(p.status());
      parent = *p;
    }
    auto name = ReadString(*body, "name");
    if (!name.ok()) return http::ErrorResponse(name.status());
    auto code = ReadString(*body, "code");
    if (!code.ok()) return http::ErrorResponse(code.status());
    auto r = reg.CreateRegion(parent, *name, *code, ActorOf(req));
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(ToJson(*r), 201);
  });
  router.Add("PUT", "/api/regions/{id}", admin, [&reg](const Request& req) {
    auto id = PathId(req, "id");
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto name = ReadString(*body, "name");
    if (!name.ok()) return http::ErrorResponse(name.status());
    auto code = ReadString(*body, "code");
    if (!code.ok()) return http::ErrorResponse(code.status());
    auto r = reg.RenameRegion(*id, *name, *code, ActorOf(req));
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(ToJson(*r));
  });
  router.Add("POST", "/api/regions/{id}/merge", admin, [&reg](const Request& req) {
    auto id = PathId(req, "id");
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto into = ReadInt(*body, "into_id");
    if (!into.ok()) return http::ErrorResponse(into.status());
    auto m = reg.MergeRegion(*id, *into, ActorOf(req));
    if (!m.ok()) return http::ErrorResponse(m.status());
    return Json(json::object{{"id", *id},
                             {"merged_into", *into},
                             {"projects_moved", m->projects},
                             {"regions_moved", m->regions},
                             {"users_moved", m->users}});
  });
  router.Add("POST", "/api/regions/{id}/retire", admin, [&reg](const Request& req) {
    auto id = PathId(req, "id");
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (Status s = reg.RetireRegion(*id, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"id", *id}, {"retired", true}});
  });
  router.Add("GET", "/api/settings", http::Access::AnySignedIn(), [&reg](const Request&) {
    auto s = reg.GetSettings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(ToJson(*s));
  });
  router.Add("PUT", "/api/settings", admin, [&reg](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto s = reg.GetSettings();
    if (!s.ok()) return http::ErrorResponse(s.status());
    Settings next = *s;
    if (body->contains("current_year")) {
      auto v = ReadInt(*body, "current_year", kMinYear, kMaxYear);
      if (!v.ok()) return http::ErrorResponse(v.status());
      next.current_year = static_cast<int>(*v);
    }
    if (body->contains("report_deadline_day")) {
      auto v = ReadInt(*body, "report_deadline_day", 1, kMaxDeadlineDay);
      if (!v.ok()) return http::ErrorResponse(v.status());
      next.report_deadline_day = static_cast<int>(*v);
    }
    if (body->contains("schedule")) {
      auto v = ReadString(*body, "schedule");
      if (!v.ok()) return http::ErrorResponse(v.status());
      auto sched = stats::ParseSchedule(*v);
      if (!sched) return http::ErrorResponse(InvalidArgument("schedule 应为 month 或 day (bad schedule)", "schedule"));
      next.schedule = *sched;
    }
    if (body->contains("home_region_id")) {
      if (body->at("home_region_id").is_null()) {
        next.home_region_id.reset();
      } else {
        auto v = ReadInt(*body, "home_region_id");
        if (!v.ok()) return http::ErrorResponse(v.status());
        next.home_region_id = *v;
      }
    }
    if (body->contains("headline_threshold_pct")) {
      constexpr int64_t kMaxPercent = 100;
      auto v = ReadInt(*body, "headline_threshold_pct", 0, kMaxPercent);
      if (!v.ok()) return http::ErrorResponse(v.status());
      next.headline_threshold_pct = static_cast<int>(*v);
    }
    if (body->contains("report_pct_decimals")) {
      constexpr int64_t kMaxDecimals = 4;
      auto v = ReadInt(*body, "report_pct_decimals", 0, kMaxDecimals);
      if (!v.ok()) return http::ErrorResponse(v.status());
      next.report_pct_decimals = static_cast<int>(*v);
    }
    if (body->contains("reminder_hour")) {
      constexpr int64_t kMaxHour = 23;
      auto v = ReadInt(*body, "reminder_hour", 0, kMaxHour);
      if (!v.ok()) return http::ErrorResponse(v.status());
      next.reminder_hour = static_cast<int>(*v);
    }
    if (body->contains("pinned_month")) {
      const json::value& v = body->at("pinned_month");
      if (v.is_null() || (v.is_string() && v.as_string().empty())) {
        next.pinned_month.reset();
      } else {
        auto text = ReadString(*body, "pinned_month");
        if (!text.ok()) return http::ErrorResponse(text.status());
        auto ym = ParseYearMonth(*text);
        if (!ym.ok()) return http::ErrorResponse(InvalidArgument(ym.status().message(), "pinned_month"));
        next.pinned_month = *ym;
      }
    }
    if (Status st = reg.SaveSettings(next, ActorOf(req)); !st.ok()) return http::ErrorResponse(st);
    return Json(ToJson(next));
  });
  router.Add("POST", "/api/import/projects", admin, [&reg](const Request& req) {
    ImportOptions o = OptionsOf(req);
    return ImportAnswer(reg.ImportProjectsFile(req.Body(), ActorOf(req), o), o.dry_run);
  }, http::BodyKind::kFile);
  router.Add("POST", "/api/import/reports", admin, [&reg](const Request& req) {
    ImportOptions o = OptionsOf(req);
    return ImportAnswer(reg.ImportReportsFile(req.Body(), ActorOf(req), o), o.dry_run);
  }, http::BodyKind::kFile);
}

}  // namespace kp::api
