#pragma once
// Saving a JSON setting (a rule, a scheme, a score sheet) with its audit entry, where the entry's
// `before` is exactly what the write replaced, even with other writers in other processes.
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace kp {

// Reads `key`, turns what is stored (or nothing) into the audit's before JSON with `before_of`, and
// writes `after` only if the key is still as read; when another writer came between, reads again
// (a few times, then kConflict). `e` is the entry without before/after.
Status SaveAuditedSetting(store::Store& store, const std::string& key, const std::string& after, AuditEntry e,
                          const std::function<Result<std::string>(const std::optional<std::string>& stored)>& before_of);

}  // namespace kp
