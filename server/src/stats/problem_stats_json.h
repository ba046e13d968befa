#pragma once
// The published shape of problem-list figures, shared by `keyproject problems` and
// GET /api/problems/stats, and the reading of the question (as_of, levels, by, region_id).
#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "common/status.h"
#include "stats/problem_stats.h"
#include "stats/stats_engine.h"
#include "stats/stats_query.h"

namespace kp::stats {

boost::json::object ProblemStatsToJson(const ProblemStats& r);
std::string ProblemStatsToTable(const ProblemStats& r);
// "提出问题N个，办结M个，办结率X%，逾期K个": the sentence of the total.
std::string ProblemStatsSentence(const ProblemStats& r);
Result<ProblemQuery> ParseProblemQuery(const std::map<std::string, std::string>& params, const StatsDefaults& defaults,
                                       const StatsEngine& engine);

}  // namespace kp::stats
