#pragma once
// SQL of financing demands (融资对接): demands, their pushes to banks with each bank's answer, the
// disbursements, and the append-only event log, over the store's shared connection (db.h).
// Thread-safety: as the Store.
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/financing_model.h"
#include "domain/model.h"

namespace kp::store {

class Db;

class FinancingStore {
 public:
  explicit FinancingStore(Db& db) : db_(db) {}

  // A new demand (pushes ignored) with its first event.
  Result<FinancingDemand> Insert(const FinancingDemand& d, FinancingEvent e, const Actor& by);
  Result<FinancingDemand> Get(int64_t id);
  // Writes `after` over the stored demand when the stored version is after.version (else
  // kConflict): its fields and stage; pushes with id 0 are added (a bank already pushed is
  // kAlreadyExists), pushes with an id are replaced at their version; disbursements with id 0 are
  // added. The events are appended. Returns the stored demand.
  Result<FinancingDemand> Save(const FinancingDemand& after, std::vector<FinancingEvent> events, const Actor& by);
  // Demands (with pushes and disbursements) inserted all at once with an import event each, in one
  // transaction. skip_existing: a demand already stored (same project, kind, amount and 登记日期)
  // is left out, inside the transaction, so two imports of one file add it once. Returns the ids
  // written.
  Result<std::vector<int64_t>> InsertAll(const std::vector<FinancingDemand>& rows, const Actor& by,
                                         bool skip_existing = false);
  Result<std::vector<FinancingEvent>> Events(int64_t demand_id);
  // Demands touched by events after `after` (every demand when 0), and the latest event id.
  Result<std::vector<FinancingDemand>> LoadSince(int64_t after, int64_t* last);
  Result<int64_t> LastEventId();

 private:
  Db& db_;
};

}  // namespace kp::store
