#pragma once
// The register's tables as .xlsx files a bureau prints, import templates, and the error workbook
// of a rejected import. Large exports stream from the store to the file.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/financing.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "stats/assessment.h"
#include "stats/stats_engine.h"

namespace kp {

// Projects matching q, in the import template's columns (so the file imports back), with the
// year's plan and, up to `month`, the completed amount, rate and points against the schedule.
Status ExportProjects(Register& reg, const store::ProjectQuery& q, const stats::StatsQuery& figures,
                      const std::string& path);
// Monthly reports of a year (one month, or all), in the report template's columns.
Status ExportReports(Register& reg, int year, std::optional<int> month, const std::string& path);
// A statistics answer as a ranked table with a totals row.
Status ExportStats(const stats::StatsResult& r, const std::string& title, const std::string& path);
// Who has and has not reported a month (填报率), late reports marked.
Status ExportReportingStatus(const ReportingStatus& s, const std::string& path);
// Audit log entries as a table (who, when, from where, what, before, after).
Status ExportAudit(const std::vector<AuditEntry>& entries, const std::string& title, const std::string& path);
// The tables of a project's page.
enum class ProjectTable { kPlans, kPlanRevisions, kReports, kHistory };
// "plans", "plan_revisions", "reports", "history"; nullopt for anything else.
std::optional<ProjectTable> ParseProjectTable(std::string_view name);
const char* ProjectTableName(ProjectTable t);   // plans … (as parsed)
const char* ProjectTableTitle(ProjectTable t);  // 年度计划 / 计划调整记录 / 月报 / 变更记录
// One table of a project's page, titled with the project: its annual plans (totals row), the
// plan revisions, its monthly reports (all years, or `year`; totals row) or its change history
// (one row per changed field). REQUIRES: the caller has checked the user may see `p`.
Status ExportProjectTable(Register& reg, const Project& p, ProjectTable table, std::optional<int> year,
                          const std::string& path);
// The users as the settings page lists them: login, name, role, unit, region, state (active,
// disabled, or locked at `now`, unix seconds), must-change-password, created. Never the hash.
Status ExportUsers(const std::vector<User>& users, const std::vector<Region>& regions, int64_t now,
                   const std::string& path);
// A problem list as filtered (the import template's columns first, so it imports back), overdue
// rows in red, closed in green, with the state, escalation and overdue days as of `as_of`.
Status ExportProblemList(const ProblemPage& page, const ProblemSettings& s, const Date& as_of, const std::string& path);
// A financing demand list as `page` holds it (the import template's columns first, so it imports
// back: banks joined with 、, credit and loans summed over the banks), then the project's name and
// each bank's answer.
Status ExportFinancingList(const FinancingPage& page, const Date& as_of, const std::string& path);

// Assessment scores (考核) ranked: each item's points, the total, and how each item was reached.
Status ExportAssessment(const stats::AssessmentResult& r, const std::string& path);

// The empty template with notes and drop-downs: kind is projects, reports, nodes or problems.
Status WriteTemplate(const std::string& kind, const std::string& path);
// The rows as read, each bad cell highlighted, with a last column listing the row's problems.
template <typename Row>
Status WriteErrorWorkbook(const ParsedImport<Row>& parsed, const std::string& path);

}  // namespace kp
