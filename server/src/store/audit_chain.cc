#include "store/audit_chain.h"

#include <sodium.h>

#include "store/store.h"

namespace kp::store {
namespace {

constexpr const char* kHashVersion = "kp-audit-v1";

void AppendField(std::string& out, const std::optional<std::string>& v) {
  if (!v) {
    out += "-\n";
    return;
  }
  out += std::to_string(v->size());
  out += ':';
  out += *v;
  out += '\n';
}

}  // namespace

std::string AuditEntryHash(const std::string& prev_hash, const AuditEntry& e) {
  std::string text = kHashVersion;
  text += '\n';
  for (const std::string* f : {&prev_hash, &e.at, &e.actor, &e.ip, &e.action, &e.entity, &e.entity_id}) {
    AppendField(text, *f);
  }
  AppendField(text, e.before_json);
  AppendField(text, e.after_json);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<AuditVerification> VerifyAuditChain(Store& store) {
  AuditVerification v;
  std::string prev;
  int64_t last_id = 0;
  AuditChainHead head;
  Status s = store.ScanAuditChain(
      [&](const AuditEntry& e, const std::string& hash) {
        if (!v.intact) return;
        if (hash != AuditEntryHash(prev, e)) {
          v.intact = false;
          v.first_bad_id = e.id;
          v.reason = "哈希与链不符：该条被修改，或其前一条被删除或调换 (hash does not follow the chain: this entry was "
                     "changed, or the one before it deleted or moved)";
          return;
        }
        ++v.entries;
        prev = hash;
        last_id = e.id;
        v.last_hash = hash;
      },
      &head);
  if (!s.ok()) return s;
  if (!v.intact) return v;
  if (head.entries != v.entries || head.last_id != last_id || head.last_hash != prev) {
    v.intact = false;
    v.first_bad_id = 0;
    v.reason = "日志与链头不符：末尾的条目被删除或链头被改 (the log does not end where the chain head says: head " +
               std::to_string(head.entries) + " entries, last id " + std::to_string(head.last_id) + "; found " +
               std::to_string(v.entries) + ", last id " + std::to_string(last_id) + ")";
  }
  return v;
}

}  // namespace kp::store
