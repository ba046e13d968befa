#include "stats/assessment.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "stats/rule_json.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

constexpr size_t kMaxItems = 20;
constexpr size_t kMaxAdjustments = 5'000;
constexpr size_t kMaxNameBytes = 100;
constexpr size_t kMaxReasonBytes = 1'000;
constexpr AssessMeasure kMeasures[] = {AssessMeasure::kCompletion, AssessMeasure::kStarts,   AssessMeasure::kNodes,
                                       AssessMeasure::kProblems,   AssessMeasure::kReports, AssessMeasure::kManual, AssessMeasure::kTour};

Ratio R(int64_t n, int64_t d = 1) { return Ratio::Of(n, d); }
Ratio Add(const Ratio& a, const Ratio& b) { return Ratio::Of(a.num * b.den + b.num * a.den, a.den * b.den); }
Ratio Mul(const Ratio& a, const Ratio& b) { return Ratio::Of(a.num * b.num, a.den * b.den); }
Ratio Clamp(const Ratio& v, const Ratio& lo, const Ratio& hi) { return v < lo ? lo : (hi < v ? hi : v); }
// Points as people read them: two decimals, exact rounding.
std::string Pts(const Ratio& r) { return r.Format(2); }
std::string Signed(const Ratio& r) {
  std::string s = Pts(r);
  return s[0] == '-' ? s : "+" + s;
}

std::optional<AssessMeasure> ParseMeasure(std::string_view s) {
  for (AssessMeasure m : kMeasures) {
    if (s == AssessMeasureName(m)) return m;
  }
  return std::nullopt;
}

ItemScore ScoreCompletion(const AssessmentItem& it, const AssessmentMeasures& m, const Ratio& schedule_pct) {
  ItemScore s{it.name, it.measure, R(0), ""};
  if (!m.completion_pct) {
    s.basis = "无年度计划，不得分";
    return s;
  }
  // Against the time-schedule target: 100 means exactly on schedule (at year end the completion rate itself).
  const Ratio p = schedule_pct.num == 0 ? *m.completion_pct : Mul(*m.completion_pct / schedule_pct, R(100));
  const Ratio d = p - R(100);
  Ratio change;
  if (d < R(0)) {
    change = Mul(d, it.below);
  } else if (p < it.beyond_from || p == it.beyond_from) {
    change = Mul(d, it.above);
  } else {
    change = Add(Mul(it.beyond_from - R(100), it.above), Mul(p - it.beyond_from, it.beyond));
  }
  change = Clamp(change, R(0) - it.cap, it.cap);
  Ratio bonus;
  if (m.completion_rank) {
    for (const RankBonus& b : it.rank_bonus) {
      if (*m.completion_rank <= b.to_rank) {
        bonus = b.points;
        break;
      }
    }
  }
  const Ratio raw = Add(Add(it.base, change), bonus);
  s.points = Clamp(raw, R(0), it.max);
  s.basis = "完成率" + m.completion_pct->Format(2) + "%，为时序进度的" + p.Format(2) + "%：" + Pts(it.base) + Signed(change);
  if (m.completion_rank) {
    s.basis += "，排名第" + std::to_string(*m.completion_rank) + (bonus.num ? Signed(bonus) : std::string("，无名次加分"));
  }
  if (!(s.points == raw)) s.basis += "，限" + Pts(s.points) + "分";
  return s;
}

ItemScore ScoreStarts(const AssessmentItem& it, const AssessmentMeasures& m) {
  const ExecutionFigures& e = m.execution;
  ItemScore s{it.name, it.measure, R(0), ""};
  const int64_t late = e.starts_due - e.started;
  Ratio raw = Add(it.base, Mul(it.per_start, R(std::min<int64_t>(e.started, it.start_limit))));
  bool rate_met = false;
  if (e.starts_due > 0) {
    const Ratio rate = R(e.started * 100, e.starts_due);
    const Ratio& need = e.starts_due <= it.small_max ? it.small_pct : it.large_pct;
    rate_met = !(rate < need);
    if (rate_met) raw = Add(raw, it.rate_bonus);
    s.basis = "应开工" + std::to_string(e.starts_due) + "个，已开工" + std::to_string(e.started) + "个，开工率" +
              rate.Format(2) + "%" + (rate_met ? "（达" + DecimalText(need) + "%）" : "（未达" + DecimalText(need) + "%）");
  } else {
    s.basis = "无应开工项目";
  }
  raw = raw - Mul(it.late_penalty, R(late));
  s.points = Clamp(raw, R(0), it.max);
  s.basis += "：" + Pts(it.base) + Signed(Mul(it.per_start, R(std::min<int64_t>(e.started, it.start_limit)))) +
             (rate_met ? Signed(it.rate_bonus) : "") + (late > 0 ? Signed(R(0) - Mul(it.late_penalty, R(late))) : "");
  if (!(s.points == raw)) s.basis += "，限" + Pts(s.points) + "分";
  return s;
}

ItemScore ScoreShare(const AssessmentItem& it, int64_t done, int64_t due, const char* due_word, const char* done_word) {
  ItemScore s{it.name, it.measure, it.max, ""};
  if (due <= 0) {
    s.basis = std::string("无") + due_word + "，得满分";
    return s;
  }
  s.points = Mul(it.max, R(done, due));
  s.basis = std::string(due_word) + std::to_string(due) + "，" + done_word + std::to_string(done) + "，比例" +
            R(done * 100, due).Format(2) + "%";
  return s;
}

ItemScore ScoreManual(const AssessmentItem& it, const std::vector<AssessmentAdjustment>& adjustments,
                      const std::string& by, const std::string& key, int year, int month) {
  ItemScore s{it.name, it.measure, R(0), ""};
  Ratio raw;
  for (const AssessmentAdjustment& a : adjustments) {
    if (a.item != it.name || a.by != by || a.key != key || a.year != year || (a.month && *a.month != month)) continue;
    raw = Add(raw, a.points);
    s.basis += (s.basis.empty() ? "" : "；") + a.reason + Signed(a.points);
  }
  s.points = Clamp(raw, R(0) - it.max, it.max);
  if (s.basis.empty()) s.basis = "无";
  if (!(s.points == raw)) s.basis += "，限" + Signed(s.points) + "分";
  return s;
}

ItemScore ScoreTour(const AssessmentItem& it, const TourPeriodFigures* tours, const std::string& key) {
  ItemScore s{it.name, it.measure, R(0), ""};
  if (!tours || tours->tours.empty()) {
    s.basis = "本期无已结束的拉练，本项不计分";
    return s;
  }
  auto f = tours->by_key.find(key);
  if (f == tours->by_key.end()) {
    std::string names;
    for (const auto& n : tours->tours) names += (names.empty() ? "「" : "、「") + n + "」";
    s.basis = "本期拉练" + names + "未到本单位项目，不得分";
    return s;
  }
  const Ratio raw = Mul(f->second.score / R(100), it.max);
  s.points = Clamp(raw, R(0), it.max);
  std::string parts;
  for (const auto& p : f->second.parts) parts += (parts.empty() ? "" : "、") + p;
  s.basis = "拉练得分" + parts + (f->second.parts.size() > 1 ? "，平均" + Pts(f->second.score) : std::string()) + "：" +
            Pts(f->second.score) + "÷100×" + DecimalText(it.max) + "=" + Pts(s.points);
  return s;
}

boost::json::object ItemToJson(const AssessmentItem& it) {
  boost::json::object o;
  o["name"] = it.name;
  o["measure"] = AssessMeasureName(it.measure);
  o["max"] = DecimalText(it.max);
  switch (it.measure) {
    case AssessMeasure::kCompletion: {
      o["base"] = DecimalText(it.base);
      o["below"] = DecimalText(it.below);
      o["above"] = DecimalText(it.above);
      o["beyond_from"] = DecimalText(it.beyond_from);
      o["beyond"] = DecimalText(it.beyond);
      o["cap"] = DecimalText(it.cap);
      boost::json::array bonus;
      for (const RankBonus& b : it.rank_bonus) {
        bonus.emplace_back(boost::json::object{{"to_rank", b.to_rank}, {"points", DecimalText(b.points)}});
      }
      o["rank_bonus"] = std::move(bonus);
      break;
    }
    case AssessMeasure::kStarts:
      o["base"] = DecimalText(it.base);
      o["per_start"] = DecimalText(it.per_start);
      o["start_limit"] = it.start_limit;
      o["rate_bonus"] = DecimalText(it.rate_bonus);
      o["small_max"] = it.small_max;
      o["small_pct"] = DecimalText(it.small_pct);
      o["large_pct"] = DecimalText(it.large_pct);
      o["late_penalty"] = DecimalText(it.late_penalty);
      break;
    default: break;
  }
  return o;
}

Result<AssessmentItem> ParseItem(const boost::json::object& o, const std::string& field) {
  AssessmentItem it;
  auto name = ReadText(o, "name", field + ".name", kMaxNameBytes, true);
  if (!name.ok()) return name.status();
  it.name = *name;
  auto measure = ReadText(o, "measure", field + ".measure", 20, true);
  if (!measure.ok()) return measure.status();
  auto m = ParseMeasure(*measure);
  if (!m) {
    return InvalidArgument(field + ".measure 应为 completion/starts/nodes/problems/reports/manual/tour 之一 (unknown measure)",
                           field + ".measure");
  }
  it.measure = *m;
  auto dec = [&](const char* key, Ratio& into, bool negative = false) -> Status {
    auto r = ReadDecimal(o, key, field + "." + key, into, negative);
    if (!r.ok()) return r.status();
    into = *r;
    return Status::Ok();
  };
  it.max = R(-1);
  if (Status st = dec("max", it.max); !st.ok()) return st;
  if (it.max < R(0)) return InvalidArgument(field + ".max 不能为空：本项满分 (the item's full points)", field + ".max");
  if (it.measure == AssessMeasure::kCompletion) {
    for (auto [key, into] : {std::pair{"base", &it.base}, std::pair{"below", &it.below}, std::pair{"above", &it.above},
                             std::pair{"beyond_from", &it.beyond_from}, std::pair{"beyond", &it.beyond},
                             std::pair{"cap", &it.cap}}) {
      if (Status st = dec(key, *into); !st.ok()) return st;
    }
    if (it.beyond_from < R(100)) return InvalidArgument(field + ".beyond_from 不能低于 100 (at least 100)", field + ".beyond_from");
    if (const boost::json::value* bs = o.if_contains("rank_bonus"); bs && !bs->is_null()) {
      if (!bs->is_array() || bs->as_array().size() > 20) {
        return InvalidArgument(field + ".rank_bonus 应为最多 20 档的列表 (a list)", field + ".rank_bonus");
      }
      int last = 0;
      for (size_t k = 0; k < bs->as_array().size(); ++k) {
        const std::string bf = field + ".rank_bonus[" + std::to_string(k) + "]";
        if (!bs->as_array()[k].is_object()) return InvalidArgument(bf + " 应为对象 (an object)", bf);
        const auto& bo = bs->as_array()[k].as_object();
        RankBonus b;
        auto to = ReadInt(bo, "to_rank", bf + ".to_rank", 0, 1, 10'000);
        if (!to.ok()) return to.status();
        if (*to <= last) return InvalidArgument(bf + ".to_rank 应大于上一档 (ranks ascending)", bf + ".to_rank");
        b.to_rank = last = *to;
        auto pts = ReadDecimal(bo, "points", bf + ".points", R(0));
        if (!pts.ok()) return pts.status();
        b.points = *pts;
        it.rank_bonus.push_back(b);
      }
    }
  } else if (it.measure == AssessMeasure::kStarts) {
    for (auto [key, into] : {std::pair{"base", &it.base}, std::pair{"per_start", &it.per_start},
                             std::pair{"rate_bonus", &it.rate_bonus}, std::pair{"small_pct", &it.small_pct},
                             std::pair{"large_pct", &it.large_pct}, std::pair{"late_penalty", &it.late_penalty}}) {
      if (Status st = dec(key, *into); !st.ok()) return st;
    }
    auto limit = ReadInt(o, "start_limit", field + ".start_limit", it.start_limit, 0, 10'000);
    if (!limit.ok()) return limit.status();
    it.start_limit = *limit;
    auto small = ReadInt(o, "small_max", field + ".small_max", it.small_max, 0, 10'000);
    if (!small.ok()) return small.status();
    it.small_max = *small;
  }
  return it;
}

}  // namespace

const char* AssessMeasureName(AssessMeasure m) {
  switch (m) {
    case AssessMeasure::kCompletion: return "completion";
    case AssessMeasure::kStarts: return "starts";
    case AssessMeasure::kNodes: return "nodes";
    case AssessMeasure::kProblems: return "problems";
    case AssessMeasure::kReports: return "reports";
    case AssessMeasure::kManual: return "manual";
    case AssessMeasure::kTour: return "tour";
  }
  return "manual";
}

const char* AssessMeasureLabel(AssessMeasure m) {
  switch (m) {
    case AssessMeasure::kCompletion: return "计划完成";
    case AssessMeasure::kStarts: return "项目开工";
    case AssessMeasure::kNodes: return "节点按期";
    case AssessMeasure::kProblems: return "问题销号";
    case AssessMeasure::kReports: return "按时填报";
    case AssessMeasure::kManual: return "加减分";
    case AssessMeasure::kTour: return "拉练评比";
  }
  return "加减分";
}

AssessmentScheme DefaultAssessmentScheme() {
  AssessmentScheme s;
  AssessmentItem completion;
  completion.name = "计划完成";
  completion.measure = AssessMeasure::kCompletion;
  completion.max = R(40);
  completion.base = R(25);
  completion.below = R(1, 10);
  completion.above = R(2, 10);
  completion.beyond = R(1, 10);
  completion.cap = R(10);
  completion.rank_bonus = {{3, R(7)}, {6, R(5)}, {10, R(3)}};
  AssessmentItem starts;
  starts.name = "项目开工";
  starts.measure = AssessMeasure::kStarts;
  starts.max = R(25);
  starts.base = R(10);
  starts.per_start = R(1);
  starts.rate_bonus = R(5);
  starts.late_penalty = R(3);
  s.items = {completion, starts};
  for (AssessMeasure m : {AssessMeasure::kNodes, AssessMeasure::kProblems, AssessMeasure::kReports}) {
    AssessmentItem it;
    it.name = AssessMeasureLabel(m);
    it.measure = m;
    it.max = R(5);
    s.items.push_back(it);
  }
  AssessmentItem manual;
  manual.name = "加减分";
  manual.measure = AssessMeasure::kManual;
  manual.max = R(10);
  s.items.push_back(manual);
  return s;
}

AssessmentResult BuildAssessment(const AssessmentScheme& scheme, const StatsResult& stats,
                                 const ExecutionResult& execution, const ProblemStats& problems,
                                 const std::string& period, const TourPeriodFigures* tours) {
  AssessmentResult r;
  r.year = stats.year;
  r.month = stats.month;
  r.period = period;
  r.by = stats.by;
  r.schedule_pct = stats.schedule_pct;
  r.scheme = scheme.name;
  r.items = scheme.items;
  std::map<std::string, const ExecutionFigures*> exec;
  for (const ExecutionFigures& e : execution.groups) exec[e.key] = &e;
  std::map<std::string, const ProblemFigures*> probs;
  for (const ProblemFigures& p : problems.groups) probs[p.key] = &p;
  const std::string by = GroupByName(stats.by);
  for (const GroupFigures& g : stats.groups) {
    UnitScore u;
    u.key = g.key;
    u.measures.completion_pct = g.completion_pct;
    u.measures.completion_rank = g.rank;
    if (auto it = exec.find(g.key); it != exec.end()) u.measures.execution = *it->second;
    if (auto it = probs.find(g.key); it != probs.end()) {
      u.measures.problems_raised = it->second->raised;
      u.measures.problems_closed = it->second->closed;
    }
    const ExecutionFigures& e = u.measures.execution;
    for (const AssessmentItem& item : scheme.items) {
      ItemScore s;
      switch (item.measure) {
        case AssessMeasure::kCompletion: s = ScoreCompletion(item, u.measures, stats.schedule_pct); break;
        case AssessMeasure::kStarts: s = ScoreStarts(item, u.measures); break;
        case AssessMeasure::kNodes: s = ScoreShare(item, e.nodes_on_time, e.nodes_due, "应完成节点", "按期完成"); break;
        case AssessMeasure::kProblems:
          s = ScoreShare(item, u.measures.problems_closed, u.measures.problems_raised, "问题", "已销号");
          break;
        case AssessMeasure::kReports: s = ScoreShare(item, e.reports_in, e.reports_due, "应报月报", "已报"); break;
        case AssessMeasure::kManual: s = ScoreManual(item, scheme.adjustments, by, g.key, r.year, r.month); break;
        case AssessMeasure::kTour: s = ScoreTour(item, tours, g.key); break;
      }
      u.total = Add(u.total, s.points);
      u.items.push_back(std::move(s));
    }
    r.scores.push_back(std::move(u));
  }
  std::sort(r.scores.begin(), r.scores.end(), [](const UnitScore& a, const UnitScore& b) {
    if (!(a.total == b.total)) return b.total < a.total;
    return a.key < b.key;
  });
  for (size_t i = 0; i < r.scores.size(); ++i) {
    r.scores[i].rank = i > 0 && r.scores[i].total == r.scores[i - 1].total ? r.scores[i - 1].rank : static_cast<int>(i + 1);
  }
  return r;
}

Result<AssessmentPeriod> ParseAssessmentPeriod(const std::string& quarter, const std::string& period,
                                               const std::string& month) {
  AssessmentPeriod p;
  if (!period.empty() && period != "month" && period != "quarter" && period != "year") {
    return InvalidArgument("period 应为 month、quarter 或 year (bad period)", "period");
  }
  if (!quarter.empty()) {
    if (quarter.size() != 1 || quarter[0] < '1' || quarter[0] > '4') return InvalidArgument("quarter 应为 1-4 (bad quarter)", "quarter");
    if (period == "month" || period == "year") return InvalidArgument("quarter 只用于季度考核 (quarter with period=" + period + ")", "quarter");
    if (!month.empty()) return InvalidArgument("month 与 quarter 只能给一个 (month or quarter, not both)", "month");
    p.name = "quarter";
    p.month = (quarter[0] - '0') * 3;
    return p;
  }
  if (period == "quarter") return InvalidArgument("季度考核须给出 quarter 1-4 (quarter is required)", "quarter");
  if (period == "year") {
    if (!month.empty()) return InvalidArgument("年度考核不用 month (month with period=year)", "month");
    p.name = "year";
    p.month = 12;
  }
  return p;
}

Result<AssessmentScheme> ParseAssessmentScheme(const boost::json::object& o) {
  AssessmentScheme s;
  auto name = ReadText(o, "name", "name", kMaxNameBytes, false);
  if (!name.ok()) return name.status();
  if (!name->empty()) s.name = *name;
  const boost::json::value* items = o.if_contains("items");
  if (!items || !items->is_array() || items->as_array().empty() || items->as_array().size() > kMaxItems) {
    return InvalidArgument("items 应为 1-20 个考核项目 (1 to 20 items)", "items");
  }
  std::set<std::string> names, manual;
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    const std::string field = "items[" + std::to_string(i) + "]";
    if (!items->as_array()[i].is_object()) return InvalidArgument(field + " 应为对象 (an object)", field);
    auto it = ParseItem(items->as_array()[i].as_object(), field);
    if (!it.ok()) return it.status();
    if (!names.insert(it->name).second) return InvalidArgument("考核项目「" + it->name + "」重复 (duplicate item)", field + ".name");
    if (it->measure == AssessMeasure::kManual) manual.insert(it->name);
    s.items.push_back(std::move(*it));
  }
  if (const boost::json::value* as = o.if_contains("adjustments"); as && !as->is_null()) {
    if (!as->is_array() || as->as_array().size() > kMaxAdjustments) {
      return InvalidArgument("adjustments 应为列表（最多 5000 条）(a list)", "adjustments");
    }
    for (size_t i = 0; i < as->as_array().size(); ++i) {
      const std::string field = "adjustments[" + std::to_string(i) + "]";
      if (!as->as_array()[i].is_object()) return InvalidArgument(field + " 应为对象 (an object)", field);
      const auto& ao = as->as_array()[i].as_object();
      AssessmentAdjustment a;
      auto by = ReadText(ao, "by", field + ".by", 20, true);
      if (!by.ok()) return by.status();
      if (*by != "region" && *by != "unit") return InvalidArgument(field + ".by 应为 region 或 unit", field + ".by");
      a.by = *by;
      auto key = ReadText(ao, "key", field + ".key", kMaxNameBytes * 2, true);
      if (!key.ok()) return key.status();
      a.key = *key;
      auto year = ReadInt(ao, "year", field + ".year", 0, 1990, 2100);
      if (!year.ok()) return year.status();
      a.year = *year;
      if (const boost::json::value* m = ao.if_contains("month"); m && !m->is_null()) {
        auto month = ReadInt(ao, "month", field + ".month", 0, 1, 12);
        if (!month.ok()) return month.status();
        a.month = *month;
      }
      auto item = ReadText(ao, "item", field + ".item", kMaxNameBytes, true);
      if (!item.ok()) return item.status();
      if (!manual.count(*item)) {
        return InvalidArgument(field + ".item 应为加减分类考核项目的名称 (a manual item of the scheme)", field + ".item");
      }
      a.item = *item;
      auto pts = ReadDecimal(ao, "points", field + ".points", R(0), true);
      if (!pts.ok()) return pts.status();
      if (pts->num == 0) return InvalidArgument(field + ".points 不能为 0 (points)", field + ".points");
      a.points = *pts;
      auto reason = ReadText(ao, "reason", field + ".reason", kMaxReasonBytes, true);
      if (!reason.ok()) {
        const std::string n = std::to_string(i + 1);
        return Status(reason.status().code(), "第 " + n + " 条加减分须写明原因，不超过 1000 字节、不含控制字符 (adjustment " + n +
                                                  " needs a reason)",
                      field + ".reason");
      }
      a.reason = *reason;
      s.adjustments.push_back(std::move(a));
    }
  }
  return s;
}

boost::json::object AssessmentSchemeToJson(const AssessmentScheme& s) {
  boost::json::object o;
  o["name"] = s.name;
  boost::json::array items;
  for (const AssessmentItem& it : s.items) items.emplace_back(ItemToJson(it));
  o["items"] = std::move(items);
  boost::json::array adj;
  for (const AssessmentAdjustment& a : s.adjustments) {
    adj.emplace_back(boost::json::object{{"by", a.by},
                                         {"key", a.key},
                                         {"year", a.year},
                                         {"month", a.month ? boost::json::value(*a.month) : boost::json::value(nullptr)},
                                         {"item", a.item},
                                         {"points", DecimalText(a.points)},
                                         {"reason", a.reason}});
  }
  o["adjustments"] = std::move(adj);
  return o;
}

boost::json::object AssessmentToJson(const AssessmentResult& r) {
  boost::json::object o;
  o["year"] = r.year;
  o["month"] = r.month;
  o["period"] = r.period;
  o["by"] = GroupByName(r.by);
  o["scheme"] = r.scheme;
  o["schedule_pct"] = r.schedule_pct.ToDouble();
  boost::json::array items;
  Ratio full;
  for (const AssessmentItem& it : r.items) {
    items.emplace_back(boost::json::object{{"name", it.name}, {"measure", AssessMeasureName(it.measure)}, {"max", DecimalText(it.max)}});
    full = Add(full, it.max);
  }
  o["items"] = std::move(items);
  o["full_points"] = DecimalText(full);
  boost::json::array scores;
  for (const UnitScore& u : r.scores) {
    boost::json::object so;
    so["key"] = u.key;
    so["rank"] = u.rank;
    so["total"] = u.total.ToDouble();
    boost::json::array its;
    for (const ItemScore& s : u.items) {
      its.emplace_back(boost::json::object{{"name", s.name},
                                           {"measure", AssessMeasureName(s.measure)},
                                           {"points", s.points.ToDouble()},
                                           {"display", Pts(s.points)},
                                           {"basis", s.basis}});
    }
    so["items"] = std::move(its);
    const AssessmentMeasures& m = u.measures;
    const ExecutionFigures& e = m.execution;
    so["measures"] = boost::json::object{
        {"completion_rate_pct", m.completion_pct ? boost::json::value(m.completion_pct->ToDouble()) : nullptr},
        {"completion_rank", m.completion_rank ? boost::json::value(*m.completion_rank) : nullptr},
        {"projects", e.projects},
        {"starts_due", e.starts_due},
        {"started", e.started},
        {"nodes_due", e.nodes_due},
        {"nodes_on_time", e.nodes_on_time},
        {"reports_due", e.reports_due},
        {"reports_in", e.reports_in},
        {"problems_raised", m.problems_raised},
        {"problems_closed", m.problems_closed}};
    so["display"] = boost::json::object{{"total", Pts(u.total)}};
    scores.emplace_back(std::move(so));
  }
  o["scores"] = std::move(scores);
  o["display"] = boost::json::object{{"schedule_pct", r.schedule_pct.Format(2)}};
  return o;
}

std::string AssessmentToTable(const AssessmentResult& r) {
  std::ostringstream out;
  const char* period = r.period == "year" ? "年度" : r.period == "quarter" ? "季度" : "月度";
  out << r.year << "年" << r.month << "月（" << period << "）  " << r.scheme << "  时序进度 " << r.schedule_pct.Format(2)
      << "%  参评 " << r.scores.size() << "\n";
  out << Pad("排名", 6) << Pad("名称", 24) << Pad("总分", 9);
  for (const AssessmentItem& it : r.items) out << Pad(it.name + "(" + DecimalText(it.max) + ")", 16);
  out << "\n";
  for (const UnitScore& u : r.scores) {
    out << Pad(std::to_string(u.rank), 6) << Pad(u.key, 24) << Pad(Pts(u.total), 9);
    for (const ItemScore& s : u.items) out << Pad(Pts(s.points), 16);
    out << "\n";
  }
  return out.str();
}

}  // namespace kp::stats
