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

namespace kp {

struct ReportQuestion {
  std::string kind = "monthly";  // monthly | quarterly | annual
  int year = 0;
  int month = 0;  // 1..12 (quarterly: the quarter's last month)
  std::vector<Level> levels;
  Date issued;                // the date written under the report
  User user;                  // whose scope (a department: its unit's projects)
};

class Reports {
 public:
  Reports(Register& reg, Milestones& ms, Problems& problems, Supervision& supervision, Financing& financing)
      : reg_(reg), ms_(ms), problems_(problems), supervision_(supervision), financing_(financing) {}
  // The monthly analysis, or the quarterly review (q.kind), of q's period in the user's scope.
  Result<reports::Report> Build(const ReportQuestion& q);

 private:
  Register& reg_;
  Milestones& ms_;
  Problems& problems_;
  Supervision& supervision_;
  Financing& financing_;
};

// Reads year, month (monthly) or quarter 1-4 (quarterly; annual: the year's December), levels and date (the issue date, default today
// in Beijing) from text parameters; errors name the parameter. kind: monthly | quarterly | annual.
Result<ReportQuestion> ParseReportQuestion(const std::string& kind, const std::map<std::string, std::string>& params,
                                           const User& user);

}  // namespace kp
