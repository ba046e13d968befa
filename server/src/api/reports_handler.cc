// Periodic reports (issue 13): the model as JSON, or rendered as .docx / .pdf; a render with the user's
// wording of paragraphs (figures stay bound to the data).
#include <cstdio>

#include "api/json_codec.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "documents/xlsx_writer.h"
#include "domain/reports.h"
#include "reports/report_files.h"

namespace kp::api {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr const char* kPdfType = "application/pdf";
constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

Response Render(const reports::Report& r, const std::string& format) {
  if (format.empty() || format == "json") return http::JsonResponse(ToJsonText(reports::ReportToJson(r)));
  if (format != "docx" && format != "pdf" && format != "xlsx") {
    return http::ErrorResponse(InvalidArgument("format 应为 json、docx、pdf 或 xlsx (bad format): " + format, "format"));
  }
  const std::string path = documents::TempXlsxPath() + "." + format;
  if (Status s = reports::WriteReport(r, path); !s.ok()) {
    std::remove(path.c_str());
    return http::ErrorResponse(s);
  }
  Response out;
  out.content_type = format == "docx" ? kDocxType : format == "xlsx" ? kXlsxType : kPdfType;
  out.file = path;  // streamed from disk and removed by the server
  const std::string period = r.kind == "annual"      ? std::string("annual")
                             : r.kind == "weekly"    ? "W" + std::string(r.week < 10 ? "0" : "") + std::to_string(r.week)
                             : r.kind == "quarterly" ? "Q" + std::to_string(r.month / 3)
                                                     : std::string(r.month < 10 ? "0" : "") + std::to_string(r.month);
  const std::string name = "report-" + std::to_string(r.year) + "-" + period + "." + format;
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

// The render's and the publication's body: {"year", "month"|"quarter", "levels"?, "date"?, "format"?, "overrides"?}.
struct RenderBody {
  std::map<std::string, std::string> params, overrides;
  std::string format = "docx";
};

// The render/publish body of `kind`: the question's parameters (only those of the kind), the format and the
// staff's wording. An unknown key, or a parameter of another kind (a quarter in a monthly body), names itself.
Status ParseRenderBody(const std::string& kind, const std::string& text, RenderBody& out) {
  auto body = ParseObject(text);
  if (!body.ok()) return body.status();
  json::object question = *body;
  if (const json::value* o = body->if_contains("overrides"); o && !o->is_null()) {
    if (!o->is_object()) return InvalidArgument("overrides 应为对象 (must be an object)", "overrides");
    for (const auto& [id, para] : o->as_object()) {
      if (!para.is_string()) {
        return InvalidArgument("段落文字应为字符串 (text must be a string)", "overrides." + std::string(id));
      }
      out.overrides[std::string(id)] = std::string(para.as_string());
    }
  }
  question.erase("overrides");
  std::set<std::string> allowed{"year", "levels", "date", "format"};
  if (kind == "monthly") allowed.insert("month");
  if (kind == "quarterly") allowed.insert("quarter");
  if (kind == "weekly") allowed.insert("week");
  auto params = QuestionParams(question, allowed);
  if (!params.ok()) return params.status();
  if (auto f = params->find("format"); f != params->end()) {
    out.format = f->second;
    params->erase(f);
  }
  out.params = std::move(*params);
  return Status::Ok();
}

json::object PublishedJson(const store::PublishedReport& p) {
  json::object o{{"id", p.id},           {"kind", p.kind},
                 {"period", p.period},   {"year", p.year},
                 {"issue", p.issue},     {"issue_label", IssueLabel(p.issue)},
                 {"published_by", p.published_by}, {"published_at", p.published_at}};
  json::error_code ec;
  json::value q = json::parse(p.question, ec);
  if (!ec && q.is_object()) {
    if (const json::value* l = q.as_object().if_contains("levels")) o["levels"] = *l;
  }
  return o;
}

}  // namespace

void AddReportRoutes(http::Router& router, Register& reg, Milestones& ms, Problems& problems, Supervision& supervision,
                     Financing& financing) {
  auto service = std::make_shared<Reports>(reg, ms, problems, supervision, financing);
  const http::Access readers = http::Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  // kind: monthly (?year&month), quarterly (?year&quarter), annual (?year) or weekly (?week=2024-W13); &levels,
  // &date, &format=json|docx|pdf.
  for (const std::string kind : {"monthly", "quarterly", "annual", "weekly"}) {
    router.Add("GET", "/api/reports/" + kind, readers, [service, kind](const Request& req) {
      std::map<std::string, std::string> params;
      for (const auto& [k, v] : req.query) params.emplace(k, v);
      auto q = ParseReportQuestion(kind, params, *req.user);
      if (!q.ok()) return http::ErrorResponse(q.status());
      auto r = service->Build(*q);
      if (!r.ok()) return http::ErrorResponse(r.status());
      return Render(*r, req.Query("format").value_or("json"));
    });
    // {"year","month"|"quarter","levels"?,"date"?,"format":"docx|pdf|json","overrides":{"paragraph id":"text"}}
    router.Add("POST", "/api/reports/" + kind + "/render", readers, [service, kind](const Request& req) {
      RenderBody b;
      if (Status s = ParseRenderBody(kind, req.body, b); !s.ok()) return http::ErrorResponse(s);
      auto q = ParseReportQuestion(kind, b.params, *req.user);
      if (!q.ok()) return http::ErrorResponse(q.status());
      auto r = service->Build(*q);
      if (!r.ok()) return http::ErrorResponse(r.status());
      if (Status s = reports::ApplyOverrides(*r, b.overrides); !s.ok()) return http::ErrorResponse(s);
      return Render(*r, b.format);
    });
    // Publishing (§4): the render's body; 201 with the publication (its 第N期), 409 naming the period's number.
    router.Add("POST", "/api/reports/" + kind + "/publish", http::Access::Roles({Role::kAdmin}),
               [service, kind](const Request& req) {
                 RenderBody b;
                 if (Status s = ParseRenderBody(kind, req.body, b); !s.ok()) return http::ErrorResponse(s);
                 auto q = ParseReportQuestion(kind, b.params, *req.user);
                 if (!q.ok()) return http::ErrorResponse(q.status());
                 auto p = service->Publish(*q, b.overrides, ActorOf(req));
                 if (!p.ok()) return http::ErrorResponse(p.status());
                 return Json(PublishedJson(*p), 201);
               });
  }
  // Every publication, newest first; with ?kind&year also the number the next one of that kind would get.
  router.Add("GET", "/api/reports/published", readers, [service](const Request& req) {
    auto list = service->Published();
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const auto& p : *list) items.push_back(PublishedJson(p));
    json::object out{{"items", std::move(items)}};
    const std::string kind = req.Query("kind").value_or("");
    const std::string year = req.Query("year").value_or("");
    if (!kind.empty() || !year.empty()) {
      std::map<std::string, std::string> params{{"year", year}, {"month", "12"}, {"quarter", "4"}, {"week", year + "-W01"}};
      auto q = ParseReportQuestion(kind, params, *req.user);
      if (!q.ok()) return http::ErrorResponse(q.status());
      auto next = service->NextIssue(kind, q->year);
      if (!next.ok()) return http::ErrorResponse(next.status());
      out["next_issue"] = *next;
      out["next_issue_label"] = IssueLabel(*next);
    }
    return Json(out);
  });
  // The frozen report: the stored JSON as stored, or drawn as .docx / .pdf from it (never from live data).
  router.Add("GET", "/api/reports/published/{id}", readers, [service](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    const std::string format = req.Query("format").value_or("json");
    if (format == "json") {
      auto p = service->PublishedRecord(*id);
      if (!p.ok()) return http::ErrorResponse(p.status());
      return http::JsonResponse(p->model);
    }
    auto r = service->PublishedReport(*id);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Render(*r, format);
  });
  // What changed since publication: each figure whose live value is now written differently.
  // Against live figures drawn county-wide: the bureau, its leaders and auditors (a department's live figures are
  // its unit's, so it reads the frozen copy only).
  const http::Access county = http::Access::Roles({Role::kAdmin, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/reports/published/{id}/changes", county, [service](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto p = service->PublishedRecord(*id);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto changes = service->ChangesSince(*id);
    if (!changes.ok()) return http::ErrorResponse(changes.status());
    json::array items;
    for (const auto& c : *changes) {
      items.push_back(json::object{
          {"paragraph", c.paragraph}, {"key", c.key}, {"name", c.name}, {"frozen", c.frozen}, {"live", c.live}});
    }
    json::object out = PublishedJson(*p);
    out["changes"] = std::move(items);
    return Json(out);
  });
}

}  // namespace kp::api
