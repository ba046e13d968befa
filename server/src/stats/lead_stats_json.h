#pragma once
// The published shape of the 产业招商 funnel, shared by `keyproject leads` and GET /api/leads/stats
// (the same bytes), and the reading of its question (year, as_of, by).
#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "common/status.h"
#include "stats/lead_stats.h"

namespace kp::stats {

boost::json::object LeadStatsToJson(const LeadStats& r);
std::string LeadStatsToTable(const LeadStats& r);
// year: 1990-2100 (default_year when absent); as_of: a day from 1 January of that year on (default its
// 31 December);
// by: stage, industry, staff or nothing.
Result<LeadQuery> ParseLeadQuery(const std::map<std::string, std::string>& params, int default_year);

}  // namespace kp::stats
