#pragma once
// The operations verbs: backup, restore and audit verify. Each returns the process exit code.
#include <string>

namespace kp::app {

// Exit code of `audit verify` when the log is not intact.
inline constexpr int kExitAuditBroken = 4;

int RunBackup(const std::string& db, const std::string& output);
int RunRestore(const std::string& db, const std::string& file);
int RunAuditVerify(const std::string& db);

}  // namespace kp::app
