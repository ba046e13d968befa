#include "stats/stats_json.h"

#include <boost/json.hpp>
#include <sstream>

#include "common/text.h"

namespace kp::stats {
namespace {

constexpr int kPctDecimals = 2;
constexpr int kPointDecimals = 1;

boost::json::value OptRatio(const std::optional<Ratio>& r) {
  return r ? boost::json::value(r->ToDouble()) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object GroupFiguresToJson(const GroupFigures& g) {
  boost::json::object o;
  o["key"] = g.key;
  if (!g.label.empty()) o["label"] = g.label;
  o["rank"] = g.rank ? boost::json::value(*g.rank) : boost::json::value(nullptr);
  o["projects"] = g.projects;
  o["plan_wan"] = g.plan.Wan();
  o["completed_wan"] = g.completed.Wan();
  o["plan_yuan"] = g.plan.yuan;
  o["completed_yuan"] = g.completed.yuan;
  o["completion_rate_pct"] = OptRatio(g.completion_pct);
  o["ahead_points"] = OptRatio(g.ahead_points);
  o["spi"] = OptRatio(g.spi);
  boost::json::object disp;
  disp["plan_wan"] = FormatWanRounded(g.plan, 2);
  disp["completed_wan"] = FormatWanRounded(g.completed, 2);
  disp["plan_yi"] = FormatYiRounded(g.plan, 2);
  disp["completed_yi"] = FormatYiRounded(g.completed, 2);
  disp["completion_rate_pct"] = g.completion_pct ? g.completion_pct->Format(kPctDecimals) : "—";
  disp["ahead_points"] = g.ahead_points ? FormatPoints(*g.ahead_points) : "—";
  disp["spi"] = g.spi ? g.spi->Format(2) : "—";
  o["display"] = std::move(disp);
  return o;
}

std::string Pad(const std::string& s, size_t width) {
  size_t cols = DisplayWidth(s);
  return s + std::string(cols < width ? width - cols : 0, ' ');
}

std::string FormatPoints(const Ratio& points) {
  std::string s = points.Format(kPointDecimals);
  if (s[0] != '-') s = "+" + s;
  if (s == "-0.0") s = "+0.0";
  return s;
}

boost::json::object StatsResultToJson(const StatsResult& r) {
  boost::json::object o;
  o["year"] = r.year;
  o["month"] = r.month;
  o["schedule"] = ScheduleName(r.schedule);
  o["schedule_pct"] = r.schedule_pct.ToDouble();
  boost::json::array levels;
  for (Level l : r.levels) levels.emplace_back(LevelName(l));
  o["levels"] = std::move(levels);
  o["by"] = GroupByName(r.by);
  o["total"] = GroupFiguresToJson(r.total);
  boost::json::array groups;
  for (const GroupFigures& g : r.groups) groups.emplace_back(GroupFiguresToJson(g));
  o["groups"] = std::move(groups);
  o["reporting"] = boost::json::object{{"reported", r.reported}, {"expected", r.total.projects}};
  o["display"] = boost::json::object{{"schedule_pct", r.schedule_pct.Format(kPctDecimals)}};
  return o;
}

std::string StatsResultToTable(const StatsResult& r) {
  std::ostringstream out;
  out << r.year << "年" << r.month << "月  时序进度 " << r.schedule_pct.Format(kPctDecimals) << "% ("
      << ScheduleName(r.schedule) << ")  单位：万元\n";
  out << Pad("排名", 6) << Pad("分组", 28) << Pad("项目数", 8) << Pad("年度计划", 16) << Pad("累计完成", 16)
      << Pad("完成率%", 10) << "超/欠时序\n";
  auto line = [&](const GroupFigures& g, const std::string& rank) {
    out << Pad(rank, 6) << Pad(g.key, 28) << Pad(std::to_string(g.projects), 8)
        << Pad(FormatWanRounded(g.plan, 2), 16) << Pad(FormatWanRounded(g.completed, 2), 16)
        << Pad(g.completion_pct ? g.completion_pct->Format(kPctDecimals) : "—", 10)
        << (g.ahead_points ? FormatPoints(*g.ahead_points) : "—") << "\n";
  };
  for (const GroupFigures& g : r.groups) line(g, g.rank ? std::to_string(*g.rank) : "—");
  line(r.total, "");
  return out.str();
}

}  // namespace kp::stats
