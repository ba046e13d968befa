#include "stats/warnings.h"

#include <algorithm>
#include <mutex>

#include "stats/stats_engine.h"

namespace kp::stats {
namespace {

constexpr int kPercent = 100;
constexpr int kMaxRuleValue = 3660;

std::string Wan(int64_t yuan) { return FormatWan(Money(yuan)); }

std::string MonthLabel(const YearMonth& m) { return std::to_string(m.year) + "年" + std::to_string(m.month) + "月"; }

}  // namespace

const char* ColourName(Colour c) {
  switch (c) {
    case Colour::kGreen: return "green";
    case Colour::kYellow: return "yellow";
    case Colour::kRed: return "red";
  }
  return "green";
}

const char* ColourLabel(Colour c) {
  switch (c) {
    case Colour::kGreen: return "绿";
    case Colour::kYellow: return "黄";
    case Colour::kRed: return "红";
  }
  return "绿";
}

std::optional<Colour> ParseColour(std::string_view s) {
  for (Colour c : {Colour::kGreen, Colour::kYellow, Colour::kRed}) {
    if (s == ColourName(c) || s == ColourLabel(c)) return c;
  }
  if (s == "绿灯" || s == "绿色") return Colour::kGreen;
  if (s == "黄灯" || s == "黄色") return Colour::kYellow;
  if (s == "红灯" || s == "红色") return Colour::kRed;
  return std::nullopt;
}

const char* NodeStateName(NodeState s) {
  switch (s) {
    case NodeState::kNotDue: return "not_due";
    case NodeState::kDueSoon: return "due_soon";
    case NodeState::kOverdue: return "overdue";
    case NodeState::kDoneOnTime: return "done_on_time";
    case NodeState::kDoneLate: return "done_late";
  }
  return "not_due";
}

const char* NodeStateLabel(NodeState s) {
  switch (s) {
    case NodeState::kNotDue: return "未到期";
    case NodeState::kDueSoon: return "临期";
    case NodeState::kOverdue: return "逾期";
    case NodeState::kDoneOnTime: return "按期完成";
    case NodeState::kDoneLate: return "逾期完成";
  }
  return "未到期";
}

NodeStatus DeriveNodeState(const std::optional<Date>& planned, const std::optional<Date>& actual, const Date& as_of,
                           int window_days, int red_days) {
  NodeStatus out;
  const int32_t a = DayNumber(as_of);
  if (actual && DayNumber(*actual) <= a) {
    if (!planned || DayNumber(*actual) <= DayNumber(*planned)) {
      out.state = NodeState::kDoneOnTime;
      out.days = 0;
    } else {
      out.state = NodeState::kDoneLate;
      out.days = DayNumber(*actual) - DayNumber(*planned);
    }
    return out;
  }
  if (!planned) return out;
  const int32_t p = DayNumber(*planned);
  if (p < a) {
    out.state = NodeState::kOverdue;
    out.days = a - p;
    out.colour = *out.days > red_days ? Colour::kRed : Colour::kYellow;
    return out;
  }
  out.days = p - a;
  out.state = *out.days <= window_days ? NodeState::kDueSoon : NodeState::kNotDue;
  return out;
}

Status ValidateWarningRules(const WarningRules& r) {
  auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  if (!in(r.invest_yellow_points, 0, kPercent)) {
    return InvalidArgument("投资预警黄灯阈值应为 0-100 个百分点 (invest_yellow_points out of range)", "invest_yellow_points");
  }
  if (!in(r.invest_red_points, r.invest_yellow_points, kPercent)) {
    return InvalidArgument("投资预警红灯阈值应不小于黄灯阈值且不大于 100 (invest_red_points out of range)", "invest_red_points");
  }
  if (!in(r.start_red_months, 1, 24)) return InvalidArgument("开工预警红灯月数应为 1-24 (start_red_months)", "start_red_months");
  if (!in(r.node_red_days, 1, kMaxRuleValue)) return InvalidArgument("节点预警红灯天数应为 1-3660 (node_red_days)", "node_red_days");
  if (!in(r.report_red_months, 2, 12)) return InvalidArgument("月报预警红灯月数应为 2-12 (report_red_months)", "report_red_months");
  if (!in(r.window_days, 0, 365)) return InvalidArgument("临期提醒天数应为 0-365 (window_days)", "window_days");
  return Status::Ok();
}

const char* WarningRuleName(WarningRule r) {
  switch (r) {
    case WarningRule::kInvestment: return "investment";
    case WarningRule::kStart: return "start";
    case WarningRule::kNode: return "node";
    case WarningRule::kReport: return "report";
  }
  return "investment";
}

const char* WarningRuleLabel(WarningRule r) {
  switch (r) {
    case WarningRule::kInvestment: return "投资进度";
    case WarningRule::kStart: return "开工";
    case WarningRule::kNode: return "节点";
    case WarningRule::kReport: return "月报";
  }
  return "投资进度";
}

WarningEvaluator::WarningEvaluator(const Date& as_of, const WarningRules& rules)
    : as_of_(as_of), day_(DayNumber(as_of)), rules_(rules),
      schedule_pct_(SchedulePct(rules.schedule, as_of.year, as_of.month, as_of.day)) {
  for (int m = 12; m >= 1; --m) {
    if (ReportDeadline(YearMonth{as_of.year, m}, rules.deadline_day) <= as_of) due_months_.push_back(m);
  }
}

std::optional<Ratio> WarningEvaluator::Behind(const ProjectFacts& p) const {
  if (!p.has_plan || p.plan <= 0) return std::nullopt;
  Ratio pct = Ratio::Of(static_cast<__int128>(p.completed) * kPercent, p.plan);
  return schedule_pct_ - pct;
}

Colour WarningEvaluator::InvestColour(const Ratio& behind) const {
  if (Ratio::Of(rules_.invest_red_points, 1) < behind) return Colour::kRed;
  if (!(behind < Ratio::Of(rules_.invest_yellow_points, 1))) return Colour::kYellow;
  return Colour::kGreen;
}

bool WarningEvaluator::Started(const ProjectFacts& p) const {
  if (p.start_node >= 0) {
    const int32_t actual = p.nodes[p.start_node].actual;
    return actual != kNoDay && actual <= day_;
  }
  return !p.preparing;
}

int WarningEvaluator::MonthsLate(const ProjectFacts& p) const {
  Date s = FromDayNumber(p.planned_start);
  return (as_of_.year * 12 + as_of_.month) - (s.year * 12 + s.month);
}

int WarningEvaluator::MissingLatest(const ProjectFacts& p) const {
  int n = 0;
  for (int m : due_months_) {
    if (p.reported & (1u << (m - 1))) break;
    ++n;
  }
  return n;
}

Colour WarningEvaluator::ColourOf(const ProjectFacts& p) const {
  Colour c = Colour::kGreen;
  auto worse = [&](Colour x) { c = std::max(c, x); };
  if (auto behind = Behind(p)) worse(InvestColour(*behind));
  if (c == Colour::kRed) return c;
  if (!p.suspended) {
    if (p.planned_start != kNoDay && p.planned_start <= day_ && !Started(p)) {
      worse(MonthsLate(p) >= rules_.start_red_months ? Colour::kRed : Colour::kYellow);
    }
    for (size_t i = 0; i < p.node_count && c != Colour::kRed; ++i) {
      const NodeFacts& n = p.nodes[i];
      if (n.planned == kNoDay || n.planned >= day_) continue;
      if (n.actual != kNoDay && n.actual <= day_) continue;
      worse(day_ - n.planned > rules_.node_red_days ? Colour::kRed : Colour::kYellow);
    }
  }
  if (p.has_plan && !due_months_.empty()) {
    int missing = MissingLatest(p);
    if (missing >= rules_.report_red_months) worse(Colour::kRed);
    else if (missing >= 1) worse(Colour::kYellow);
  }
  return c;
}

std::vector<Warning> WarningEvaluator::WarningsOf(const ProjectFacts& p, const std::vector<std::string>& texts) const {
  std::vector<Warning> out;
  auto text = [&](uint32_t id) -> const std::string& {
    static const std::string kEmpty;
    return id < texts.size() ? texts[id] : kEmpty;
  };
  auto base = [&](WarningRule r, Colour c) {
    Warning w;
    w.rule = r;
    w.colour = c;
    w.unit = text(p.unit);
    w.person = text(p.person);
    return w;
  };
  if (auto behind = Behind(p)) {
    Colour c = InvestColour(*behind);
    if (c != Colour::kGreen) {
      Warning w = base(WarningRule::kInvestment, c);
      w.plan = Money(p.plan);
      w.completed = Money(p.completed);
      w.completion_pct = Ratio::Of(static_cast<__int128>(p.completed) * kPercent, p.plan);
      w.schedule_pct = schedule_pct_;
      w.behind_points = *behind;
      w.detail = "完成投资" + Wan(p.completed) + "万元，占年度计划" + Wan(p.plan) + "万元的" + w.completion_pct->Format(1) +
                 "%，低于时序进度（" + schedule_pct_.Format(1) + "%）" + behind->Format(1) + "个百分点";
      out.push_back(std::move(w));
    }
  }
  if (!p.suspended) {
    if (p.planned_start != kNoDay && p.planned_start <= day_ && !Started(p)) {
      int late = MonthsLate(p);
      Warning w = base(WarningRule::kStart, late >= rules_.start_red_months ? Colour::kRed : Colour::kYellow);
      w.planned_start = FromDayNumber(p.planned_start);
      w.months_late = late;
      w.detail = "计划" + w.planned_start->ToString() + "开工，截至" + as_of_.ToString() + "未开工" +
                 (late > 0 ? "，滞后" + std::to_string(late) + "个月" : "");
      out.push_back(std::move(w));
    }
    for (size_t i = 0; i < p.node_count; ++i) {
      const NodeFacts& n = p.nodes[i];
      if (n.planned == kNoDay || n.planned >= day_) continue;
      if (n.actual != kNoDay && n.actual <= day_) continue;
      int32_t days = day_ - n.planned;
      Warning w = base(WarningRule::kNode, days > rules_.node_red_days ? Colour::kRed : Colour::kYellow);
      w.node = text(n.name);
      if (n.unit || n.person) {
        if (!text(n.unit).empty()) w.unit = text(n.unit);
        if (!text(n.person).empty()) w.person = text(n.person);
      }
      w.node_planned = FromDayNumber(n.planned);
      w.days_overdue = days;
      w.detail = "节点「" + w.node + "」计划" + w.node_planned->ToString() + "完成，逾期" + std::to_string(days) + "天";
      out.push_back(std::move(w));
    }
  }
  if (p.has_plan && !due_months_.empty()) {
    int missing = MissingLatest(p);
    if (missing >= 1) {
      Warning w = base(WarningRule::kReport, missing >= rules_.report_red_months ? Colour::kRed : Colour::kYellow);
      std::string months;
      for (int k = missing - 1; k >= 0; --k) {
        YearMonth ym{as_of_.year, due_months_[k]};
        w.missing.push_back(ym);
        months += (months.empty() ? "" : "、") + MonthLabel(ym);
      }
      w.detail = months + "月报未报（截止日已过）";
      out.push_back(std::move(w));
    }
  }
  return out;
}

Colour WorstColour(const std::vector<Warning>& ws) {
  Colour c = Colour::kGreen;
  for (const Warning& w : ws) c = std::max(c, w.colour);
  return c;
}

}  // namespace kp::stats

namespace kp::stats {

ProjectFacts StatsEngine::FactsOf(size_t i, const YearData* d, int month) const {
  const ProjectMeta& m = projects_[i];
  ProjectFacts f;
  f.suspended = m.suspended;
  f.preparing = m.preparing;
  f.planned_start = m.planned_start;
  f.start_node = start_node_[i];
  f.unit = m.unit_text;
  f.person = m.person_text;
  if (d && i < d->plan.size() && d->has_plan[i]) {
    f.has_plan = true;
    f.plan = d->plan[i];
    f.completed = d->cumulative[i][month - 1];
    f.reported = d->reported[i];
  }
  f.nodes = nodes_[i].data();
  f.node_count = nodes_[i].size();
  return f;
}

StatsEngine::WarningScope StatsEngine::ScopeOf(const WarningQuery& q) const {
  WarningScope s;
  s.scope.levels = q.levels;
  s.scope.region_id = q.region_id;
  s.scope.unit = q.unit;
  s.scope.owner = q.owner;
  s.region_mask = RegionMask(s.scope);
  s.demo = q.demo;
  if (q.leader) {
    auto it = leaders_.ids.find(*q.leader);
    if (it == leaders_.ids.end()) s.none = true;
    else s.leader = it->second;
  }
  return s;
}

bool StatsEngine::InScope(const WarningScope& s, const ProjectMeta& m) const {
  return Matches(m, s.scope, s.region_mask) && (!s.leader || m.leader == *s.leader) && (!s.demo || m.demo == *s.demo);
}

WarningResult StatsEngine::Warnings(const WarningQuery& q, const WarningRules& rules) const {
  const WarningEvaluator eval(q.as_of, rules);
  std::shared_lock lock(mu_);
  WarningResult out;
  out.as_of = q.as_of;
  out.rules = rules;
  out.schedule_pct = eval.schedule_pct();
  out.levels = q.levels;
  out.by = q.by;
  auto yit = years_.find(q.as_of.year);
  if (yit == years_.end()) return out;
  const YearData& d = yit->second;
  const WarningScope scope = ScopeOf(q);
  if (scope.none) return out;
  const Grouping grouping = MakeGrouping(q.by, q.region_depth);
  std::vector<std::array<int64_t, 3>> slots(grouping.slots);
  const size_t n = std::min(projects_.size(), d.plan.size());
  for (size_t i = 0; i < n; ++i) {
    if (!d.has_plan[i]) continue;
    const ProjectMeta& m = projects_[i];
    if (!InScope(scope, m)) continue;
    const ProjectFacts facts = FactsOf(i, &d, q.as_of.month);
    const Colour c = eval.ColourOf(facts);
    const auto k = static_cast<size_t>(c);
    out.counts[k] += 1;
    slots[SlotOf(grouping, m, i)][k] += 1;
    if (!q.list_projects || (q.colour && *q.colour != c)) continue;
    ProjectColour pc;
    pc.id = m.id;
    pc.code = m.code;
    pc.name = m.name;
    pc.level = m.level;
    pc.region = m.region < 0 ? "" : regions_[m.region].name;
    pc.unit = units_.names[m.unit];
    pc.person = texts_.names[m.person_text];
    pc.leader = leaders_.names[m.leader];
    pc.colour = c;
    if (c != Colour::kGreen) pc.warnings = eval.WarningsOf(facts, texts_.names);
    out.projects.push_back(std::move(pc));
  }
  std::sort(out.projects.begin(), out.projects.end(), [](const ProjectColour& a, const ProjectColour& b) {
    if (a.colour != b.colour) return a.colour > b.colour;
    return a.code < b.code;
  });
  if (q.by != GroupBy::kNone) {
    for (size_t k = 0; k < slots.size(); ++k) {
      if (slots[k][0] + slots[k][1] + slots[k][2] == 0) continue;
      out.groups.push_back(ColourCounts{SlotKey(grouping, k, nullptr), slots[k]});
    }
    // Levels in their order (省, 市, 县); other groupings by name.
    if (q.by != GroupBy::kLevel) {
      std::sort(out.groups.begin(), out.groups.end(),
                [](const ColourCounts& a, const ColourCounts& b) { return a.key < b.key; });
    }
  }
  return out;
}

std::vector<int64_t> StatsEngine::IdsOfColour(const WarningQuery& q, Colour colour, const WarningRules& rules) const {
  const WarningEvaluator eval(q.as_of, rules);
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  auto yit = years_.find(q.as_of.year);
  if (yit == years_.end()) return out;
  const YearData& d = yit->second;
  const WarningScope scope = ScopeOf(q);
  if (scope.none) return out;
  const size_t n = std::min(projects_.size(), d.plan.size());
  for (size_t i = 0; i < n; ++i) {
    if (!d.has_plan[i] || !projects_[i].live) continue;
    const ProjectMeta& m = projects_[i];
    if (!InScope(scope, m)) continue;
    if (eval.ColourOf(FactsOf(i, &d, q.as_of.month)) == colour) out.push_back(m.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::optional<Colour>> StatsEngine::ColoursOf(const std::vector<int64_t>& ids, const WarningQuery& q,
                                                         const WarningRules& rules) const {
  const Date& as_of = q.as_of;
  const WarningEvaluator eval(as_of, rules);
  std::shared_lock lock(mu_);
  StatsQuery scope;
  scope.levels = q.levels;
  scope.region_id = q.region_id;
  scope.unit = q.unit;
  scope.owner = q.owner;
  const std::vector<uint8_t> region_mask = RegionMask(scope);
  std::vector<std::optional<Colour>> out(ids.size());
  auto yit = years_.find(as_of.year);
  if (yit == years_.end()) return out;
  const YearData& d = yit->second;
  for (size_t k = 0; k < ids.size(); ++k) {
    auto it = index_.find(ids[k]);
    if (it == index_.end() || it->second >= d.plan.size() || !d.has_plan[it->second] ||
        !Matches(projects_[it->second], scope, region_mask)) {
      continue;
    }
    out[k] = eval.ColourOf(FactsOf(it->second, &d, as_of.month));
  }
  return out;
}

std::vector<int64_t> StatsEngine::IdsOfLeader(const std::string& leader) const {
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  auto it = leaders_.ids.find(leader);
  if (leader.empty() || it == leaders_.ids.end()) return out;
  for (const ProjectMeta& m : projects_) {
    if (m.live && m.leader == it->second) out.push_back(m.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::optional<StatsEngine::NextNode>> StatsEngine::NextNodes(const std::vector<int64_t>& ids,
                                                                        const Date& as_of) const {
  const int32_t day = DayNumber(as_of);
  std::shared_lock lock(mu_);
  std::vector<std::optional<NextNode>> out(ids.size());
  for (size_t k = 0; k < ids.size(); ++k) {
    auto it = index_.find(ids[k]);
    if (it == index_.end() || !projects_[it->second].live || it->second >= nodes_.size()) continue;
    const NodeFacts* best = nullptr;
    for (const NodeFacts& n : nodes_[it->second]) {
      if (n.planned == kNoDay || n.planned < day || (n.actual != kNoDay && n.actual <= day)) continue;
      if (!best || n.planned < best->planned) best = &n;
    }
    if (best) out[k] = NextNode{texts_.names[best->name], FromDayNumber(best->planned)};
  }
  return out;
}

}  // namespace kp::stats
