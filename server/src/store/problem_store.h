#pragma once
// SQL of problem lists (problems, problem_events) over the store's shared connection (db.h).
// Every write is one transaction with its event row and audit entry; nothing is deleted.
// Thread-safety: as the Store (calls are serialised on the connection).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "domain/problem_model.h"

namespace soci {
class session;
}

namespace kp::store {

class Db;

// A problem with the closures a reopening undid ([closed on, reopened on)), for the figures.
struct LoadedProblem {
  Problem problem;
  std::vector<std::pair<Date, Date>> reopened;
  std::optional<Date> escalated_on;  // the first 升级督办 event's day
};

class ProblemStore {
 public:
  explicit ProblemStore(Db& db) : db_(db) {}

  // Inserts p (state, dates as given) with its first event; returns it with id and version.
  // `link`, when given, runs in the same transaction with the new id (a visit's finding records
  // the problem it became); its error rolls everything back.
  Result<Problem> Insert(const Problem& p, ProblemEvent e, const Actor& by,
                         const std::function<Status(soci::session&, int64_t)>& link = nullptr);
  Result<Problem> Get(int64_t id);
  Result<std::vector<ProblemEvent>> Events(int64_t problem_id);
  // Replaces the problem's fields by `after` when the stored version is after.version (else
  // kConflict), and appends the event. Returns the stored problem.
  Result<Problem> Update(const Problem& after, ProblemEvent e, const Actor& by);
  // Inserts imported problems (project ids resolved) with an import event each, all or nothing;
  // a row already there (same project, date raised and text) is left out, checked in the transaction.
  // findings[i], when given, is the supervision finding rows[i] came from (linked in the same
  // transaction).
  Result<std::vector<int64_t>> InsertAll(const std::vector<Problem>& rows, const Actor& by,
                                         const std::vector<std::optional<int64_t>>& findings = {});
  // The id of the latest event (0 when none): every write adds one, so a larger id means change.
  Result<int64_t> LastEventId();
  // Problems touched by events after `after` (every problem when after is 0), and the latest id.
  Result<std::vector<LoadedProblem>> LoadSince(int64_t after, int64_t* last);

 private:
  Db& db_;
};

}  // namespace kp::store
