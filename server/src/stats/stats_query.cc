#include "stats/stats_query.h"

#include <charconv>

#include "common/text.h"

namespace kp::stats {
namespace {

Result<int> ParseInt(const std::string& s, const char* field, int lo, int hi) {
  int v = 0;
  std::string t(Trim(s));
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || v < lo || v > hi) {
    return InvalidArgument(std::string(field) + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) +
                               " 之间的整数 (bad " + field + "): " + s,
                           field);
  }
  return v;
}

}  // namespace

Result<std::vector<Level>> ParseLevels(const std::string& csv) {
  std::vector<Level> out;
  std::string norm = NormalizeNumberText(csv, true);  // full-width comma to ASCII
  size_t i = 0;
  while (i <= norm.size()) {
    size_t j = norm.find_first_of(",;", i);
    if (j == std::string::npos) j = norm.size();
    std::string part(Trim(std::string_view(norm).substr(i, j - i)));
    if (!part.empty()) {
      auto l = ParseLevel(part);
      if (!l) return InvalidArgument("未知的项目级别「" + part + "」，应为 省重点/市重点/县重点 (unknown level)", "levels");
      bool dup = false;
      for (Level x : out) dup = dup || x == *l;
      if (!dup) out.push_back(*l);
    }
    i = j + 1;
  }
  return out;
}

Result<StatsQuery> ParseStatsQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                   const StatsEngine& engine) {
  StatsQuery q;
  q.year = defaults.headline.pinned ? defaults.headline.pinned->year : defaults.year;
  q.schedule = defaults.schedule;
  auto get = [&](const char* k) -> const std::string* {
    auto it = params.find(k);
    return it == params.end() || Trim(it->second).empty() ? nullptr : &it->second;
  };
  if (auto* v = get("year")) {
    auto y = ParseInt(*v, "year", 1990, 2100);
    if (!y.ok()) return y.status();
    q.year = *y;
  }
  if (auto* v = get("month")) {
    auto m = ParseInt(*v, "month", 1, 12);
    if (!m.ok()) return m.status();
    q.month = *m;
  } else {
    q.month = engine.HeadlineMonth(q.year, defaults.headline);
  }
  if (auto* v = get("schedule")) {
    auto s = ParseSchedule(*v);
    if (!s) return InvalidArgument("schedule 应为 month 或 day (bad schedule): " + *v, "schedule");
    q.schedule = *s;
  }
  if (auto* v = get("day")) {
    auto d = ParseInt(*v, "day", 1, DaysInMonth(q.year, q.month));
    if (!d.ok()) return d.status();
    q.day = *d;
  }
  if (auto* v = get("levels")) {
    auto l = ParseLevels(*v);
    if (!l.ok()) return l.status();
    q.levels = *l;
  }
  if (auto* v = get("by")) {
    std::string by = *v;
    size_t colon = by.find(':');  // "region:3" = region at depth 3
    if (colon != std::string::npos) {
      auto d = ParseInt(by.substr(colon + 1), "depth", 0, 20);
      if (!d.ok()) return d.status();
      q.region_depth = *d;
      by = by.substr(0, colon);
    }
    auto g = ParseGroupBy(by);
    if (!g) {
      return InvalidArgument("by 应为 level/region/industry/unit/leader/demo/status/project 之一 (bad grouping): " + *v,
                             "by");
    }
    q.by = *g;
  }
  if (auto* v = get("depth")) {
    auto d = ParseInt(*v, "depth", 0, 20);
    if (!d.ok()) return d.status();
    q.region_depth = *d;
  }
  if (auto* v = get("region_id")) {
    auto r = ParseInt(*v, "region_id", 1, 2'000'000'000);
    if (!r.ok()) return r.status();
    q.region_id = *r;
  }
  return q;
}

}  // namespace kp::stats
