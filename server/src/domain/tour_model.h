#pragma once
// Inspection tours (拉练, PRACTICES.md §4): the values the store, the stats and the service share.
// Points are exact integers in tenths (27.5 points = 275).
#include <cstdint>
#include <string>
#include <vector>

#include "common/dates.h"

namespace kp {

// One line of the score sheet: a stable key, the label raters see, the full points.
struct TourSheetItem {
  std::string key;
  std::string name;
  int64_t max_tenths = 0;
};

enum class TourStatus { kPlanning, kRunning, kEnded };
const char* TourStatusName(TourStatus s);   // planning running ended
const char* TourStatusLabel(TourStatus s);  // 筹备 进行中 已结束
bool ParseTourStatus(const std::string& s, TourStatus& out);

struct TourStop {
  int64_t id = 0;  // kept across edits while the project stays on the route
  int64_t project_id = 0;
};

struct Tour {
  int64_t id = 0;
  std::string name;
  Date start{}, end{};
  TourStatus status = TourStatus::kPlanning;
  std::vector<TourStop> stops;        // the route, in order
  std::vector<std::string> raters;    // logins, in the order given
  std::vector<TourSheetItem> sheet;   // the sheet in force when the tour was made
  std::string note;
  std::string created_by;
  int version = 0;
  std::string created_at, updated_at, updated_by;
};

// One item a rater scored at a stop.
struct TourScore {
  int64_t stop_id = 0;
  std::string rater;
  std::string item;
  int64_t points_tenths = 0;
  std::string comment;
  std::string scored_at;
  int version = 0;  // of the rater's whole set for the stop (1 after the first save)
};

}  // namespace kp
