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

Response Render(const reports::Report& r, const std::string& format) {
  if (format.empty() || format == "json") return http::JsonResponse(ToJsonText(reports::ReportToJson(r)));
  if (format != "docx" && format != "pdf") {
    return http::ErrorResponse(InvalidArgument("format 应为 json、docx 或 pdf (bad format): " + format, "format"));
  }
  const std::string path = documents::TempXlsxPath() + "." + format;
  if (Status s = reports::WriteReport(r, path); !s.ok()) {
    std::remove(path.c_str());
    return http::ErrorResponse(s);
  }
  Response out;
  out.content_type = format == "docx" ? kDocxType : kPdfType;
  out.file = path;  // streamed from disk and removed by the server
  const std::string period = r.kind == "annual"      ? std::string("annual")
                             : r.kind == "quarterly" ? "Q" + std::to_string(r.month / 3)
                                                     : std::string(r.month < 10 ? "0" : "") + std::to_string(r.month);
  const std::string name = "report-" + std::to_string(r.year) + "-" + period + "." + format;
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

}  // namespace

void AddReportRoutes(http::Router& router, Register& reg, Milestones& ms, Problems& problems, Supervision& supervision,
                     Financing& financing) {
  auto service = std::make_shared<Reports>(reg, ms, problems, supervision, financing);
  const http::Access readers = http::Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  // kind: monthly (?year&month), quarterly (?year&quarter) or annual (?year); &levels, &date, &format=json|docx|pdf.
  for (const std::string kind : {"monthly", "quarterly", "annual"}) {
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
      auto body = ParseObject(req.body);
      if (!body.ok()) return http::ErrorResponse(body.status());
      std::map<std::string, std::string> params;
      std::map<std::string, std::string> overrides;
      std::string format = "docx";
      for (const auto& [k, v] : *body) {
        const std::string key(k);
        if (key == "overrides") {
          if (!v.is_object())
            return http::ErrorResponse(InvalidArgument("overrides 应为对象 (must be an object)", "overrides"));
          for (const auto& [id, text] : v.as_object()) {
            if (!text.is_string()) {
              return http::ErrorResponse(
                  InvalidArgument("段落文字应为字符串 (text must be a string)", "overrides." + std::string(id)));
            }
            overrides[std::string(id)] = std::string(text.as_string());
          }
        } else if (v.is_string()) {
          (key == "format" ? format : params[key]) = std::string(v.as_string());
        } else if (v.is_int64()) {
          params[key] = std::to_string(v.as_int64());
        } else if (v.is_array() && key == "levels") {
          std::string csv;
          for (const auto& l : v.as_array()) {
            if (l.is_string()) csv += (csv.empty() ? "" : ",") + std::string(l.as_string());
          }
          params[key] = csv;
        }
      }
      auto q = ParseReportQuestion(kind, params, *req.user);
      if (!q.ok()) return http::ErrorResponse(q.status());
      auto r = service->Build(*q);
      if (!r.ok()) return http::ErrorResponse(r.status());
      if (Status s = reports::ApplyOverrides(*r, overrides); !s.ok()) return http::ErrorResponse(s);
      return Render(*r, format);
    });
  }
}

}  // namespace kp::api
