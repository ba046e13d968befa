// 考核: GET /api/assessment (scores of townships or units for a month, quarter or year), its .xlsx,
// and the scheme in the settings (GET for the bureau's readers, PUT for the admin).
#include "api/json_codec.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "domain/assessment.h"
#include "domain/exports.h"

namespace kp::api {
using http::Request;

namespace {

Result<stats::AssessmentResult> ScoresOf(const Request& req, Register& reg, Assessments& assessments) {
  auto text = [&](const char* k) { return std::string(req.Query(k).value_or("")); };
  auto period = stats::ParseAssessmentPeriod(text("quarter"), text("period"), text("month"));
  if (!period.ok()) return period.status();
  auto q = StatsQueryOf(req, reg);
  if (!q.ok()) return q.status();
  if (text("by").empty()) q->by = stats::GroupBy::kRegion;
  if (period->month) q->month = *period->month;
  return assessments.Scores(*q, period->name);
}

}  // namespace

void AddAssessmentRoutes(http::Router& router, Register& reg, Milestones& milestones, Problems& problems) {
  auto assessments = std::make_shared<Assessments>(reg, milestones, problems);
  // The scores rank townships or units against each other: the bureau's, its leaders' and auditors'.
  const http::Access readers = http::Access::Roles({Role::kAdmin, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/assessment", readers, [&reg, assessments](const Request& req) {
    auto r = ScoresOf(req, reg, *assessments);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return http::JsonResponse(ToJsonText(stats::AssessmentToJson(*r)));
  });
  router.Add("GET", "/api/export/assessment", readers, [&reg, assessments](const Request& req) {
    auto r = ScoresOf(req, reg, *assessments);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Download("考核得分-" + std::to_string(r->year) + "-" + std::to_string(r->month) + ".xlsx",
                    [&](const std::string& path) { return ExportAssessment(*r, path); });
  });
  router.Add("GET", "/api/assessment-scheme", readers, [assessments](const Request&) {
    auto s = assessments->Scheme();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return Json(stats::AssessmentSchemeToJson(*s));
  });
  router.Add("PUT", "/api/assessment-scheme", http::Access::Roles({Role::kAdmin}), [assessments](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto scheme = stats::ParseAssessmentScheme(*body);
    if (!scheme.ok()) return http::ErrorResponse(scheme.status());
    if (Status s = assessments->SaveScheme(*scheme, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(stats::AssessmentSchemeToJson(*scheme));
  });
  // Back to the default (the 2020 city scheme); answers the scheme now in force.
  router.Add("POST", "/api/assessment-scheme/reset", http::Access::Roles({Role::kAdmin}), [assessments](const Request& req) {
    auto scheme = assessments->ResetScheme(ActorOf(req));
    if (!scheme.ok()) return http::ErrorResponse(scheme.status());
    return Json(stats::AssessmentSchemeToJson(*scheme));
  });
}

}  // namespace kp::api
