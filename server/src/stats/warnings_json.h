#pragma once
// The published shape of a warning-colour answer, shared by `keyproject warnings` and
// GET /api/warnings, and the reading of its question from named parameters (CLI flags and query
// strings): as_of (a date, or a month meaning its last day), levels, by, depth, region_id, colour.
#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "common/status.h"
#include "stats/stats_engine.h"
#include "stats/stats_query.h"

namespace kp::stats {

boost::json::object WarningResultToJson(const WarningResult& r);
boost::json::object WarningToJson(const Warning& w);
boost::json::object RulesToJson(const WarningRules& r);
std::string WarningResultToTable(const WarningResult& r);

// as_of: a date, or a month meaning its last day; default the last day of the headline month.
Result<Date> ParseAsOf(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                       const StatsEngine& engine);

// as_of defaults to the last day of the headline month (StatsEngine::HeadlineMonth). by accepts
// level region industry unit leader; unit and leader narrow; projects=none answers colours and
// counts only (no project list).
Result<WarningQuery> ParseWarningQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                       const StatsEngine& engine);

}  // namespace kp::stats
