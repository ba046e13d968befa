#pragma once
// SQL of investment attraction (产业招商): leads with their dated stages and append-only
// lead_events, the link to the register project a signed lead became, and the parks' carriers.
// Thread-safety: as the Store.
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/lead_model.h"
#include "domain/model.h"
#include "store/store.h"

namespace kp::store {

class Db;

class LeadStore {
 public:
  explicit LeadStore(Db& db) : db_(db) {}

  // A new lead with its first event; returns it as stored.
  Result<Lead> Insert(const Lead& l, LeadEvent e, const Actor& by);
  // A lead with its project's progress when converted.
  Result<Lead> Get(int64_t id);
  // Every lead (staff: only that login's), in id order, with their projects' progress.
  Result<std::vector<Lead>> List(const std::string& staff = "");
  // Writes `after`'s fields, stage and dates when the stored version is after.version (else
  // kConflict, naming the versions); appends the event when its action is set.
  Result<Lead> Save(const Lead& after, const LeadEvent& e, const Actor& by);
  // The SQL a conversion runs inside the project's transaction (Store::CreateProject): the lead,
  // still 签约, unconverted and at `version`, becomes 落地 on `on` with the project's id, and the
  // event is appended. A second conversion (a double click, another server) finds it converted: kConflict.
  Store::ProjectHook ConvertHook(int64_t lead_id, int version, Date on, const Actor& by);
  // Leads written as given (stages, dates, project links), an event per dated stage: the demo.
  Result<std::vector<int64_t>> InsertAll(const std::vector<Lead>& rows, const Actor& by);
  Result<std::vector<LeadEvent>> Events(int64_t lead_id);

  Result<std::vector<Carrier>> Carriers();
  Result<Carrier> GetCarrier(int64_t id);
  // id 0: a new carrier; else replaces it at its version (else kConflict). (park, parcel) is unique.
  Result<Carrier> SaveCarrier(const Carrier& c, const Actor& by);

 private:
  Db& db_;
};

}  // namespace kp::store
