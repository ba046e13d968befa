#pragma once
// Periodic reports (issue 13): gathers one period's answers from every engine — the register's
// statistics (by level, type, industry and township), 挂图作战 colours and nodes, problem and visit
// figures, the financing funnel, the red/black list — and hands them to reports::BuildMonthly.
// No figure is computed here: each comes from the engine that publishes it.
#include <optional>
#include <string>
#include <vector>

#include "domain/financing.h"
#include "domain/milestones.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "domain/supervision.h"
#include "reports/report_model.h"
#include "store/published_report_store.h"
#include "store/report_activity_store.h"

namespace kp {

struct ReportQuestion {
  std::string kind = "monthly";  // monthly | quarterly | annual | weekly
  int year = 0;   // weekly: the ISO week's year
  int month = 0;  // 1..12 (quarterly: the quarter's last month; weekly: 0)
  int week = 0;   // weekly: the ISO week 1..52/53
  Date monday;    // weekly: the week's Monday
  std::vector<Level> levels;
  Date issued;                // the date written under the report
  User user;                  // whose scope (a department: its unit's projects)
};

// A figure of a published report whose live value now differs: where it is written (paragraph), what it is
// (key, e.g. "total.completion_pct"), as published and as the data now gives it — signed where the words give
// it a direction ("-1.5" for 低于时序进度1.5个百分点); empty: no longer written (e.g. now 持平).
struct FigureChange {
  std::string paragraph, key, name, frozen, live;  // name: reports::FigureName(key)
};

class Reports {
 public:
  Reports(Register& reg, Milestones& ms, Problems& problems, Supervision& supervision, Financing& financing)
      : reg_(reg), ms_(ms), problems_(problems), supervision_(supervision), financing_(financing),
        published_(reg.store().db()), activity_(reg.store().db()) {}
  // The monthly analysis, the quarterly review, the annual summary or the weekly dispatch sheet (q.kind) of
  // q's period in the user's scope.
  Result<reports::Report> Build(const ReportQuestion& q);
  // The weekly dispatch sheet (周调度). "In the week" means a Beijing calendar date from the ISO week's Monday
  // to its Sunday: a monthly report's submission time (UTC+8; any month's report, a re-submission too), a node's 实际完成日期 (completed; a 开工 node: a new start), the day a
  // node turns overdue (the day after its 计划完成日期, still not done by Sunday), a problem's 提出日期, and
  // its 办结日期 (closed as of Sunday and not as of the Monday before: the net change). The headline is the
  // last month ended by Sunday.
  Result<reports::Report> BuildWeekly(const ReportQuestion& q);

  // Publishing (§4): builds q's report, applies the staff's wording, numbers it 第N期 (N counts the kind's
  // publications in the period's year) and freezes it — figures and final text — in the database. One
  // publication per kind and period: a second is kConflict naming the first's number (no re-publication;
  // a correction is not supported). Wording that changes a figure is refused before anything is written.
  Result<store::PublishedReport> Publish(const ReportQuestion& q, const std::map<std::string, std::string>& overrides,
                                         const Actor& by);
  Result<std::vector<store::PublishedReport>> Published() { return published_.List(); }
  Result<int> NextIssue(const std::string& kind, int year) { return published_.NextIssue(kind, year); }
  // The frozen report, drawn from what was stored at publication and nothing live.
  Result<reports::Report> PublishedReport(int64_t id);
  Result<store::PublishedReport> PublishedRecord(int64_t id) { return published_.Get(id); }
  // Each figure of the published report whose value, built from today's data for the same question (the
  // whole county, the published levels), is written differently now; in the report's order.
  Result<std::vector<FigureChange>> ChangesSince(int64_t id);

 private:
  Register& reg_;
  Milestones& ms_;
  Problems& problems_;
  Supervision& supervision_;
  Financing& financing_;
  store::PublishedReportStore published_;
  store::ReportActivityStore activity_;
};

// A period's key as stored: "2024-03" (monthly), "2024-Q1" (quarterly), "2024" (annual), "2024-W13" (weekly).
std::string PeriodKey(const ReportQuestion& q);
// "2024-W13" → the Monday of ISO week 13 of 2024 (and the year and week); kInvalidArgument naming `week`.
Result<ReportQuestion> ParseIsoWeek(const std::string& text);
// "第3期".
std::string IssueLabel(int issue);

// The first day q's period may be published: a month, quarter or year the day after it ends, a week its Friday.
Date FirstPublishableDay(const ReportQuestion& q);
// Whether q's period may be published on `today` (from FirstPublishableDay); else the reason, naming the
// parameter (kind monthly | quarterly | annual | weekly; a 月榜/季榜 asks as monthly/quarterly).
Status PeriodOver(const ReportQuestion& q, const Date& today);

// Reads year, month (monthly) or quarter 1-4 (quarterly; annual: the year's December; weekly: week "2024-W13",
// year optional and then the week's), levels and date (the issue date, default today
// in Beijing) from text parameters; errors name the parameter. kind: monthly | quarterly | annual.
Result<ReportQuestion> ParseReportQuestion(const std::string& kind, const std::map<std::string, std::string>& params,
                                           const User& user);

}  // namespace kp
