// The financing funnel (stats/financing_stats.h), computed over the cache's projects.
#include "stats/financing_stats.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "stats/stats_engine.h"

namespace kp::stats {

const char* FinancingGroupByName(FinancingGroupBy g) {
  switch (g) {
    case FinancingGroupBy::kNone: return "none";
    case FinancingGroupBy::kBank: return "bank";
    case FinancingGroupBy::kKind: return "type";
    case FinancingGroupBy::kStage: return "stage";
    case FinancingGroupBy::kLevel: return "level";
    case FinancingGroupBy::kRegion: return "region";
  }
  return "none";
}

std::optional<FinancingGroupBy> ParseFinancingGroupBy(std::string_view s) {
  for (auto g : {FinancingGroupBy::kNone, FinancingGroupBy::kBank, FinancingGroupBy::kKind, FinancingGroupBy::kStage,
                 FinancingGroupBy::kLevel, FinancingGroupBy::kRegion}) {
    if (s == FinancingGroupByName(g)) return g;
  }
  return std::nullopt;
}

namespace {

FinancingStage PushStage(const PushFacts& p, int32_t day) {
  for (const auto& [d, y] : p.loans) {
    if (d <= day) return FinancingStage::kDisbursed;
  }
  if (p.contract_on != kNoDay && p.contract_on <= day) return FinancingStage::kSigned;
  if (p.credit_on != kNoDay && p.credit_on <= day) return FinancingStage::kCredited;
  if (p.answered != kNoDay && p.answered <= day && p.answer == 2) return FinancingStage::kApproving;
  if (p.answered != kNoDay && p.answered <= day && p.answer == 1) return FinancingStage::kMatching;
  return FinancingStage::kPushed;
}

// What one group sees of a demand as of `day`: every bank's pushes, or one bank's.
struct Seen {
  bool pushed = false, credited = false, signed_ = false, disbursed = false;
  int64_t credit = 0, contract = 0, loans = 0;
};

// Adds what one push (pushed by `day`) shows as of `day`.
void AddPush(Seen& s, const PushFacts& p, int32_t day) {
  s.pushed = true;
  if (p.credit_on != kNoDay && p.credit_on <= day) {
    s.credited = true;
    s.credit += p.credit;
  }
  if (p.contract_on != kNoDay && p.contract_on <= day) {
    s.signed_ = true;
    s.contract += p.contract;
  }
  for (const auto& [d, y] : p.loans) {
    if (d <= day) {
      s.disbursed = true;
      s.loans += y;
    }
  }
}

// What two pushes show together (a demand's pushes to two banks).
void Merge(Seen& into, const Seen& one) {
  into.pushed = into.pushed || one.pushed;
  into.credited = into.credited || one.credited;
  into.signed_ = into.signed_ || one.signed_;
  into.disbursed = into.disbursed || one.disbursed;
  into.credit += one.credit;
  into.contract += one.contract;
  into.loans += one.loans;
}

Seen SeenOf(const FinancingFacts& f, int32_t day, std::optional<uint32_t> bank) {
  Seen s;
  for (const PushFacts& p : f.pushes) {
    if (bank && p.bank != *bank) continue;
    if (p.pushed == kNoDay || p.pushed > day) continue;
    AddPush(s, p, day);
  }
  return s;
}

// Counts a demand into a group; `last` is the project last counted there (the set is ordered by
// project, so a project's demands come together and are counted once).
struct Counter {
  FinancingFigures fig;
  int64_t last_project = -1, last_pushed = -1, last_credit = -1, last_signed = -1, last_disbursed = -1;
  void Add(const FinancingFacts& f, const Seen& s) {
    if (last_project != f.project_id) ++fig.projects, last_project = f.project_id;
    fig.demand.yuan += f.amount;
    if (s.pushed && last_pushed != f.project_id) ++fig.pushed_projects, last_pushed = f.project_id;
    if (s.credited && last_credit != f.project_id) ++fig.credit_projects, last_credit = f.project_id;
    if (s.signed_ && last_signed != f.project_id) ++fig.signed_projects, last_signed = f.project_id;
    if (s.disbursed && last_disbursed != f.project_id) ++fig.disbursed_projects, last_disbursed = f.project_id;
    fig.credit.yuan += s.credit;
    fig.signed_amount.yuan += s.contract;
    fig.disbursed.yuan += s.loans;
  }
};

}  // namespace

namespace {

// The stage as of `day`; with `bank`, from that bank's push only (what a bank may know of it).
FinancingStage StageOfBank(const FinancingFacts& f, int32_t day, std::optional<uint32_t> bank) {
  if (f.stage == FinancingStage::kRejected) return f.stage;
  std::optional<FinancingStage> best;
  for (const PushFacts& p : f.pushes) {
    if (p.pushed == kNoDay || p.pushed > day || (bank && p.bank != *bank)) continue;
    const FinancingStage s = PushStage(p, day);
    if (!best || s > *best) best = s;
  }
  if (best) return *best;
  return f.stage <= FinancingStage::kReviewed ? f.stage : FinancingStage::kReviewed;
}

}  // namespace

FinancingStage StageAsOf(const FinancingFacts& f, int32_t day) { return StageOfBank(f, day, std::nullopt); }

std::vector<ProjectFinancing> FinancingOfProjects(const FinancingSet& set, const std::vector<int64_t>& ids, const Date& as_of) {
  std::vector<ProjectFinancing> out(ids.size());
  std::unordered_map<int64_t, size_t> at;
  for (size_t k = 0; k < ids.size(); ++k) at.emplace(ids[k], k);
  std::vector<Counter> counters(ids.size());
  const int32_t day = DayNumber(as_of);
  for (const FinancingFacts& f : set.items) {
    if (f.registered == kNoDay || f.registered > day) continue;
    auto it = at.find(f.project_id);
    if (it == at.end()) continue;
    ProjectFinancing& p = out[it->second];
    counters[it->second].Add(f, SeenOf(f, day, std::nullopt));
    p.demands += 1;
    const FinancingStage s = StageOfBank(f, day, std::nullopt);
    // The furthest stage reached; 未通过 only when no demand got anywhere else.
    if (!p.stage || *p.stage == FinancingStage::kRejected || (s != FinancingStage::kRejected && s > *p.stage)) p.stage = s;
  }
  for (size_t k = 0; k < ids.size(); ++k) {
    out[k].figures = counters[k].fig;
    out[k].figures.key = std::to_string(ids[k]);
  }
  return out;
}

FinancingStats StatsEngine::Financing(const FinancingQuery& q, const FinancingSet& set) const {
  std::shared_lock lock(mu_);
  FinancingStats out;
  out.year = q.year;
  out.month = q.month;
  out.as_of = q.as_of;
  out.levels = q.levels;
  out.by = q.by;
  const int32_t day = DayNumber(q.as_of);
  StatsQuery scope;
  scope.levels = q.levels;
  scope.region_id = q.region_id;
  scope.unit = q.unit;
  scope.owner = q.owner;
  const std::vector<uint8_t> region_mask = RegionMask(scope);
  std::optional<uint32_t> bank_scope;
  if (q.bank) {
    bank_scope = UINT32_MAX;
    for (uint32_t k = 0; k < set.banks.size(); ++k) {
      if (set.banks[k] == *q.bank) bank_scope = k;
    }
  }
  GroupBy engine_by = q.by == FinancingGroupBy::kLevel ? GroupBy::kLevel : q.by == FinancingGroupBy::kRegion ? GroupBy::kRegion : GroupBy::kNone;
  const Grouping grouping = MakeGrouping(engine_by, q.region_depth);
  size_t slots = grouping.slots;
  if (q.by == FinancingGroupBy::kBank) slots = set.banks.size() + 1;  // the last: 未推送
  if (q.by == FinancingGroupBy::kKind) slots = set.kinds.size();
  if (q.by == FinancingGroupBy::kStage) slots = static_cast<size_t>(FinancingStage::kRejected) + 1;
  std::vector<Counter> groups(std::max<size_t>(slots, 1));
  Counter total;
  const bool resolved = set.resolved_generation == generation() && set.project_slots.size() == set.items.size();
  for (size_t i = 0; i < set.items.size(); ++i) {
    const FinancingFacts& f = set.items[i];
    if (f.registered == kNoDay || f.registered > day) continue;
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
    if (!Matches(m, scope, region_mask)) continue;
    if (bank_scope) {
      bool pushed = false;
      for (const PushFacts& p : f.pushes) pushed = pushed || (p.bank == *bank_scope && p.pushed != kNoDay && p.pushed <= day);
      if (!pushed) continue;
    }
    if (q.by == FinancingGroupBy::kBank) {
      // A demand is pushed to a bank once: its row sees that one push; the total sees them all (SeenOf's
      // sum, made in the same pass over the pushes).
      Seen all;
      bool any = false;
      for (const PushFacts& p : f.pushes) {
        if (p.pushed == kNoDay || p.pushed > day || (bank_scope && p.bank != *bank_scope)) continue;
        any = true;
        Seen one;
        AddPush(one, p, day);
        groups[p.bank].Add(f, one);
        Merge(all, one);
      }
      if (!any) groups[set.banks.size()].Add(f, Seen{});
      total.Add(f, all);
      continue;
    }
    const Seen seen = SeenOf(f, day, bank_scope);
    total.Add(f, seen);
    switch (q.by) {
      case FinancingGroupBy::kNone:
      case FinancingGroupBy::kBank: break;
      case FinancingGroupBy::kKind: groups[f.kind].Add(f, seen); break;
      case FinancingGroupBy::kStage: groups[static_cast<size_t>(StageOfBank(f, day, bank_scope))].Add(f, seen); break;
      case FinancingGroupBy::kLevel:
      case FinancingGroupBy::kRegion: groups[SlotOf(grouping, m, slot_of_project)].Add(f, seen); break;
    }
  }
  out.total = total.fig;
  out.total.key = "合计";
  if (q.by == FinancingGroupBy::kNone) return out;
  for (size_t k = 0; k < groups.size(); ++k) {
    if (groups[k].fig.projects == 0) continue;
    FinancingFigures g = groups[k].fig;
    switch (q.by) {
      case FinancingGroupBy::kBank: g.key = k < set.banks.size() ? set.banks[k] : "未推送"; break;
      case FinancingGroupBy::kKind: g.key = set.kinds[k]; break;
      case FinancingGroupBy::kStage: g.key = FinancingStageLabel(static_cast<FinancingStage>(k)); break;
      default: g.key = SlotKey(grouping, k, nullptr); break;
    }
    out.groups.push_back(std::move(g));
  }
  if (q.by == FinancingGroupBy::kBank || q.by == FinancingGroupBy::kKind || q.by == FinancingGroupBy::kRegion) {
    std::stable_sort(out.groups.begin(), out.groups.end(), [](const FinancingFigures& a, const FinancingFigures& b) {
      if (a.demand.yuan != b.demand.yuan) return a.demand.yuan > b.demand.yuan;
      return a.key < b.key;
    });
  }
  return out;
}

void StatsEngine::ResolveProjects(FinancingSet& set) const {
  std::shared_lock lock(mu_);
  set.project_slots.resize(set.items.size());
  for (size_t i = 0; i < set.items.size(); ++i) {
    auto it = index_.find(set.items[i].project_id);
    set.project_slots[i] = it == index_.end() ? kNoSlot : static_cast<uint32_t>(it->second);
  }
  set.resolved_generation = generation();
}

}  // namespace kp::stats
