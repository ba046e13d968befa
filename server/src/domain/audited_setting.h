#pragma once
// Saving settings (a rule, a scheme, a score sheet, the general settings) with their audit entry,
// where the entry's `before` is exactly what the write replaced, even with other writers in other
// processes: read, build the entry, write only if nothing read has changed since (else read again).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace kp {

// Stored settings by key (nullopt: not stored), as read for a `before`.
using StoredSettings = std::map<std::string, std::optional<std::string>>;

// Reads `read_keys`, turns them into the audit's before JSON with `before_of`, and writes `values` only
// if those keys are still as read; when another writer came between, reads again (a few times, then
// kConflict). `e` is the entry without before/after; `after` its after JSON.
Status SaveAuditedSettings(store::Store& store, const std::vector<std::pair<std::string, std::string>>& values,
                           const std::vector<std::string>& read_keys, const std::string& after, AuditEntry e,
                           const std::function<Result<std::string>(const StoredSettings& stored)>& before_of);

// One JSON setting under `key`, its value being its after JSON.
Status SaveAuditedSetting(store::Store& store, const std::string& key, const std::string& after, AuditEntry e,
                          const std::function<Result<std::string>(const std::optional<std::string>& stored)>& before_of);

}  // namespace kp
