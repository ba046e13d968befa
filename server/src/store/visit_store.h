#pragma once
// SQL of on-site supervision (现场督导): visits, their stops (projects seen) and findings, over the
// store's shared connection (db.h). Thread-safety: as the Store.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "domain/problem_model.h"

namespace soci {
class session;
}

namespace kp::store {

class Db;

class VisitStore {
 public:
  explicit VisitStore(Db& db) : db_(db) {}

  // Visits starting within [from, to] (either bound optional), newest first, with stops and findings.
  Result<std::vector<Visit>> List(const std::optional<Date>& from, const std::optional<Date>& to);
  Result<Visit> Get(int64_t id);
  Result<Visit> Create(const Visit& v, const Actor& by);
  // Replaces the visit's fields, stops and findings when v.version matches (else kConflict). A
  // finding given with the id of one already there keeps that id and the problem it became; one
  // without an id is new. `check(before, v)` runs first in the same transaction, against the visit
  // as stored (a finding linked meanwhile is seen); its error writes nothing.
  using ReplaceCheck = std::function<Status(const Visit& before, const Visit& after)>;
  Result<Visit> Replace(const Visit& v, const Actor& by, const ReplaceCheck& check = nullptr);
  // The stop and finding of a finding id (nullopt when none).
  Result<std::optional<std::pair<VisitStop, VisitFinding>>> Finding(int64_t visit_id, int64_t finding_id);

 private:
  Db& db_;
};

// Records that the finding became problem `problem_id`, inside the problem's transaction; kConflict
// when it already became one (a double click).
Status LinkFinding(soci::session& sql, int64_t finding_id, int64_t problem_id);

}  // namespace kp::store
