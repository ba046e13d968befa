#include "dashboard_table.h"

namespace kp::bench {
namespace {

constexpr int kMaxReportedDifferences = 5;

std::string Describe(const GroupSums& g) {
  return "{projects " + std::to_string(g.projects) + ", plan " + std::to_string(g.plan.yuan) + ", completed " +
         std::to_string(g.completed.yuan) + "}";
}

}  // namespace

const char* DashboardQueryName(size_t i) {
  return i == 0 ? "total" : stats::GroupByName(stats::kDashboardGroupings[i - 1]);
}

std::vector<stats::StatsQuery> DashboardQueries(const DashboardSpec& spec) {
  std::vector<stats::StatsQuery> out;
  for (size_t i = 0; i < kDashboardQueries; ++i) {
    stats::StatsQuery q;
    q.year = spec.year;
    q.month = spec.month;
    q.by = i == 0 ? stats::GroupBy::kNone : stats::kDashboardGroupings[i - 1];
    out.push_back(q);
  }
  return out;
}

DashboardTables TablesOf(const std::vector<stats::StatsResult>& results) {
  DashboardTables out;
  for (size_t i = 0; i < kDashboardQueries && i < results.size(); ++i) {
    const stats::StatsResult& r = results[i];
    if (i == 0) {
      out[i][kTotalLabel] = GroupSums{r.total.projects, r.total.plan, r.total.completed};
      continue;
    }
    for (const stats::GroupFigures& g : r.groups) out[i][g.key] = GroupSums{g.projects, g.plan, g.completed};
  }
  return out;
}

std::string CompareDashboards(const DashboardTables& want, const DashboardTables& got) {
  std::string out;
  int reported = 0;
  auto report = [&](size_t i, const std::string& line) {
    if (reported++ < kMaxReportedDifferences) out += std::string("  ") + DashboardQueryName(i) + ": " + line + "\n";
  };
  for (size_t i = 0; i < kDashboardQueries; ++i) {
    if (want[i].size() != got[i].size()) {
      report(i, std::to_string(want[i].size()) + " groups expected, " + std::to_string(got[i].size()) + " found");
    }
    for (const auto& [key, w] : want[i]) {
      auto it = got[i].find(key);
      if (it == got[i].end()) {
        report(i, "group " + key + " missing");
      } else if (!(it->second == w)) {
        report(i, "group " + key + " expected " + Describe(w) + ", found " + Describe(it->second));
      }
    }
  }
  if (reported > kMaxReportedDifferences)
    out += "  … " + std::to_string(reported - kMaxReportedDifferences) + " more\n";
  return out;
}

}  // namespace kp::bench
