#pragma once
// The tamper-evident audit log. Every entry stores hash = SHA-256(previous entry's hash, its own
// fields); the chain's head (entry count, last id, last hash) is kept in one row that every
// append updates in the same transaction as the insert. Changing, deleting or reordering an
// entry directly in the database breaks the chain at that entry (or, for the last entries, at
// the head); VerifyAuditChain finds the first break.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "domain/model.h"

namespace kp::store {

class Store;

// The migration that added the hash column: rows older than it are hashed when it is applied.
inline constexpr int kAuditChainMigration = 4;

// Lower-case hex SHA-256 of prev_hash and the entry's fields (not its id), each length-prefixed
// so no two different entries share an encoding. The first entry's prev_hash is "".
std::string AuditEntryHash(const std::string& prev_hash, const AuditEntry& e);

struct AuditChainHead {
  int64_t entries = 0;
  int64_t last_id = 0;
  std::string last_hash;
};

struct AuditVerification {
  bool intact = true;
  int64_t entries = 0;
  std::string last_hash;              // of the last entry read (the chain's fingerprint when intact)
  std::optional<int64_t> first_bad_id;  // the first entry whose hash does not follow (0: the log ends early)
  std::string reason;
};

// Walks the log in id order against the head. Reads only.
Result<AuditVerification> VerifyAuditChain(Store& store);

}  // namespace kp::store
