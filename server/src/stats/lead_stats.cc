#include "stats/lead_stats.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <unordered_map>

namespace kp::stats {

namespace {

bool InYear(const std::optional<Date>& d, int year, const Date& as_of) { return d && d->year == year && *d <= as_of; }
bool ByDay(const std::optional<Date>& d, const Date& as_of) { return d && *d <= as_of; }

void Add(LeadFigures& f, const Lead& l, const LeadFollow& follow, const LeadQuery& q) {
  if (InYear(l.lead_on, q.year, q.as_of)) ++f.leads;
  if (InYear(l.talks_on, q.year, q.as_of)) ++f.talks;
  if (InYear(follow.started_on, q.year, q.as_of)) ++f.started_in_year;
  if (InYear(follow.producing_on, q.year, q.as_of)) ++f.producing_in_year;
  if (!InYear(l.signed_on, q.year, q.as_of)) return;
  ++f.signed_count;
  f.signed_amount += l.investment;
  if (l.project_id && ByDay(l.landed_on, q.as_of)) ++f.landed;
  if (ByDay(follow.started_on, q.as_of)) ++f.started;
  if (ByDay(follow.producing_on, q.as_of)) ++f.producing;
}

void Rates(LeadFigures& f) {
  if (f.signed_count == 0) return;
  f.start_rate_pct = Ratio::Of(static_cast<__int128>(f.started) * 100, f.signed_count);
  f.produce_rate_pct = Ratio::Of(static_cast<__int128>(f.producing) * 100, f.signed_count);
}

}  // namespace

const char* LeadGroupByName(LeadGroupBy b) {
  switch (b) {
    case LeadGroupBy::kNone: return "";
    case LeadGroupBy::kStage: return "stage";
    case LeadGroupBy::kIndustry: return "industry";
    case LeadGroupBy::kStaff: return "staff";
  }
  return "";
}

std::optional<LeadGroupBy> ParseLeadGroupBy(std::string_view s) {
  for (LeadGroupBy b : {LeadGroupBy::kNone, LeadGroupBy::kStage, LeadGroupBy::kIndustry, LeadGroupBy::kStaff}) {
    if (s == LeadGroupByName(b)) return b;
  }
  return std::nullopt;
}

std::optional<LeadStage> LeadStageOn(const Lead& l, const Date& day) {
  if (l.lead_on > day) return std::nullopt;
  const LeadFollow f = FollowProject(l);
  if (ByDay(f.producing_on, day)) return LeadStage::kProducing;
  if (ByDay(f.started_on, day)) return LeadStage::kStarted;
  if (l.project_id && ByDay(l.landed_on, day)) return LeadStage::kLanded;
  if (ByDay(l.signed_on, day)) return LeadStage::kSigned;
  if (ByDay(l.talks_on, day)) return LeadStage::kTalks;
  return LeadStage::kLead;
}

LeadStats ComputeLeadStats(const std::vector<Lead>& leads, const LeadQuery& q) {
  LeadStats r;
  r.year = q.year;
  r.as_of = q.as_of;
  r.by = q.by;
  std::unordered_map<std::string_view, size_t> group_at;  // key → index in `groups`
  std::vector<LeadFigures> groups;
  std::vector<LeadFigures> stages(std::size(kLeadStages));
  for (size_t i = 0; i < stages.size(); ++i) stages[i].key = LeadStageLabel(kLeadStages[i]);
  for (const Lead& l : leads) {
    const LeadFollow follow = FollowProject(l);
    Add(r.total, l, follow, q);
    switch (q.by) {
      case LeadGroupBy::kNone: break;
      case LeadGroupBy::kStage:
        if (auto s = LeadStageOn(l, q.as_of)) Add(stages[static_cast<size_t>(*s)], l, follow, q);
        break;
      case LeadGroupBy::kIndustry:
      case LeadGroupBy::kStaff: {
        const std::string& key = q.by == LeadGroupBy::kIndustry ? l.industry : l.staff;
        auto [it, added] = group_at.emplace(key, groups.size());
        if (added) groups.emplace_back().key = key;
        Add(groups[it->second], l, follow, q);
        break;
      }
    }
  }
  Rates(r.total);
  if (q.by == LeadGroupBy::kStage) {
    r.groups = std::move(stages);
  } else {
    for (LeadFigures& g : groups) {
      if (g.leads + g.talks + g.signed_count + g.started_in_year + g.producing_in_year == 0) continue;  // nothing of this group happened in the year
      r.groups.push_back(std::move(g));
    }
    std::sort(r.groups.begin(), r.groups.end(), [](const LeadFigures& a, const LeadFigures& b) { return a.key < b.key; });
    std::stable_sort(r.groups.begin(), r.groups.end(), [](const LeadFigures& a, const LeadFigures& b) {
      return a.signed_amount > b.signed_amount;
    });
  }
  for (LeadFigures& g : r.groups) Rates(g);
  return r;
}

}  // namespace kp::stats
