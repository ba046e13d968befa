#pragma once
// Reads a statistics question from named text parameters (CLI flags and API query strings
// share it): year, month, day, levels, by, depth, region_id, schedule.
#include <map>
#include <string>

#include "common/status.h"
#include "stats/stats_engine.h"

namespace kp::stats {

struct StatsDefaults {
  int year = 2024;
  Schedule schedule = Schedule::kMonth;
  HeadlineRule headline;  // chooses the month when none is given
};

// Unknown parameters are ignored; bad values name the parameter in the error.
// year defaults to the pinned month's year, else defaults.year; month to the headline month
// (StatsEngine::HeadlineMonth).
Result<StatsQuery> ParseStatsQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                   const StatsEngine& engine);
Result<std::vector<Level>> ParseLevels(const std::string& csv);

}  // namespace kp::stats
