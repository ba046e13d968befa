#pragma once
// SQL of inspection tours (拉练): tours, their stops (route order) and raters, and the raters' scores,
// over the store's shared connection (db.h). Thread-safety: as the Store.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "domain/tour_model.h"

namespace kp::store {

class Db;

class TourStore {
 public:
  explicit TourStore(Db& db) : db_(db) {}

  // Every tour, newest start first, with stops and raters.
  Result<std::vector<Tour>> List();
  // The tours whose status is ended and whose end date is within [from, to], oldest first.
  Result<std::vector<Tour>> EndedWithin(const Date& from, const Date& to);
  Result<Tour> Get(int64_t id);
  Result<Tour> Create(const Tour& t, const Actor& by);
  // Replaces the tour's fields, stops and raters when t.version matches (else kConflict). A stop whose
  // project stays on the route keeps its id (and its scores); others are new; a dropped stop is deleted.
  // `check(before, scores)` runs first in the same transaction; its error writes nothing.
  using ReplaceCheck = std::function<Status(const Tour& before, const std::vector<TourScore>& scores)>;
  Result<Tour> Replace(const Tour& t, const Actor& by, const ReplaceCheck& check);
  // Every score of the tour (ordered by stop, rater, item).
  Result<std::vector<TourScore>> Scores(int64_t tour_id);
  // Replaces `rater`'s scores at the stop when `version` is the set's current version (0: none yet),
  // else kConflict. `check(tour)` runs first in the same transaction, against the tour as stored.
  using ScoreCheck = std::function<Status(const Tour& tour)>;
  Result<std::vector<TourScore>> SaveScores(int64_t tour_id, int64_t stop_id, const std::string& rater, int version,
                                            const std::vector<TourScore>& items, const Actor& by,
                                            const ScoreCheck& check);

 private:
  Db& db_;
};

// The sheet kept with a tour, as JSON text, and back (an unreadable text is an empty sheet).
std::string TourSheetText(const std::vector<TourSheetItem>& sheet);
std::vector<TourSheetItem> TourSheetOf(const std::string& text);

}  // namespace kp::store
