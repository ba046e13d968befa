// Problem-list figures (stats/problem_stats.h), computed over the cache's projects.
#include "stats/problem_stats.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "stats/stats_engine.h"

namespace kp::stats {

const char* ProblemGroupByName(ProblemGroupBy g) {
  switch (g) {
    case ProblemGroupBy::kNone: return "none";
    case ProblemGroupBy::kUnit: return "unit";
    case ProblemGroupBy::kCategory: return "category";
    case ProblemGroupBy::kLevel: return "level";
    case ProblemGroupBy::kRegion: return "region";
    case ProblemGroupBy::kSource: return "source";
  }
  return "none";
}

std::optional<ProblemGroupBy> ParseProblemGroupBy(std::string_view s) {
  for (ProblemGroupBy g : {ProblemGroupBy::kNone, ProblemGroupBy::kUnit, ProblemGroupBy::kCategory,
                           ProblemGroupBy::kLevel, ProblemGroupBy::kRegion, ProblemGroupBy::kSource}) {
    if (s == ProblemGroupByName(g)) return g;
  }
  return std::nullopt;
}

std::optional<Ratio> ProblemFigures::closure_rate_pct() const {
  if (raised == 0) return std::nullopt;
  return Ratio::Of(static_cast<__int128>(closed) * 100, raised);
}

std::optional<Ratio> ProblemFigures::avg_days_to_close() const {
  if (closed == 0) return std::nullopt;
  return Ratio::Of(days_to_close, closed);
}

std::optional<int32_t> ClosedAsOf(const ProblemFacts& f, int32_t day) {
  if (f.closed != kNoDay && f.closed <= day) return f.closed;
  // A closure later undone counts on the days between: closed on c, reopened on r, c ≤ day < r.
  std::optional<int32_t> out;
  for (const auto& [c, r] : f.reopened) {
    if (c <= day && day < r && (!out || c > *out)) out = c;
  }
  return out;
}

namespace {

void Count(ProblemFigures& g, const ProblemFacts& f, int32_t day) {
  g.raised += 1;
  if (auto c = ClosedAsOf(f, day)) {
    g.closed += 1;
    g.days_to_close += *c - f.raised;
    if (f.deadline == kNoDay || *c <= f.deadline) g.closed_on_time += 1;
    return;
  }
  g.open += 1;
  if (f.deadline != kNoDay && f.deadline < day) g.overdue += 1;
  if (f.answered) g.answered += 1;
  if (f.escalated_on != kNoDay && f.escalated_on <= day) g.escalated += 1;
  if (f.extension_pending) g.pending_extensions += 1;
}

}  // namespace

}  // namespace kp::stats

namespace kp::stats {

ProblemStats StatsEngine::Problems(const ProblemQuery& q, const ProblemSet& set) const {
  std::shared_lock lock(mu_);
  ProblemStats out;
  out.as_of = q.as_of;
  out.levels = q.levels;
  out.by = q.by;
  out.total.key = "合计";
  const int32_t day = DayNumber(q.as_of);
  StatsQuery scope;
  scope.levels = q.levels;
  scope.region_id = q.region_id;
  scope.owner = q.owner;
  const std::vector<uint8_t> region_mask = RegionMask(scope);
  std::optional<uint32_t> unit_id, lead_id;
  if (q.unit) {
    if (auto it = units_.ids.find(*q.unit); it != units_.ids.end()) unit_id = it->second;
    for (uint32_t k = 0; k < set.units.size(); ++k) {
      if (set.units[k] == *q.unit) lead_id = k;
    }
  }
  GroupBy engine_by = GroupBy::kNone;
  if (q.by == ProblemGroupBy::kLevel) engine_by = GroupBy::kLevel;
  if (q.by == ProblemGroupBy::kRegion) engine_by = GroupBy::kRegion;
  const Grouping grouping = MakeGrouping(engine_by, q.region_depth);
  size_t slots = grouping.slots;
  if (q.by == ProblemGroupBy::kUnit) slots = set.units.size();
  if (q.by == ProblemGroupBy::kCategory) slots = set.categories.size();
  if (q.by == ProblemGroupBy::kSource) slots = set.sources.size();
  std::vector<ProblemFigures> groups(std::max<size_t>(slots, 1));
  const bool resolved = set.resolved_generation == generation() && set.project_slots.size() == set.items.size();
  // The owner's scope as an id, once (Matches would look the name up for every problem).
  std::optional<uint32_t> owner_id;
  if (scope.owner) {
    auto it = owners_.ids.find(*scope.owner);
    if (it == owners_.ids.end()) return out;
    owner_id = it->second;
    scope.owner.reset();
  }
  for (size_t i = 0; i < set.items.size(); ++i) {
    const ProblemFacts& f = set.items[i];
    if (f.raised == kNoDay || f.raised > day) continue;
    size_t slot_of_project = 0;
    if (resolved) {
      if (set.project_slots[i] == kNoSlot) continue;
      slot_of_project = set.project_slots[i];
    } else {
      auto it = index_.find(f.project_id);
      if (it == index_.end()) continue;
      slot_of_project = it->second;
    }
    const ProjectMeta& m = projects_[slot_of_project];
    if (owner_id && m.owner != *owner_id) continue;
    if (!Matches(m, scope, region_mask)) continue;
    if (q.unit && !((unit_id && m.unit == *unit_id) || (lead_id && f.lead_unit == *lead_id) ||
                    (q.co_units_in_scope && lead_id &&
                     std::find(f.co_units.begin(), f.co_units.end(), *lead_id) != f.co_units.end()))) {
      continue;
    }
    Count(out.total, f, day);
    if (q.keep_members) out.members.push_back(static_cast<uint32_t>(i));
    size_t slot = 0;
    switch (q.by) {
      case ProblemGroupBy::kNone: break;
      case ProblemGroupBy::kUnit: slot = f.lead_unit; break;
      case ProblemGroupBy::kCategory: slot = f.category; break;
      case ProblemGroupBy::kSource: slot = f.source; break;
      case ProblemGroupBy::kLevel:
      case ProblemGroupBy::kRegion: slot = SlotOf(grouping, m, slot_of_project); break;
    }
    if (slot < groups.size()) Count(groups[slot], f, day);
  }
  if (q.by == ProblemGroupBy::kNone) return out;
  for (size_t k = 0; k < groups.size(); ++k) {
    if (groups[k].raised == 0) continue;
    ProblemFigures g = groups[k];
    switch (q.by) {
      case ProblemGroupBy::kUnit: g.key = set.units[k]; break;
      case ProblemGroupBy::kCategory: g.key = set.categories[k]; break;
      case ProblemGroupBy::kSource: g.key = set.sources[k]; break;
      default: g.key = SlotKey(grouping, k, nullptr); break;
    }
    if (g.key.empty()) g.key = "（未填写）";
    out.groups.push_back(std::move(g));
  }
  if (q.by != ProblemGroupBy::kLevel) {
    std::stable_sort(out.groups.begin(), out.groups.end(), [](const ProblemFigures& a, const ProblemFigures& b) {
      if (a.raised != b.raised) return a.raised > b.raised;
      return a.key < b.key;
    });
  }
  return out;
}

void StatsEngine::ResolveProjects(ProblemSet& set) const {
  std::shared_lock lock(mu_);
  set.project_slots.resize(set.items.size());
  for (size_t i = 0; i < set.items.size(); ++i) {
    auto it = index_.find(set.items[i].project_id);
    set.project_slots[i] = it == index_.end() ? kNoSlot : static_cast<uint32_t>(it->second);
  }
  set.resolved_generation = generation();
}

std::vector<std::optional<StatsEngine::ProjectBrief>> StatsEngine::Briefs(const std::vector<int64_t>& ids) const {
  std::shared_lock lock(mu_);
  std::vector<std::optional<ProjectBrief>> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = index_.find(id);
    if (it == index_.end() || !projects_[it->second].live) {
      out.emplace_back();
      continue;
    }
    const ProjectMeta& m = projects_[it->second];
    out.push_back(ProjectBrief{m.code, m.name, units_.names[m.unit], owners_.names[m.owner], leaders_.names[m.leader], m.level});
  }
  return out;
}

}  // namespace kp::stats

namespace kp::stats {

std::vector<ProblemFigures> ProblemsOfProjects(const ProblemSet& set, const std::vector<int64_t>& ids, const Date& as_of) {
  std::vector<ProblemFigures> out(ids.size());
  std::unordered_map<int64_t, size_t> at;
  for (size_t k = 0; k < ids.size(); ++k) {
    out[k].key = std::to_string(ids[k]);
    at.emplace(ids[k], k);
  }
  const int32_t day = DayNumber(as_of);
  for (const ProblemFacts& f : set.items) {
    if (f.raised == kNoDay || f.raised > day) continue;
    auto it = at.find(f.project_id);
    if (it != at.end()) Count(out[it->second], f, day);
  }
  return out;
}

}  // namespace kp::stats
