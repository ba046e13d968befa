#pragma once
// On-site supervision (现场督导, PRACTICES.md §4): visits with their stops and findings, a finding
// turned into a problem (source 现场督导) in one transaction, and the period's figures.
// Thread-safety: every method may be called concurrently.
#include <optional>
#include <vector>

#include "domain/problems.h"
#include "domain/register.h"
#include "stats/visit_stats.h"
#include "store/visit_store.h"

namespace kp {

class Supervision {
 public:
  Supervision(store::Store& store, Register& reg, Problems& problems)
      : visits_(store.db()), reg_(reg), problems_(problems) {}

  // Visits starting within [from, to]; a department or owner sees those that stopped at its
  // projects, with only those stops.
  Result<std::vector<Visit>> List(const std::optional<Date>& from, const std::optional<Date>& to, const User& user);
  Result<Visit> Get(int64_t id, const User& user);
  // id 0 creates; else replaces at v.version. Findings are matched by id (one without an id is new,
  // an id not of this visit is refused); a finding that became a problem keeps its id and problem,
  // and may be neither dropped (nor its stop) nor moved to another project: kConflict naming it.
  Result<Visit> Save(const Visit& v, const Actor& by);
  // The finding becomes a problem of its stop's project (source 现场督导, linked to the visit);
  // kConflict when it already did.
  Result<Problem> FindingToProblem(int64_t visit_id, int64_t finding_id, const std::optional<std::string>& lead_unit,
                                   const std::optional<Date>& deadline, const User& user, const Actor& by);
  Problems& problems() { return problems_; }
  // The period's figures over the projects of `levels` within the user's scope (a department its
  // unit's, an owner its own): only their stops count, a visit counts when it stopped at one, and
  // coverage is of those projects with a plan in from's year.
  Result<stats::VisitFigures> Figures(const Date& from, const Date& to, const std::vector<Level>& levels, const User& user);

 private:
  Status Check(const Visit& v);
  // The edit rule above, against the visit as stored (runs in the replacing transaction).
  Status KeepsItsProblems(const Visit& before, const Visit& after);
  bool SeesStop(const User& user, int64_t project_id);

  store::VisitStore visits_;
  Register& reg_;
  Problems& problems_;
};

}  // namespace kp
