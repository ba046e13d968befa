#include "stats/problem_stats_json.h"

#include <boost/json.hpp>

#include <charconv>
#include <sstream>

#include "common/text.h"
#include "stats/stats_json.h"
#include "stats/warnings_json.h"

namespace kp::stats {
namespace {

constexpr int kRateDecimals = 1;  // "办结率99.5%"
constexpr int kDayDecimals = 1;

boost::json::value OptRatio(const std::optional<Ratio>& r) {
  return r ? boost::json::value(r->ToDouble()) : boost::json::value(nullptr);
}

boost::json::object FiguresToJson(const ProblemFigures& g, bool keyed) {
  boost::json::object o;
  if (keyed) o["key"] = g.key;
  o["raised"] = g.raised;
  o["closed"] = g.closed;
  o["closure_rate_pct"] = OptRatio(g.closure_rate_pct());
  o["open"] = g.open;
  o["overdue"] = g.overdue;
  o["closed_on_time"] = g.closed_on_time;
  o["avg_days_to_close"] = OptRatio(g.avg_days_to_close());
  auto rate = g.closure_rate_pct();
  auto days = g.avg_days_to_close();
  o["display"] = boost::json::object{{"closure_rate_pct", rate ? rate->Format(kRateDecimals) : "—"},
                                     {"avg_days_to_close", days ? days->Format(kDayDecimals) : "—"}};
  return o;
}

}  // namespace

std::string ProblemStatsSentence(const ProblemStats& r) {
  const ProblemFigures& t = r.total;
  auto rate = t.closure_rate_pct();
  std::string s = "提出问题" + std::to_string(t.raised) + "个，办结" + std::to_string(t.closed) + "个";
  if (rate) s += "，办结率" + rate->Format(kRateDecimals) + "%";
  s += "，逾期未办结" + std::to_string(t.overdue) + "个";
  return s;
}

boost::json::object ProblemStatsToJson(const ProblemStats& r) {
  boost::json::object o;
  o["as_of"] = r.as_of.ToString();
  boost::json::array levels;
  for (Level l : r.levels) levels.emplace_back(LevelName(l));
  o["levels"] = std::move(levels);
  o["by"] = ProblemGroupByName(r.by);
  o["total"] = FiguresToJson(r.total, false);
  boost::json::array groups;
  for (const ProblemFigures& g : r.groups) groups.emplace_back(FiguresToJson(g, true));
  o["groups"] = std::move(groups);
  o["sentence"] = ProblemStatsSentence(r);
  return o;
}

std::string ProblemStatsToTable(const ProblemStats& r) {
  std::ostringstream out;
  out << "截至 " << r.as_of.ToString() << "  " << ProblemStatsSentence(r) << "\n";
  out << Pad("分组", 24) << Pad("提出", 8) << Pad("办结", 8) << Pad("办结率%", 10) << Pad("未办结", 8) << Pad("逾期", 8)
      << Pad("按期办结", 10) << "平均办结天数\n";
  auto row = [&](const ProblemFigures& g, const std::string& key) {
    auto rate = g.closure_rate_pct();
    auto days = g.avg_days_to_close();
    out << Pad(key, 24) << Pad(std::to_string(g.raised), 8) << Pad(std::to_string(g.closed), 8)
        << Pad(rate ? rate->Format(kRateDecimals) : "—", 10) << Pad(std::to_string(g.open), 8)
        << Pad(std::to_string(g.overdue), 8) << Pad(std::to_string(g.closed_on_time), 10)
        << (days ? days->Format(kDayDecimals) : "—") << "\n";
  };
  for (const ProblemFigures& g : r.groups) row(g, g.key);
  row(r.total, "合计");
  return out.str();
}

Result<ProblemQuery> ParseProblemQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                       const StatsEngine& engine) {
  ProblemQuery q;
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
      if (ec != std::errc() || p != ds.data() + ds.size() || d < 0 || d > 20) return InvalidArgument("depth 应为 0-20 (bad depth)", "by");
      q.region_depth = d;
      by = by.substr(0, colon);
    }
    auto g = ParseProblemGroupBy(by);
    if (!g) return InvalidArgument("by 应为 unit/category/level/region/source 之一 (bad grouping): " + *v, "by");
    q.by = *g;
  }
  if (auto* v = get("region_id")) {
    long long id = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || p != v->data() + v->size() || id < 1) return InvalidArgument("region_id 应为正整数 (bad region_id)", "region_id");
    q.region_id = id;
  }
  return q;
}

}  // namespace kp::stats
