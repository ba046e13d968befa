#pragma once
// A full dashboard as comparable tables, whoever computed it: for the total and for each
// grouping of the dashboard, the figures of every group keyed by the label the product shows.
#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "common/money.h"
#include "stats/stats_engine.h"

namespace kp::bench {

// Total first, then every grouping of stats::kDashboardGroupings, in that order.
inline constexpr size_t kDashboardQueries = 1 + std::size(stats::kDashboardGroupings);
inline constexpr const char* kTotalLabel = "合计";

struct DashboardSpec {
  int year = 2024;
  int month = 6;         // cumulative up to the end of this month
  int region_depth = 1;  // depth of the region grouping; the engine's default below a root home region
};

struct GroupSums {
  int64_t projects = 0;
  Money plan;
  Money completed;
  friend bool operator==(const GroupSums&, const GroupSums&) = default;
};
using GroupTable = std::map<std::string, GroupSums>;
using DashboardTables = std::array<GroupTable, kDashboardQueries>;

// Name of query i: "total", "level", "region" …
const char* DashboardQueryName(size_t i);

// The engine's queries of a full dashboard (every level, month schedule, default region depth).
std::vector<stats::StatsQuery> DashboardQueries(const DashboardSpec& spec);
// The tables of the engine's answers. REQUIRES: results are those of DashboardQueries, in order.
DashboardTables TablesOf(const std::vector<stats::StatsResult>& results);

// The differences between two dashboards (at most a few lines), or "" when they are equal.
std::string CompareDashboards(const DashboardTables& want, const DashboardTables& got);

}  // namespace kp::bench
