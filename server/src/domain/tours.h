#pragma once
// Inspection tours (拉练, PRACTICES.md §4): the bureau plans a tour (dates, a route of projects, the
// raters), each rater scores each stop against the score sheet (a setting, `tour_sheet`; default
// 投资完成 30, 形象进度 25, 建设速度 20, 要素保障与问题解决 15, 现场管理 10), and the results rank the
// projects and townships (stats/tour_results.h) and feed the assessment's tour item.
// Thread-safety: every method may be called concurrently.
#include <optional>
#include <vector>

#include "domain/register.h"
#include "domain/tour_model.h"
#include "stats/tour_results.h"
#include "store/tour_store.h"

namespace kp {

class Tours {
 public:
  Tours(store::Store& store, Register& reg) : store_(store), tours_(store.db()), reg_(reg) {}

  static std::vector<TourSheetItem> DefaultSheet();
  // Keys 1-32 ASCII letters, digits, _ or -, unique; names 1-50 bytes; full points 0.1-100 each, at most
  // 20 items. Errors name the field (items[i].max).
  static Status CheckSheet(const std::vector<TourSheetItem>& sheet);
  Result<std::vector<TourSheetItem>> Sheet();
  Status SaveSheet(const std::vector<TourSheetItem>& sheet, const Actor& by);

  // Who may be listed as a rater: the bureau, leaders and departments.
  static bool MayRate(const User& u);
  // Every tour (a department: those it rates).
  Result<std::vector<Tour>> List(const User& user);
  Result<Tour> Get(int64_t id, const User& user);
  // id 0 creates (with the sheet in force now); else replaces at t.version. A stop or rater with scores
  // cannot be dropped (kConflict naming it).
  Result<Tour> Save(const Tour& t, const Actor& by);
  Result<std::vector<TourScore>> Scores(int64_t tour_id);
  // The user's own scores at a stop: only a rater of the tour (else kPermissionDenied), not on an ended
  // tour (kConflict), every item of the tour's sheet once, 0..its full points in tenths (kInvalidArgument
  // naming the item); `version` the set's current version (0 the first time; stale: kConflict).
  Result<std::vector<TourScore>> Score(int64_t tour_id, int64_t stop_id, int version, const std::vector<TourScore>& items,
                                       const User& user, const Actor& by);
  // The tour's results, projects grouped by township (or by unit).
  Result<stats::TourResult> Results(int64_t tour_id, stats::GroupBy by = stats::GroupBy::kRegion,
                                    std::optional<int> region_depth = std::nullopt);
  // The tour figures of the tours that ended within [from, to], by township or unit.
  Result<stats::TourPeriodFigures> PeriodFigures(const Date& from, const Date& to, stats::GroupBy by,
                                                 std::optional<int> region_depth);

 private:
  Status Check(const Tour& t);
  Result<stats::TourResult> ResultOf(const Tour& t, stats::GroupBy by, std::optional<int> region_depth,
                                     const std::map<std::string, std::string>& names);
  Result<std::map<std::string, std::string>> Names();

  store::Store& store_;
  store::TourStore tours_;
  Register& reg_;
};

}  // namespace kp
