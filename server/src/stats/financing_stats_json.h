#pragma once
// The published shape of the financing funnel, shared by `keyproject financing` and
// GET /api/financing/stats, and the reading of its question (year, month, levels, by, region_id).
#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "common/status.h"
#include "stats/financing_stats.h"
#include "stats/stats_engine.h"
#include "stats/stats_query.h"

namespace kp::stats {

boost::json::object FinancingStatsToJson(const FinancingStats& r);
std::string FinancingStatsToTable(const FinancingStats& r);
// year and month as for `stats` (the headline month by default); as of the month's last day.
Result<FinancingQuery> ParseFinancingQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                           const StatsEngine& engine);

}  // namespace kp::stats
