#include "stats/financing_stats_json.h"

#include <boost/json.hpp>

#include <sstream>

#include "common/text.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

boost::json::object FiguresToJson(const FinancingFigures& g, bool keyed) {
  boost::json::object o;
  if (keyed) o["key"] = g.key;
  o["projects"] = g.projects;
  o["demand_wan"] = g.demand.Wan();
  o["pushed_projects"] = g.pushed_projects;
  o["credit_projects"] = g.credit_projects;
  o["credit_wan"] = g.credit.Wan();
  o["signed_projects"] = g.signed_projects;
  o["signed_wan"] = g.signed_amount.Wan();
  o["disbursed_projects"] = g.disbursed_projects;
  o["disbursed_wan"] = g.disbursed.Wan();
  o["display"] = boost::json::object{{"demand_yi", FormatYiRounded(g.demand, 2)},
                                     {"credit_yi", FormatYiRounded(g.credit, 2)},
                                     {"signed_yi", FormatYiRounded(g.signed_amount, 2)},
                                     {"disbursed_yi", FormatYiRounded(g.disbursed, 2)},
                                     {"demand_wan", FormatWanRounded(g.demand, 2)},
                                     {"credit_wan", FormatWanRounded(g.credit, 2)},
                                     {"signed_wan", FormatWanRounded(g.signed_amount, 2)},
                                     {"disbursed_wan", FormatWanRounded(g.disbursed, 2)}};
  return o;
}

}  // namespace

boost::json::object FinancingStatsToJson(const FinancingStats& r) {
  boost::json::object o;
  o["year"] = r.year;
  o["month"] = r.month;
  o["as_of"] = r.as_of.ToString();
  boost::json::array levels;
  for (Level l : r.levels) levels.emplace_back(LevelName(l));
  o["levels"] = std::move(levels);
  o["by"] = FinancingGroupByName(r.by);
  o["total"] = FiguresToJson(r.total, false);
  boost::json::array groups;
  for (const auto& g : r.groups) groups.emplace_back(FiguresToJson(g, true));
  o["groups"] = std::move(groups);
  return o;
}

std::string FinancingStatsToTable(const FinancingStats& r) {
  std::ostringstream out;
  out << r.year << "年" << r.month << "月末 融资对接 (单位：万元)\n";
  out << Pad("分组", 30) << Pad("项目", 6) << Pad("需求", 14) << Pad("已推送", 8) << Pad("授信项目", 10) << Pad("授信", 14)
      << Pad("签约项目", 10) << Pad("放款项目", 10) << "放款\n";
  auto row = [&](const FinancingFigures& g, const std::string& key) {
    out << Pad(key, 30) << Pad(std::to_string(g.projects), 6) << Pad(FormatWanRounded(g.demand, 2), 14)
        << Pad(std::to_string(g.pushed_projects), 8) << Pad(std::to_string(g.credit_projects), 10)
        << Pad(FormatWanRounded(g.credit, 2), 14) << Pad(std::to_string(g.signed_projects), 10)
        << Pad(std::to_string(g.disbursed_projects), 10) << FormatWanRounded(g.disbursed, 2) << "\n";
  };
  for (const auto& g : r.groups) row(g, g.key);
  row(r.total, "合计");
  return out.str();
}

Result<FinancingQuery> ParseFinancingQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                           const StatsEngine& engine) {
  std::map<std::string, std::string> rest = params;
  std::string by;
  if (auto it = rest.find("by"); it != rest.end()) {
    by = std::string(Trim(it->second));
    rest.erase(it);
  }
  auto base = ParseStatsQuery(rest, defaults, engine);
  if (!base.ok()) return base.status();
  FinancingQuery q;
  q.year = base->year;
  q.month = base->month;
  q.as_of = Date{q.year, q.month, DaysInMonth(q.year, q.month)};
  q.levels = base->levels;
  q.region_id = base->region_id;
  q.region_depth = base->region_depth;
  if (!by.empty()) {
    auto g = ParseFinancingGroupBy(by);
    if (!g) return InvalidArgument("by 应为 bank/type/stage/level/region 之一 (bad grouping): " + by, "by");
    q.by = *g;
  }
  return q;
}

}  // namespace kp::stats
