#pragma once
// The figures of on-site supervision over a period ("一季度开展现场督导14次"): visits, projects
// covered and coverage, stops on schedule and with problems, findings solved on the spot or passed up.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "common/money.h"
#include "domain/problem_model.h"

namespace kp::stats {

struct VisitFigures {
  Date from, to;
  int64_t visits = 0;
  int64_t stops = 0;             // projects seen, counting a project seen twice twice
  int64_t projects_covered = 0;  // distinct projects seen
  int64_t projects_total = 0;    // projects in scope (with a plan in the year)
  int64_t on_schedule = 0;       // stops found on schedule
  int64_t with_problems = 0;     // stops with at least one finding
  int64_t findings = 0;
  int64_t solved_on_spot = 0;
  int64_t passed_up = 0;
  int64_t problems_raised = 0;  // findings that became problems
  std::optional<Ratio> coverage_pct() const;  // projects_covered ÷ projects_total × 100
};

// Visits starting within [from, to]; stops at projects outside `counted` are left out, and a visit
// counts when it stopped at a counted project.
VisitFigures ComputeVisitFigures(const std::vector<Visit>& visits, const Date& from, const Date& to,
                                 const std::function<bool(int64_t project_id)>& counted, int64_t projects_total);

}  // namespace kp::stats
