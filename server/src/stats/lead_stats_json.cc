#include "stats/lead_stats_json.h"

#include <boost/json.hpp>

#include <charconv>
#include <sstream>

#include "common/text.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

constexpr int kMinYear = 1990, kMaxYear = 2100;

std::string RateText(const std::optional<Ratio>& r) { return r ? r->Format(1) + "%" : "-"; }

boost::json::object FiguresToJson(const LeadFigures& g, bool keyed) {
  boost::json::object o;
  if (keyed) o["key"] = g.key;
  o["leads"] = g.leads;
  o["talks"] = g.talks;
  o["signed"] = g.signed_count;
  o["signed_yuan"] = g.signed_amount.yuan;
  o["signed_wan"] = g.signed_amount.Wan();
  o["landed"] = g.landed;
  o["started"] = g.started;
  o["producing"] = g.producing;
  o["started_in_year"] = g.started_in_year;
  o["producing_in_year"] = g.producing_in_year;
  o["start_rate_pct"] = g.start_rate_pct ? boost::json::value(g.start_rate_pct->Format(2)) : nullptr;
  o["produce_rate_pct"] = g.produce_rate_pct ? boost::json::value(g.produce_rate_pct->Format(2)) : nullptr;
  o["display"] = boost::json::object{
      {"signed_yi", FormatYiRounded(g.signed_amount, 2)},
      {"start_rate", RateText(g.start_rate_pct)},
      {"produce_rate", RateText(g.produce_rate_pct)},
      {"headline", "签约 " + std::to_string(g.signed_count) + "个，协议投资 " + FormatYiRounded(g.signed_amount, 2) +
                       "亿元，开工率 " + RateText(g.start_rate_pct) + "，投产率 " + RateText(g.produce_rate_pct)}};
  return o;
}

}  // namespace

boost::json::object LeadStatsToJson(const LeadStats& r) {
  boost::json::object o;
  o["year"] = r.year;
  o["as_of"] = r.as_of.ToString();
  o["by"] = LeadGroupByName(r.by);
  o["total"] = FiguresToJson(r.total, false);
  boost::json::array groups;
  for (const auto& g : r.groups) groups.emplace_back(FiguresToJson(g, true));
  o["groups"] = std::move(groups);
  return o;
}

std::string LeadStatsToTable(const LeadStats& r) {
  std::ostringstream out;
  out << r.year << "年 产业招商 截至 " << r.as_of.ToString() << " (单位：亿元)\n";
  out << Pad("分组", 24) << Pad("线索", 6) << Pad("洽谈", 6) << Pad("签约", 6) << Pad("协议投资", 12) << Pad("落地", 6)
      << Pad("开工", 6) << Pad("投产", 6) << Pad("开工率", 10) << Pad("投产率", 10) << Pad("年内开工", 10) << "年内投产\n";
  auto row = [&](const LeadFigures& g, const std::string& key) {
    out << Pad(key.empty() ? "(未填)" : key, 24) << Pad(std::to_string(g.leads), 6) << Pad(std::to_string(g.talks), 6)
        << Pad(std::to_string(g.signed_count), 6) << Pad(FormatYiRounded(g.signed_amount, 2), 12)
        << Pad(std::to_string(g.landed), 6) << Pad(std::to_string(g.started), 6) << Pad(std::to_string(g.producing), 6)
        << Pad(RateText(g.start_rate_pct), 10) << Pad(RateText(g.produce_rate_pct), 10)
        << Pad(std::to_string(g.started_in_year), 10) << g.producing_in_year << "\n";
  };
  for (const auto& g : r.groups) row(g, g.key);
  row(r.total, "合计");
  return out.str();
}

Result<LeadQuery> ParseLeadQuery(const std::map<std::string, std::string>& params, int default_year) {
  auto get = [&](const char* k) -> std::string {
    auto it = params.find(k);
    return it == params.end() ? std::string() : std::string(Trim(it->second));
  };
  LeadQuery q;
  q.year = default_year;
  if (std::string y = get("year"); !y.empty()) {
    int v = 0;
    auto [p, ec] = std::from_chars(y.data(), y.data() + y.size(), v);
    if (ec != std::errc() || p != y.data() + y.size() || v < kMinYear || v > kMaxYear) {
      return InvalidArgument("year 应为 1990-2100 的年份 (bad year): " + y, "year");
    }
    q.year = v;
  }
  q.as_of = Date{q.year, 12, 31};
  if (std::string a = get("as_of"); !a.empty()) {
    auto d = ParseDate(a);
    if (!d.ok() || *d < Date{q.year, 1, 1}) {
      return InvalidArgument("as_of 应为该年度起的日期 YYYY-MM-DD (bad as_of): " + a, "as_of");
    }
    q.as_of = *d;
  }
  std::string by = get("by");
  auto g = ParseLeadGroupBy(by);
  if (!g) return InvalidArgument("by 应为 stage/industry/staff 之一 (bad grouping): " + by, "by");
  q.by = *g;
  return q;
}

}  // namespace kp::stats
