#pragma once
// The published shape of a statistics answer, shared by the CLI and the API: numbers unrounded
// (exact ratios as doubles), plus "display" strings rounded exactly for people.
#include <boost/json/object.hpp>
#include <string>

#include "stats/stats_engine.h"

namespace kp::stats {

boost::json::object StatsResultToJson(const StatsResult& r);
boost::json::object GroupFiguresToJson(const GroupFigures& g);
// A plain-text table for terminals: rounded for display only.
std::string StatsResultToTable(const StatsResult& r);
// s padded with spaces to `width` terminal columns (CJK characters count two).
std::string Pad(const std::string& s, size_t width);
// "+5.8" / "-2.0": percentage points with one decimal and a sign.
std::string FormatPoints(const Ratio& points);

}  // namespace kp::stats
