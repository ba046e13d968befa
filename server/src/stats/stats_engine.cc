#include "stats/stats_engine.h"

#include <algorithm>
#include <mutex>

#include "store/store.h"

namespace kp::stats {

const char* GroupByName(GroupBy g) {
  switch (g) {
    case GroupBy::kNone: return "none";
    case GroupBy::kLevel: return "level";
    case GroupBy::kRegion: return "region";
    case GroupBy::kIndustry: return "industry";
    case GroupBy::kUnit: return "unit";
    case GroupBy::kLeader: return "leader";
    case GroupBy::kDemo: return "demo";
    case GroupBy::kStatus: return "status";
    case GroupBy::kProject: return "project";
  }
  return "none";
}

std::optional<GroupBy> ParseGroupBy(std::string_view s) {
  for (GroupBy g : {GroupBy::kNone, GroupBy::kLevel, GroupBy::kRegion, GroupBy::kIndustry, GroupBy::kUnit,
                    GroupBy::kLeader, GroupBy::kDemo, GroupBy::kStatus, GroupBy::kProject}) {
    if (s == GroupByName(g)) return g;
  }
  if (s.empty()) return GroupBy::kNone;
  return std::nullopt;
}

void FillRatios(GroupFigures& g, const Ratio& schedule_pct) {
  if (g.plan.yuan == 0) {
    g.completion_pct.reset();
    g.ahead_points.reset();
    g.spi.reset();
    return;
  }
  constexpr int kPercent = 100;
  Ratio pct = Ratio::Of(static_cast<__int128>(g.completed.yuan) * kPercent, g.plan.yuan);
  g.completion_pct = pct;
  g.ahead_points = pct - schedule_pct;
  g.spi = pct / schedule_pct;
}

void StatsEngine::YearData::Resize(size_t n) {
  if (plan.size() >= n) return;
  plan.resize(n, 0);
  has_plan.resize(n, 0);
  monthly.resize(n, std::array<int64_t, 12>{});
  cumulative.resize(n, std::array<int64_t, 12>{});
  reported.resize(n, 0);
}

void StatsEngine::YearData::Clear(size_t i) {
  if (i >= plan.size()) return;
  plan[i] = 0;
  has_plan[i] = 0;
  monthly[i] = {};
  cumulative[i] = {};
  reported[i] = 0;
}

void StatsEngine::YearData::Accumulate(size_t i) {
  int64_t sum = 0;
  for (int m = 0; m < 12; ++m) {
    sum += monthly[i][m];
    cumulative[i][m] = sum;
  }
}

uint32_t StatsEngine::Dictionary::Intern(const std::string& s) {
  auto it = ids.find(s);
  if (it != ids.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(names.size());
  names.push_back(s);
  ids.emplace(s, id);
  return id;
}

size_t StatsEngine::IndexOf(int64_t project_id) {
  auto it = index_.find(project_id);
  if (it != index_.end()) return it->second;
  size_t idx = projects_.size();
  projects_.push_back(ProjectMeta{});
  projects_.back().id = project_id;
  nodes_.emplace_back();
  start_node_.push_back(-1);
  index_.emplace(project_id, idx);
  for (auto& [year, data] : years_) data.Resize(projects_.size());
  return idx;
}

StatsEngine::YearData& StatsEngine::Year(int year) {
  YearData& d = years_[year];
  d.Resize(projects_.size());
  return d;
}

void StatsEngine::FillMeta(ProjectMeta& m, const Project& p) {
  m.id = p.id;
  m.live = true;
  m.level = p.level;
  auto rit = p.region_id ? region_index_.find(*p.region_id) : region_index_.end();
  m.region = rit == region_index_.end() ? -1 : rit->second;
  m.industry = industries_.Intern(p.industry);
  m.unit = units_.Intern(p.unit);
  m.leader = leaders_.Intern(p.leader);
  m.status = statuses_.Intern(p.status);
  m.owner = owners_.Intern(p.owner);
  m.demo = p.is_demo;
  m.suspended = p.status == "停缓建";
  m.preparing = p.status == "前期";
  m.planned_start = p.planned_start ? DayNumber(*p.planned_start) : kNoDay;
  m.unit_text = texts_.Intern(p.unit);
  m.person_text = texts_.Intern(p.person);
  m.code = p.code;
  m.name = p.name;
}

void StatsEngine::SetRegions(const std::vector<Region>& regions, std::optional<int64_t> home_region) {
  std::unique_lock lock(mu_);
  regions_ = regions;
  region_index_.clear();
  for (size_t i = 0; i < regions_.size(); ++i) region_index_[regions_[i].id] = static_cast<int>(i);
  region_parent_.assign(regions_.size(), -1);
  for (size_t i = 0; i < regions_.size(); ++i) {
    if (regions_[i].parent_id) {
      auto it = region_index_.find(*regions_[i].parent_id);
      if (it != region_index_.end()) region_parent_[i] = it->second;
    }
  }
  region_depth_.assign(regions_.size(), 0);
  for (size_t i = 0; i < regions_.size(); ++i) {
    int d = 0;
    for (int r = region_parent_[i]; r >= 0 && d <= static_cast<int>(regions_.size()); r = region_parent_[r]) ++d;
    region_depth_[i] = d;
  }
  home_region_.reset();
  if (home_region) {
    auto it = region_index_.find(*home_region);
    if (it != region_index_.end()) home_region_ = it->second;
  }
  Bump();
}

void StatsEngine::Rebuild(const store::StatsSource& src) {
  std::optional<int64_t> home;
  {
    std::shared_lock lock(mu_);
    if (home_region_) home = regions_[*home_region_].id;
  }
  SetRegions(src.regions, home);
  std::unique_lock lock(mu_);
  projects_.clear();
  index_.clear();
  years_.clear();
  industries_ = {};
  units_ = {};
  leaders_ = {};
  statuses_ = {};
  owners_ = {};
  texts_ = {};
  nodes_.clear();
  start_node_.clear();
  projects_.reserve(src.projects.size());
  for (const Project& p : src.projects) FillMeta(projects_[IndexOf(p.id)], p);
  {
    std::unordered_map<size_t, std::vector<const ProjectNode*>> by_project;
    for (const ProjectNode& n : src.nodes) {
      auto it = index_.find(n.project_id);
      if (it != index_.end()) by_project[it->second].push_back(&n);
    }
    for (auto& [idx, list] : by_project) SetNodesLocked(idx, list);
  }
  for (const store::PlanAmount& a : src.plans) {
    auto it = index_.find(a.project_id);
    if (it == index_.end()) continue;  // deleted project
    Year(a.year).SetPlan(it->second, a.plan.yuan);
  }
  for (const store::ReportAmount& r : src.reports) {
    auto it = index_.find(r.project_id);
    if (it == index_.end() || r.month < 1 || r.month > 12) continue;
    Year(r.year).SetMonth(it->second, r.month, r.completed.yuan);
  }
  for (auto& [year, d] : years_) {
    for (size_t i = 0; i < d.monthly.size(); ++i) d.Accumulate(i);
  }
  Bump();
}

void StatsEngine::UpsertProject(const Project& p) {
  std::unique_lock lock(mu_);
  FillMeta(projects_[IndexOf(p.id)], p);
  Bump();
}

void StatsEngine::RemoveProject(int64_t project_id) {
  std::unique_lock lock(mu_);
  auto it = index_.find(project_id);
  if (it != index_.end()) projects_[it->second].live = false;
  Bump();
}

void StatsEngine::SetPlan(int64_t project_id, int year, Money plan) {
  std::unique_lock lock(mu_);
  size_t idx = IndexOf(project_id);
  Year(year).SetPlan(idx, plan.yuan);
  Bump();
}

void StatsEngine::SetReport(int64_t project_id, YearMonth month, Money completed) {
  std::unique_lock lock(mu_);
  size_t idx = IndexOf(project_id);
  YearData& d = Year(month.year);
  d.SetMonth(idx, month.month, completed.yuan);
  d.Accumulate(idx);
  Bump();
}

void StatsEngine::Apply(const store::ImportApplied& applied) {
  std::unique_lock lock(mu_);
  for (const Project& p : applied.projects) FillMeta(projects_[IndexOf(p.id)], p);
  for (const store::PlanAmount& a : applied.plans) {
    size_t idx = IndexOf(a.project_id);
    Year(a.year).SetPlan(idx, a.plan.yuan);
  }
  for (const store::ReportAmount& r : applied.reports) {
    size_t idx = IndexOf(r.project_id);
    YearData& d = Year(r.year);
    d.SetMonth(idx, r.month, r.completed.yuan);
    d.Accumulate(idx);
  }
  Bump();
}

void StatsEngine::ReplaceProjects(const std::vector<int64_t>& ids, const store::StatsSource& src) {
  std::unique_lock lock(mu_);
  for (int64_t id : ids) {
    auto it = index_.find(id);
    if (it == index_.end()) continue;
    projects_[it->second].live = false;
    for (auto& [year, d] : years_) d.Clear(it->second);
    nodes_[it->second].clear();
    start_node_[it->second] = -1;
  }
  for (const Project& p : src.projects) FillMeta(projects_[IndexOf(p.id)], p);
  {
    std::unordered_map<size_t, std::vector<const ProjectNode*>> by_project;
    for (const ProjectNode& n : src.nodes) by_project[IndexOf(n.project_id)].push_back(&n);
    for (auto& [idx, list] : by_project) SetNodesLocked(idx, list);
  }
  for (const store::PlanAmount& a : src.plans) Year(a.year).SetPlan(IndexOf(a.project_id), a.plan.yuan);
  for (const store::ReportAmount& r : src.reports) {
    if (r.month < 1 || r.month > 12) continue;
    Year(r.year).SetMonth(IndexOf(r.project_id), r.month, r.completed.yuan);
  }
  for (const store::ReportAmount& r : src.reports) Year(r.year).Accumulate(IndexOf(r.project_id));
  Bump();
}

void StatsEngine::SetNodesLocked(size_t idx, const std::vector<const ProjectNode*>& nodes) {
  std::vector<const ProjectNode*> sorted = nodes;
  std::stable_sort(sorted.begin(), sorted.end(), [](const ProjectNode* a, const ProjectNode* b) { return a->seq < b->seq; });
  std::vector<NodeFacts>& out = nodes_[idx];
  out.clear();
  out.reserve(sorted.size());
  start_node_[idx] = -1;
  for (const ProjectNode* n : sorted) {
    NodeFacts f;
    f.planned = n->planned ? DayNumber(*n->planned) : kNoDay;
    f.actual = n->actual ? DayNumber(*n->actual) : kNoDay;
    f.name = texts_.Intern(n->name);
    f.unit = texts_.Intern(n->unit);
    f.person = texts_.Intern(n->person);
    if (start_node_[idx] < 0 && n->name == kStartNodeName) start_node_[idx] = static_cast<int>(out.size());
    out.push_back(f);
  }
}

void StatsEngine::SetNodes(int64_t project_id, const std::vector<ProjectNode>& nodes) {
  std::unique_lock lock(mu_);
  std::vector<const ProjectNode*> list;
  for (const ProjectNode& n : nodes) list.push_back(&n);
  SetNodesLocked(IndexOf(project_id), list);
  Bump();
}

size_t StatsEngine::project_count() const {
  std::shared_lock lock(mu_);
  return std::count_if(projects_.begin(), projects_.end(), [](const ProjectMeta& m) { return m.live; });
}

std::optional<int> StatsEngine::LatestMonth(int year) const {
  std::shared_lock lock(mu_);
  auto it = years_.find(year);
  if (it == years_.end()) return std::nullopt;
  int latest = 0;
  const YearData& d = it->second;
  for (size_t i = 0; i < d.reported.size() && latest < 12; ++i) {
    if (i < projects_.size() && !projects_[i].live) continue;
    for (int m = 11; m >= latest; --m) {
      if (d.reported[i] & (1u << m)) {
        latest = m + 1;
        break;
      }
    }
  }
  if (latest == 0) return std::nullopt;
  return latest;
}

Date ReportDeadline(YearMonth month, int deadline_day) {
  const YearMonth next = month.month == 12 ? YearMonth{month.year + 1, 1} : YearMonth{month.year, month.month + 1};
  return Date{next.year, next.month, std::min(deadline_day, DaysInMonth(next.year, next.month))};
}

int StatsEngine::HeadlineMonth(int year, const HeadlineRule& rule) const {
  if (rule.pinned && rule.pinned->year == year) return rule.pinned->month;
  std::array<int64_t, 12> reported{};
  int64_t expected = 0;
  {
    std::shared_lock lock(mu_);
    auto it = years_.find(year);
    if (it != years_.end()) {
      const YearData& d = it->second;
      const size_t n = std::min(projects_.size(), d.plan.size());
      for (size_t i = 0; i < n; ++i) {
        if (!d.has_plan[i] || !projects_[i].live) continue;
        ++expected;
        for (int m = 0; m < 12; ++m) reported[m] += (d.reported[i] >> m) & 1u;
      }
    }
  }
  constexpr int64_t kPercent = 100;
  std::optional<int> any_passed;
  for (int m = 12; m >= 1; --m) {
    if (!(rule.today > ReportDeadline(YearMonth{year, m}, rule.deadline_day))) continue;
    if (reported[m - 1] > 0 && reported[m - 1] * kPercent >= rule.threshold_pct * expected) return m;
    if (!any_passed && reported[m - 1] > 0) any_passed = m;
  }
  if (any_passed) return *any_passed;
  return LatestMonth(year).value_or(12);
}

int StatsEngine::DefaultRegionDepth() const {
  if (home_region_) return region_depth_[*home_region_] + 1;
  return 1;
}

std::vector<uint8_t> StatsEngine::RegionMask(const StatsQuery& q) const {
  if (!q.region_id) return {};
  std::vector<uint8_t> mask(regions_.size(), 0);
  auto it = region_index_.find(*q.region_id);
  if (it == region_index_.end()) return mask;  // unknown region: nothing matches
  for (size_t i = 0; i < regions_.size(); ++i) {
    for (int r = static_cast<int>(i); r >= 0; r = region_parent_[r]) {
      if (r == it->second) {
        mask[i] = 1;
        break;
      }
    }
  }
  return mask;
}

bool StatsEngine::Matches(const ProjectMeta& m, const StatsQuery& q, const std::vector<uint8_t>& region_mask) const {
  if (!m.live) return false;
  if (q.unit) {
    auto it = units_.ids.find(*q.unit);
    if (it == units_.ids.end() || it->second != m.unit) return false;
  }
  if (q.owner) {
    auto it = owners_.ids.find(*q.owner);
    if (it == owners_.ids.end() || it->second != m.owner) return false;
  }
  if (!q.levels.empty() && std::find(q.levels.begin(), q.levels.end(), m.level) == q.levels.end()) return false;
  if (q.region_id && (m.region < 0 || !region_mask[m.region])) return false;
  return true;
}

StatsEngine::Grouping StatsEngine::MakeGrouping(GroupBy by, std::optional<int> region_depth) const {
  Grouping g;
  g.by = by;
  if (by == GroupBy::kRegion) {
    const int depth = region_depth.value_or(DefaultRegionDepth());
    g.region_at_depth.resize(regions_.size());
    for (size_t r = 0; r < regions_.size(); ++r) {
      int a = static_cast<int>(r);
      while (region_depth_[a] > depth && region_parent_[a] >= 0) a = region_parent_[a];
      g.region_at_depth[r] = a;
    }
  }
  // Every group key is a dense index, so the groups are plain arrays.
  switch (by) {
    case GroupBy::kNone: g.slots = 1; break;
    case GroupBy::kLevel: g.slots = 4; break;
    case GroupBy::kRegion: g.slots = regions_.size() + 1; break;  // 0: no region
    case GroupBy::kIndustry: g.slots = industries_.names.size(); break;
    case GroupBy::kUnit: g.slots = units_.names.size(); break;
    case GroupBy::kLeader: g.slots = leaders_.names.size(); break;
    case GroupBy::kDemo: g.slots = 2; break;
    case GroupBy::kStatus: g.slots = statuses_.names.size(); break;
    case GroupBy::kProject: g.slots = projects_.size(); break;
  }
  return g;
}

size_t StatsEngine::SlotOf(const Grouping& g, const ProjectMeta& m, size_t idx) const {
  switch (g.by) {
    case GroupBy::kNone: return 0;
    case GroupBy::kLevel: return static_cast<size_t>(m.level);
    case GroupBy::kRegion: return m.region < 0 ? 0 : static_cast<size_t>(g.region_at_depth[m.region]) + 1;
    case GroupBy::kIndustry: return m.industry;
    case GroupBy::kUnit: return m.unit;
    case GroupBy::kLeader: return m.leader;
    case GroupBy::kDemo: return m.demo ? 1 : 0;
    case GroupBy::kStatus: return m.status;
    case GroupBy::kProject: return idx;
  }
  return 0;
}

std::string StatsEngine::SlotKey(const Grouping& g, size_t k, std::string* label) const {
  std::string key;
  switch (g.by) {
    case GroupBy::kNone: key = "合计"; break;
    case GroupBy::kLevel: key = LevelName(static_cast<Level>(k)); break;
    case GroupBy::kRegion: key = k == 0 ? "未指定地区" : regions_[k - 1].name; break;
    case GroupBy::kIndustry: key = industries_.names[k]; break;
    case GroupBy::kUnit: key = units_.names[k]; break;
    case GroupBy::kLeader: key = leaders_.names[k]; break;
    case GroupBy::kDemo: key = k ? "示范项目" : "非示范项目"; break;
    case GroupBy::kStatus: key = statuses_.names[k]; break;
    case GroupBy::kProject:
      key = projects_[k].code;
      if (label) *label = projects_[k].name;
      break;
  }
  if (key.empty()) key = "（未填写）";
  return key;
}

StatsResult StatsEngine::Compute(const StatsQuery& q) const {
  std::shared_lock lock(mu_);
  StatsResult out;
  out.year = q.year;
  out.month = q.month;
  out.schedule = q.schedule;
  out.schedule_pct = SchedulePct(q.schedule, q.year, q.month, q.day);
  out.levels = q.levels;
  out.by = q.by;
  out.total.key = "合计";

  auto yit = years_.find(q.year);
  if (yit == years_.end()) {
    FillRatios(out.total, out.schedule_pct);
    return out;
  }
  const YearData& d = yit->second;
  const std::vector<uint8_t> region_mask = RegionMask(q);
  const Grouping grouping = MakeGrouping(q.by, q.region_depth);
  struct Acc {
    int64_t projects = 0, plan = 0, completed = 0;
  };
  std::vector<Acc> acc(grouping.slots);
  const size_t n = std::min(projects_.size(), d.plan.size());
  const int last = q.month - 1;
  const bool filtered = !q.levels.empty() || q.region_id.has_value() || q.unit || q.owner;
  for (size_t i = 0; i < n; ++i) {
    if (!d.has_plan[i]) continue;
    const ProjectMeta& m = projects_[i];
    if (!m.live || (filtered && !Matches(m, q, region_mask))) continue;
    Acc& a = acc[SlotOf(grouping, m, i)];
    a.projects += 1;
    a.plan += d.plan[i];
    a.completed += d.cumulative[i][last];
    if (d.reported[i] & (1u << last)) out.reported += 1;
  }
  for (const Acc& a : acc) {
    out.total.projects += a.projects;
    out.total.plan.yuan += a.plan;
    out.total.completed.yuan += a.completed;
  }
  FillRatios(out.total, out.schedule_pct);
  if (q.by == GroupBy::kNone) return out;

  for (size_t k = 0; k < acc.size(); ++k) {
    if (acc[k].projects == 0) continue;
    GroupFigures g;
    g.projects = acc[k].projects;
    g.plan.yuan = acc[k].plan;
    g.completed.yuan = acc[k].completed;
    g.key = SlotKey(grouping, k, &g.label);
    FillRatios(g, out.schedule_pct);
    out.groups.push_back(std::move(g));
  }
  std::sort(out.groups.begin(), out.groups.end(), [](const GroupFigures& a, const GroupFigures& b) {
    if (a.completion_pct.has_value() != b.completion_pct.has_value()) return a.completion_pct.has_value();
    if (a.completion_pct && !(*a.completion_pct == *b.completion_pct)) return *b.completion_pct < *a.completion_pct;
    return a.key < b.key;
  });
  // Competition ranking: equal rates share a rank ("1224").
  for (size_t i = 0; i < out.groups.size(); ++i) {
    GroupFigures& g = out.groups[i];
    if (!g.completion_pct) break;
    if (i > 0 && out.groups[i - 1].completion_pct && *out.groups[i - 1].completion_pct == *g.completion_pct) {
      g.rank = out.groups[i - 1].rank;
    } else {
      g.rank = static_cast<int>(i) + 1;
    }
  }
  return out;
}

std::vector<std::optional<GroupFigures>> StatsEngine::ProjectFigures(const std::vector<int64_t>& ids,
                                                                     const StatsQuery& q) const {
  std::shared_lock lock(mu_);
  std::vector<std::optional<GroupFigures>> out(ids.size());
  auto yit = years_.find(q.year);
  if (yit == years_.end()) return out;
  const YearData& d = yit->second;
  const Ratio schedule = SchedulePct(q.schedule, q.year, q.month, q.day);
  for (size_t k = 0; k < ids.size(); ++k) {
    auto it = index_.find(ids[k]);
    if (it == index_.end() || it->second >= d.plan.size() || !d.has_plan[it->second]) continue;
    size_t i = it->second;
    GroupFigures g;
    g.key = projects_[i].code;
    g.projects = 1;
    g.plan.yuan = d.plan[i];
    g.completed.yuan = d.cumulative[i][q.month - 1];
    FillRatios(g, schedule);
    out[k] = std::move(g);
  }
  return out;
}

StatsEngine::MonthlyLine StatsEngine::Line(const StatsQuery& q) const {
  std::shared_lock lock(mu_);
  MonthlyLine line;
  auto yit = years_.find(q.year);
  if (yit == years_.end()) return line;
  const YearData& d = yit->second;
  const std::vector<uint8_t> region_mask = RegionMask(q);
  std::array<int64_t, 12> sums{};
  const size_t n = std::min(projects_.size(), d.plan.size());
  for (size_t i = 0; i < n; ++i) {
    if (!d.has_plan[i] || !Matches(projects_[i], q, region_mask)) continue;
    line.plan.yuan += d.plan[i];
    for (int k = 0; k < 12; ++k) sums[k] += d.monthly[i][k];
  }
  int64_t cum = 0;
  for (int k = 0; k < 12; ++k) {
    cum += sums[k];
    line.cumulative[k] = Money(cum);
  }
  return line;
}

}  // namespace kp::stats
