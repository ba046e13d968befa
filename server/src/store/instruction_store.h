#pragma once
// SQL of leaders' instructions (instructions) over the store's shared connection (db.h).
// Each write is one transaction with its audit entry and the bell notifications it sends.
#include <vector>

#include "common/status.h"
#include "domain/instruction_model.h"
#include "domain/model.h"

namespace kp::store {

class Db;

class InstructionStore {
 public:
  explicit InstructionStore(Db& db) : db_(db) {}
  // Inserts the instruction and the notifications (same transaction; "{id}" in a notification's dedupe key
  // becomes the new id); returns it with id and time.
  Result<Instruction> Give(const Instruction& in, const std::vector<Notification>& bell, const Actor& by);
  Result<Instruction> Get(int64_t id);
  // A project's instructions, newest first.
  Result<std::vector<Instruction>> OfProject(int64_t project_id);
  // Open (unanswered) instructions per project id, for the given projects (all when empty).
  Result<std::vector<Instruction>> Open();
  // Records the answer when the stored version is `version` and it is not answered yet (else kConflict);
  // sends `bell` in the same transaction.
  Result<Instruction> Answer(int64_t id, int64_t version, const std::string& answer, const std::vector<Notification>& bell,
                             const Actor& by);

 private:
  Db& db_;
};

}  // namespace kp::store
