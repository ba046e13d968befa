// Spreadsheet downloads: import templates, exports of every list and statistics table, and the
// error workbook of a rejected import.
#include <charconv>
#include <ctime>
#include <unordered_set>

#include "api/json_codec.h"
#include "api/routes.h"
#include "documents/xlsx_writer.h"
#include "domain/exports.h"
#include "domain/import_parser.h"
#include "stats/stats_query.h"

namespace kp::api {
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr int kMinYear = 1990;
constexpr int kMaxYear = 2100;

std::string PercentEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

// Runs write(path) into a temporary file and answers it as a download.
Response Download(const std::string& filename, const std::function<Status(const std::string&)>& write) {
  std::string path = documents::TempXlsxPath();
  if (Status s = write(path); !s.ok()) {
    std::remove(path.c_str());
    return http::ErrorResponse(s);
  }
  Response r;
  r.content_type = kXlsxType;
  r.file = std::move(path);  // streamed from disk and removed by the server
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"export.xlsx\"; filename*=UTF-8''" +
                                                    PercentEncode(filename));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

void AddDocumentRoutes(http::Router& router, Register& reg, Milestones& milestones) {
  router.Add("GET", "/api/templates/{kind}", Access::AnySignedIn(), [](const Request& req) {
    const std::string& kind = req.params.at("kind");
    if (kind != "projects" && kind != "reports" && kind != "nodes" && kind != "problems" && kind != "financing") {
      return http::ErrorResponse(NotFound("没有这个模板 (no such template)"));
    }
    return Download(kind == "projects"   ? "项目导入模板.xlsx"
                    : kind == "reports"  ? "月报导入模板.xlsx"
                    : kind == "nodes"    ? "节点导入模板.xlsx"
                    : kind == "problems" ? "问题台账导入模板.xlsx"
                                         : "融资需求导入模板.xlsx",
                    [&](const std::string& path) { return WriteTemplate(kind, path); });
  });
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access bureau = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/export/projects", readers, [&reg, &milestones](const Request& req) {
    auto q = ProjectQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    if (Status s = NarrowToColour(req, reg, milestones, *q); !s.ok()) return http::ErrorResponse(s);
    q->page_size = 0;
    auto figures = StatsQueryOf(req, reg);
    if (!figures.ok()) return http::ErrorResponse(figures.status());
    return Download("重点项目清单.xlsx", [&](const std::string& path) { return ExportProjects(reg, *q, *figures, path); });
  });
  router.Add("GET", "/api/export/reports", Access::Roles({Role::kAdmin, Role::kLeader, Role::kAuditor}),
             [&reg](const Request& req) {
               auto month = ParseYearMonth(req.Query("month").value_or(""));
               if (!month.ok()) return http::ErrorResponse(InvalidArgument(month.status().message(), "month"));
               return Download(month->ToString() + "月报.xlsx", [&](const std::string& path) {
                 return ExportReports(reg, month->year, month->month, path);
               });
             });
  router.Add("GET", "/api/export/stats", readers, [&reg](const Request& req) {
    auto q = StatsQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    stats::StatsResult r = reg.Stats(*q);
    std::string title = std::to_string(r.year) + "年重点项目投资完成情况";
    return Download("统计分析.xlsx", [&](const std::string& path) { return ExportStats(r, title, path); });
  });
  router.Add("GET", "/api/export/status", bureau, [&reg](const Request& req) {
    auto status = ReportingOf(req, reg);
    if (!status.ok()) return http::ErrorResponse(status.status());
    return Download(status->month.ToString() + "填报情况.xlsx",
                    [&](const std::string& path) { return ExportReportingStatus(*status, path); });
  });
  router.Add("GET", "/api/export/audit", Access::Roles({Role::kAdmin, Role::kAuditor}), [&reg](const Request& req) {
    constexpr int kMaxAuditRows = 100'000;
    store::AuditQuery q = AuditQueryOf(req);
    q.page = 1;
    q.page_size = kMaxAuditRows;
    auto page = reg.store().ListAudit(q);
    if (!page.ok()) return http::ErrorResponse(page.status());
    return Download("审计日志.xlsx", [&](const std::string& path) { return ExportAudit(page->items, "审计日志", path); });
  });
  router.Add("GET", "/api/export/projects/{id}", readers, [&reg](const Request& req) {
    auto p = LoadProject(req, reg);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto table = ParseProjectTable(req.Query("table").value_or(""));
    if (!table) {
      return http::ErrorResponse(
          InvalidArgument("table 应为 plans、plan_revisions、reports 或 history (unknown table)", "table"));
    }
    std::optional<int> year;
    if (std::string y = req.Query("year").value_or(""); !y.empty()) {
      int v = 0;
      auto [end, ec] = std::from_chars(y.data(), y.data() + y.size(), v);
      if (ec != std::errc() || end != y.data() + y.size() || v < kMinYear || v > kMaxYear) {
        return http::ErrorResponse(InvalidArgument("year 应为 1990-2100 (bad year)", "year"));
      }
      year = v;
    }
    std::string name = p->code + "-" + (year && *table == ProjectTable::kReports ? std::to_string(*year) + "年" : "") +
                       ProjectTableTitle(*table) + ".xlsx";
    return Download(name, [&](const std::string& path) { return ExportProjectTable(reg, *p, *table, year, path); });
  });
  router.Add("GET", "/api/export/users", Access::Roles({Role::kAdmin}), [&reg](const Request&) {
    auto users = reg.store().ListUsers();
    if (!users.ok()) return http::ErrorResponse(users.status());
    auto regions = reg.Regions();
    if (!regions.ok()) return http::ErrorResponse(regions.status());
    return Download("系统用户.xlsx", [&](const std::string& path) {
      return ExportUsers(*users, *regions, static_cast<int64_t>(std::time(nullptr)), path);
    });
  });
  router.Add("POST", "/api/import/{kind}/errors", Access::Roles({Role::kAdmin}), [&reg](const Request& req) {
    const std::string& kind = req.params.at("kind");
    ImportOptions o;
    o.sheet = req.Query("sheet").value_or("");
    o.dry_run = true;
    if (kind == "projects") {
      auto out = reg.ImportProjectsFile(req.Body(), ActorOf(req), o);
      if (!out.ok()) return http::ErrorResponse(out.status());
      return Download("导入错误.xlsx", [&](const std::string& p) { return WriteErrorWorkbook(out->parsed, p); });
    }
    if (kind == "reports") {
      auto out = reg.ImportReportsFile(req.Body(), ActorOf(req), o);
      if (!out.ok()) return http::ErrorResponse(out.status());
      return Download("导入错误.xlsx", [&](const std::string& p) { return WriteErrorWorkbook(out->parsed, p); });
    }
    if (kind == "nodes") {
      auto codes = reg.store().ProjectCodes();
      if (!codes.ok()) return http::ErrorResponse(codes.status());
      auto parsed = ParseNodesFile(req.Body(), std::unordered_set<std::string>(codes->begin(), codes->end()), o.sheet);
      return Download("导入错误.xlsx", [&](const std::string& p) { return WriteErrorWorkbook(parsed, p); });
    }
    return http::ErrorResponse(NotFound("没有这种导入 (no such import)"));
  }, http::BodyKind::kFile);
}

}  // namespace kp::api
