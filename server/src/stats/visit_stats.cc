#include "stats/visit_stats.h"

#include <unordered_set>

namespace kp::stats {

std::optional<Ratio> VisitFigures::coverage_pct() const {
  if (projects_total == 0) return std::nullopt;
  return Ratio::Of(static_cast<__int128>(projects_covered) * 100, projects_total);
}

VisitFigures ComputeVisitFigures(const std::vector<Visit>& visits, const Date& from, const Date& to,
                                 const std::function<bool(int64_t)>& counted, int64_t projects_total) {
  VisitFigures out;
  out.from = from;
  out.to = to;
  out.projects_total = projects_total;
  std::unordered_set<int64_t> covered;
  for (const Visit& v : visits) {
    if (v.start < from || v.start > to) continue;
    bool any = false;
    for (const VisitStop& s : v.stops) {
      if (!counted(s.project_id)) continue;
      any = true;
      out.stops += 1;
      covered.insert(s.project_id);
      if (s.on_schedule) out.on_schedule += 1;
      if (!s.findings.empty()) out.with_problems += 1;
      for (const VisitFinding& f : s.findings) {
        out.findings += 1;
        if (f.outcome == "solved") out.solved_on_spot += 1;
        if (f.outcome == "passed_up") out.passed_up += 1;
        if (f.problem_id) out.problems_raised += 1;
      }
    }
    if (any) out.visits += 1;
  }
  out.projects_covered = static_cast<int64_t>(covered.size());
  return out;
}

}  // namespace kp::stats
