#include "stats/warnings_json.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "common/text.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

constexpr int kPctDecimals = 1;

boost::json::value Opt(const std::optional<Ratio>& r) {
  return r ? boost::json::value(r->ToDouble()) : boost::json::value(nullptr);
}

boost::json::object Counts(const std::array<int64_t, 3>& c) {
  return {{"red", c[2]}, {"yellow", c[1]}, {"green", c[0]}};
}

}  // namespace

boost::json::object RulesToJson(const WarningRules& r) {
  return {{"invest_yellow_points", r.invest_yellow_points}, {"invest_red_points", r.invest_red_points},
          {"start_red_months", r.start_red_months},         {"node_red_days", r.node_red_days},
          {"report_red_months", r.report_red_months},       {"window_days", r.window_days},
          {"deadline_day", r.deadline_day},                 {"schedule", ScheduleName(r.schedule)}};
}

boost::json::object WarningToJson(const Warning& w) {
  boost::json::object o{{"rule", WarningRuleName(w.rule)},
                        {"rule_label", WarningRuleLabel(w.rule)},
                        {"colour", ColourName(w.colour)},
                        {"detail", w.detail},
                        {"unit", w.unit},
                        {"person", w.person}};
  switch (w.rule) {
    case WarningRule::kInvestment:
      o["plan_wan"] = w.plan.Wan();
      o["completed_wan"] = w.completed.Wan();
      o["completion_pct"] = Opt(w.completion_pct);
      o["schedule_pct"] = Opt(w.schedule_pct);
      o["behind_points"] = Opt(w.behind_points);
      o["display"] = boost::json::object{
          {"completion_pct", w.completion_pct ? w.completion_pct->Format(kPctDecimals) : "—"},
          {"behind_points", w.behind_points ? w.behind_points->Format(kPctDecimals) : "—"}};
      break;
    case WarningRule::kStart:
      o["planned_start"] = w.planned_start ? boost::json::value(w.planned_start->ToString()) : nullptr;
      o["months_late"] = w.months_late;
      break;
    case WarningRule::kNode:
      o["node"] = w.node;
      o["planned"] = w.node_planned ? boost::json::value(w.node_planned->ToString()) : nullptr;
      o["days_overdue"] = w.days_overdue;
      break;
    case WarningRule::kReport: {
      boost::json::array months;
      for (const YearMonth& m : w.missing) months.emplace_back(m.ToString());
      o["missing"] = std::move(months);
      break;
    }
  }
  return o;
}

boost::json::object WarningResultToJson(const WarningResult& r) {
  boost::json::object o;
  o["as_of"] = r.as_of.ToString();
  o["rules"] = RulesToJson(r.rules);
  o["schedule_pct"] = r.schedule_pct.ToDouble();
  boost::json::array levels;
  for (Level l : r.levels) levels.emplace_back(LevelName(l));
  o["levels"] = std::move(levels);
  o["by"] = GroupByName(r.by);
  o["counts"] = Counts(r.counts);
  boost::json::array projects;
  for (const ProjectColour& p : r.projects) {
    boost::json::array ws;
    for (const Warning& w : p.warnings) ws.emplace_back(WarningToJson(w));
    projects.emplace_back(boost::json::object{{"id", p.id},
                                              {"code", p.code},
                                              {"name", p.name},
                                              {"level", LevelName(p.level)},
                                              {"region", p.region},
                                              {"unit", p.unit},
                                              {"person", p.person},
                                              {"leader", p.leader},
                                              {"colour", ColourName(p.colour)},
                                              {"warnings", std::move(ws)}});
  }
  o["projects"] = std::move(projects);
  boost::json::array groups;
  for (const ColourCounts& g : r.groups) {
    boost::json::object e = Counts(g.counts);
    e["key"] = g.key;
    groups.emplace_back(std::move(e));
  }
  o["groups"] = std::move(groups);
  o["display"] = boost::json::object{{"schedule_pct", r.schedule_pct.Format(kPctDecimals)}};
  return o;
}

std::string WarningResultToTable(const WarningResult& r) {
  std::ostringstream out;
  out << "截至 " << r.as_of.ToString() << "  时序进度 " << r.schedule_pct.Format(kPctDecimals) << "%  红灯 " << r.counts[2]
      << "  黄灯 " << r.counts[1] << "  绿灯 " << r.counts[0] << "\n";
  if (!r.groups.empty()) {
    out << Pad("分组", 28) << Pad("红", 6) << Pad("黄", 6) << "绿\n";
    for (const ColourCounts& g : r.groups) {
      out << Pad(g.key, 28) << Pad(std::to_string(g.counts[2]), 6) << Pad(std::to_string(g.counts[1]), 6) << g.counts[0]
          << "\n";
    }
  }
  for (const ProjectColour& p : r.projects) {
    if (p.colour == Colour::kGreen) continue;
    out << ColourLabel(p.colour) << "  " << p.code << "  " << p.name << "\n";
    for (const Warning& w : p.warnings) {
      out << "    [" << ColourLabel(w.colour) << "] " << WarningRuleLabel(w.rule) << "：" << w.detail << "\n";
    }
  }
  return out.str();
}

Result<Date> ParseAsOf(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                       const StatsEngine& engine) {
  Date as_of;
  auto get = [&](const char* k) -> const std::string* {
    auto it = params.find(k);
    return it == params.end() || Trim(it->second).empty() ? nullptr : &it->second;
  };
  if (auto* v = get("as_of")) {
    std::string text(Trim(*v));
    auto d = ParseDate(text);
    auto ym = ParseYearMonth(text);
    // A month ("2024-03", "2024年3月", "202403") means its last day; a date has a day.
    int runs = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) && (i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1])))) ++runs;
    }
    const bool month_only = ym.ok() && (runs == 2 || (runs == 1 && text.size() == 6));
    if (month_only) {
      as_of = Date{ym->year, ym->month, DaysInMonth(ym->year, ym->month)};
    } else if (d.ok() && IsValidDate(*d) && d->year >= 1990 && d->year <= 2100) {
      as_of = *d;
    } else {
      return InvalidArgument("as_of 应为日期 2024-03-31 或月份 2024-03 (bad as_of): " + *v, "as_of");
    }
  } else {
    auto parsed = ParseStatsQuery({}, defaults, engine);
    if (!parsed.ok()) return parsed.status();
    as_of = Date{parsed->year, parsed->month, DaysInMonth(parsed->year, parsed->month)};
  }
  return as_of;
}

Result<WarningQuery> ParseWarningQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                       const StatsEngine& engine) {
  WarningQuery q;
  auto get = [&](const char* k) -> const std::string* {
    auto it = params.find(k);
    return it == params.end() || Trim(it->second).empty() ? nullptr : &it->second;
  };
  auto as_of = ParseAsOf(params, defaults, engine);
  if (!as_of.ok()) return as_of.status();
  q.as_of = *as_of;
  if (auto* v = get("levels")) {
    auto l = ParseLevels(*v);
    if (!l.ok()) return l.status();
    q.levels = *l;
  }
  if (auto* v = get("by")) {
    std::string by = *v;
    size_t colon = by.find(':');
    if (colon != std::string::npos) {
      int d = -1;
      std::string ds = by.substr(colon + 1);
      auto [p, ec] = std::from_chars(ds.data(), ds.data() + ds.size(), d);
      if (ec != std::errc() || p != ds.data() + ds.size() || d < 0 || d > 20) {
        return InvalidArgument("depth 应为 0-20 (bad depth)", "by");
      }
      q.region_depth = d;
      by = by.substr(0, colon);
    }
    auto g = ParseGroupBy(by);
    if (!g || !(*g == GroupBy::kLevel || *g == GroupBy::kRegion || *g == GroupBy::kIndustry || *g == GroupBy::kUnit ||
                *g == GroupBy::kLeader)) {
      return InvalidArgument("by 应为 level/region/industry/unit/leader 之一 (bad grouping): " + *v, "by");
    }
    q.by = *g;
  }
  if (auto* v = get("region_id")) {
    long long id = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || p != v->data() + v->size() || id < 1) return InvalidArgument("region_id 应为正整数 (bad region_id)", "region_id");
    q.region_id = id;
  }
  if (auto* v = get("colour")) {
    auto c = ParseColour(*v);
    if (!c) return InvalidArgument("colour 应为 red/yellow/green (bad colour): " + *v, "colour");
    q.colour = *c;
  }
  if (auto* v = get("leader")) q.leader = std::string(Trim(*v));
  if (auto* v = get("demo")) {
    if (*v == "true" || *v == "1" || *v == "是") q.demo = true;
    else if (*v == "false" || *v == "0" || *v == "否") q.demo = false;
    else return InvalidArgument("demo 应为 true 或 false (bad demo)", "demo");
  }
  if (auto* v = get("unit")) q.unit = std::string(Trim(*v));
  if (auto* v = get("projects")) {
    if (*v != "none" && *v != "all") return InvalidArgument("projects 应为 all 或 none (bad projects)", "projects");
    q.list_projects = *v == "all";
  }
  return q;
}

}  // namespace kp::stats
