#pragma once
// Investment attraction (产业招商, issue 12 §4): 招商 staff follow leads through 线索 → 洽谈 → 签约, a
// signed lead becomes a register project in one action (落地), and 开工 / 投产 follow that project
// (FollowProject). Carriers (载体) are matched to a lead's needs. Who may do what:
//   the bureau (admin) sees and edits every lead and writes carriers; 招商 staff (investment) see and
//   edit only the leads they follow; leaders read everything; other roles have no access (the routes).
// Leads are read from the database on each call (a county has hundreds, not millions).
// Thread-safety: every method may be called concurrently.
#include <optional>
#include <string>
#include <vector>

#include "domain/lead_model.h"
#include "domain/register.h"
#include "stats/carrier_match.h"
#include "stats/lead_stats.h"
#include "store/lead_store.h"

namespace kp {

struct LeadFilter {
  std::optional<LeadStage> stage;  // the stage today (followed)
  std::string industry, staff, text;  // text: in name, investor or contact
};

// What a conversion adds to the lead's own fields (optional: a code is made from the lead's id).
struct ConvertInput {
  int version = 0;
  std::string code, unit, person, leader;
  std::optional<Level> level;
  std::optional<int64_t> region_id;
  std::optional<Date> on, planned_start, planned_end;
};

class Leads {
 public:
  Leads(store::Store& store, Register& reg) : store_(store.db()), users_(store), reg_(reg) {}

  static bool Sees(const User& u, const Lead& l);
  static bool MayEdit(const User& u, const Lead& l);
  // The hand moves `u` may make on l now (talks, signed) and whether it may convert it.
  static std::vector<std::string> Moves(const User& u, const Lead& l);

  Result<Lead> Create(Lead l, const User& u, const Actor& by);
  // The lead's own fields (not its stage); a converted lead is the project's now: kConflict.
  Result<Lead> Update(const Lead& l, const User& u, const Actor& by);
  // A hand move: 线索 → 洽谈 → 签约, one step forward, dated `on` (default today). 落地 is Convert;
  // 开工 and 投产 follow the project. Anything else is kConflict naming the stage.
  Result<Lead> Move(int64_t id, int version, LeadStage to, std::optional<Date> on, const std::string& note,
                    const User& u, const Actor& by);
  // The signed lead becomes a register project carrying its fields, in one transaction with the
  // lead's 落地; the second conversion of one lead is kConflict and creates nothing.
  struct Converted {
    Lead lead;
    Project project;
  };
  Result<Converted> Convert(int64_t id, const ConvertInput& in, const User& u, const Actor& by);

  // The lead if `u` may see it (else kNotFound, as if absent).
  Result<Lead> Get(int64_t id, const User& u);
  Result<std::vector<LeadEvent>> Events(int64_t id) { return store_.Events(id); }
  Result<std::vector<Lead>> List(const LeadFilter& f, const User& u);
  // The funnel over the leads `u` sees.
  Result<stats::LeadStats> Stats(const stats::LeadQuery& q, const User& u);

  Result<std::vector<Carrier>> Carriers() { return store_.Carriers(); }
  Result<Carrier> SaveCarrier(const Carrier& c, const Actor& by);
  // Ranked carriers for a lead (stats/carrier_match.h): the carriers are copied into `keep`.
  Result<std::vector<stats::CarrierMatch>> Matches(const Lead& l, size_t limit, std::vector<Carrier>& keep);
  // Leads and carriers written as given (the demo).
  Result<std::vector<int64_t>> InsertAll(const std::vector<Lead>& rows, const Actor& by) { return store_.InsertAll(rows, by); }

 private:
  Status Check(const Lead& l);
  Status CheckStaff(const std::string& login);

  store::LeadStore store_;
  store::Store& users_;
  Register& reg_;
};

}  // namespace kp
