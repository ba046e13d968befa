// StatsEngine::Execution: the 考核's execution measures (starts, nodes on time, reports received) per group,
// from the same facts the warning colours are computed from.
#include <algorithm>

#include "stats/stats_engine.h"

namespace kp::stats {

ExecutionResult StatsEngine::Execution(const WarningQuery& q, const WarningRules& rules) const {
  const WarningEvaluator eval(q.as_of, rules);
  const int32_t day = DayNumber(q.as_of);
  std::shared_lock lock(mu_);
  ExecutionResult out;
  out.as_of = q.as_of;
  out.total.key = "合计";
  auto yit = years_.find(q.as_of.year);
  if (yit == years_.end()) return out;
  const YearData& d = yit->second;
  const WarningScope scope = ScopeOf(q);
  if (scope.none) return out;
  const Grouping grouping = MakeGrouping(q.by, q.region_depth);
  std::vector<ExecutionFigures> slots(grouping.slots);
  const auto due_months = static_cast<int64_t>(eval.due_months().size());
  const size_t n = std::min(projects_.size(), d.plan.size());
  for (size_t i = 0; i < n; ++i) {
    if (!d.has_plan[i]) continue;
    const ProjectMeta& m = projects_[i];
    if (!InScope(scope, m)) continue;
    const ProjectFacts f = FactsOf(i, &d, q.as_of.month);
    ExecutionFigures e;
    e.projects = 1;
    if (!f.suspended && f.planned_start != kNoDay && f.planned_start <= day) {
      e.starts_due = 1;
      e.started = eval.Started(f) ? 1 : 0;
    }
    for (size_t k = 0; k < f.node_count; ++k) {
      const NodeFacts& node = f.nodes[k];
      if (node.planned == kNoDay || node.planned > day) continue;
      ++e.nodes_due;
      if (node.actual != kNoDay && node.actual <= day && node.actual <= node.planned) ++e.nodes_on_time;
    }
    e.reports_due = due_months;
    for (int month : eval.due_months()) e.reports_in += (f.reported >> (month - 1)) & 1u;
    for (ExecutionFigures* into : {&out.total, &slots[SlotOf(grouping, m, i)]}) {
      into->projects += e.projects;
      into->starts_due += e.starts_due;
      into->started += e.started;
      into->nodes_due += e.nodes_due;
      into->nodes_on_time += e.nodes_on_time;
      into->reports_due += e.reports_due;
      into->reports_in += e.reports_in;
    }
  }
  if (q.by != GroupBy::kNone) {
    for (size_t k = 0; k < slots.size(); ++k) {
      if (slots[k].projects == 0) continue;
      slots[k].key = SlotKey(grouping, k, nullptr);
      out.groups.push_back(std::move(slots[k]));
    }
    std::sort(out.groups.begin(), out.groups.end(),
              [](const ExecutionFigures& a, const ExecutionFigures& b) { return a.key < b.key; });
  }
  return out;
}

}  // namespace kp::stats
