#pragma once
// Results of an inspection tour (拉练, PRACTICES.md §4), pure and exact: each stop's score is the mean
// of its raters' totals (the sum of the sheet's items), the single highest and single lowest total
// dropped when at least five raters scored it; a township's (or unit's) score is the mean of its
// projects'; both ranked by competition (ties share a rank, the next skips). Points are kept in tenths.
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/money.h"
#include "domain/tour_model.h"

namespace kp::stats {

constexpr size_t kTourDropFrom = 5;  // raters from which the highest and lowest totals are dropped

struct TourStopInput {
  int64_t stop_id = 0;
  int64_t project_id = 0;
  int seq = 0;  // 1-based route order
  std::string code, name;
  std::string group;  // the township (or unit) the project counts for
};

struct TourRaterTotal {
  std::string rater;
  std::string rater_name;
  int64_t total_tenths = 0;
  std::string dropped;  // "" | "high" | "low"
};

struct TourStopResult {
  TourStopInput stop;
  std::vector<TourRaterTotal> raters;  // those who scored every item, by total descending then login
  size_t counted = 0;                  // totals in the mean
  std::optional<Ratio> score;          // nullopt: nobody scored the stop yet
  int rank = 0;                        // 0: unscored
};

struct TourGroupResult {
  std::string key;
  std::vector<int64_t> stop_ids;  // its scored stops, in route order
  std::optional<Ratio> score;
  int rank = 0;
};

struct TourResult {
  int64_t tour_id = 0;
  std::string tour_name;
  std::vector<TourSheetItem> sheet;
  std::vector<TourStopResult> stops;    // by rank, unscored last (route order)
  std::vector<TourGroupResult> groups;  // by rank, then key
};

// `scores` are the tour's item rows; a rater's total at a stop counts only when it has every item of
// `sheet`. `names` gives raters' display names (login when absent).
TourResult ComputeTourResult(const Tour& tour, const std::vector<TourStopInput>& stops,
                             const std::vector<TourScore>& scores, const std::map<std::string, std::string>& names);

// The period's tour figure of each township or unit, for the assessment: the mean of its scores over
// the tours given (those that ended in the period); `tours` names them for the basis text.
struct TourPeriodFigures {
  std::vector<std::string> tours;
  struct Figure {
    Ratio score;
    std::vector<std::string> parts;  // "「tour」87.65" per tour it was scored in
  };
  std::map<std::string, Figure> by_key;
};
TourPeriodFigures TourFiguresOfPeriod(const std::vector<TourResult>& results);

// The published shape: {"tour":{…},"sheet":[…],"drop_from":5,"stops":[{"rank","seq","stop_id","project_id",
// "code","name","group","score","counted","raters":[{"rater","name","total","dropped"}],"display":{…}}],
// "groups":[{"key","rank","score","stops","display"}]}; points as exact decimal texts.
boost::json::object TourResultToJson(const TourResult& r);
std::string TourResultToTable(const TourResult& r);
// Tenths as text: 275 → "27.5", 300 → "30".
std::string TenthsText(int64_t tenths);

}  // namespace kp::stats
