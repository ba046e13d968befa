#include "app/ops_commands.h"

#include <iostream>

#include "store/audit_chain.h"
#include "store/backup.h"
#include "store/store.h"

namespace kp::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitBadInput = 3;

int Fail(const Status& s) {
  std::cerr << "错误: " << s.message() << "\n";
  return s.code() == ErrorCode::kInvalidArgument || s.code() == ErrorCode::kConflict ||
                 s.code() == ErrorCode::kNotFound
             ? kExitBadInput
             : kExitError;
}

// Opens and migrates the database (every verb applies the migrations).
Result<std::unique_ptr<store::Store>> OpenMigrated(const std::string& db) {
  auto store = store::Store::Open(db);
  if (!store.ok()) return store.status();
  if (Status s = (*store)->Migrate(); !s.ok()) return s;
  return std::move(*store);
}

// Prints the verification; true when intact.
bool PrintVerification(const store::AuditVerification& v) {
  if (v.intact) {
    std::cout << "审计日志完整 (audit log intact): " << v.entries << " 条 (entries), 末条哈希 (last hash) "
              << (v.last_hash.empty() ? "-" : v.last_hash) << "\n";
    return true;
  }
  std::cerr << "审计日志被篡改 (audit log tampered): 第一条问题条目 (first bad entry) ";
  if (*v.first_bad_id > 0) {
    std::cerr << "id=" << *v.first_bad_id;
  } else {
    std::cerr << "after the last one";
  }
  std::cerr << " — " << v.reason << "\n"
            << "此前 " << v.entries << " 条完好 (entries before it are intact)\n";
  return false;
}

}  // namespace

int RunBackup(const std::string& db, const std::string& output) {
  {
    // Migrate first, so that a backup is always of the current schema.
    auto store = OpenMigrated(db);
    if (!store.ok()) return Fail(store.status());
  }
  if (Status s = store::BackupDatabase(db, output); !s.ok()) return Fail(s);
  std::cout << "已备份 (backed up): " << output << "\n";
  return kExitOk;
}

int RunRestore(const std::string& db, const std::string& file) {
  if (Status s = store::RestoreDatabase(file, db); !s.ok()) return Fail(s);
  auto store = OpenMigrated(db);  // a backup of an older version is brought up to date
  if (!store.ok()) return Fail(store.status());
  std::cout << "已恢复 (restored): " << file << " → " << db << "\n";
  auto v = store::VerifyAuditChain(**store);
  if (!v.ok()) return Fail(v.status());
  return PrintVerification(*v) ? kExitOk : kExitAuditBroken;
}

int RunAuditVerify(const std::string& db) {
  auto store = OpenMigrated(db);
  if (!store.ok()) return Fail(store.status());
  auto v = store::VerifyAuditChain(**store);
  if (!v.ok()) return Fail(v.status());
  return PrintVerification(*v) ? kExitOk : kExitAuditBroken;
}

}  // namespace kp::app
