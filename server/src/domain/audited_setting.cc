#include "domain/audited_setting.h"

namespace kp {

Status SaveAuditedSettings(store::Store& store, const std::vector<std::pair<std::string, std::string>>& values,
                           const std::vector<std::string>& read_keys, const std::string& after, AuditEntry e,
                           const std::function<Result<std::string>(const StoredSettings& stored)>& before_of) {
  constexpr int kTries = 8;
  Status last = Status::Ok();
  for (int i = 0; i < kTries; ++i) {
    StoredSettings stored;
    for (const auto& key : read_keys) {
      auto v = store.GetSetting(key);
      if (!v.ok()) return v.status();
      stored[key] = *v;
    }
    auto before = before_of(stored);
    if (!before.ok()) return before.status();
    e.before_json = *before;
    e.after_json = after;
    last = store.SetSettingsIf(values, stored, e);
    if (last.code() != ErrorCode::kConflict) return last;
  }
  return last;
}

Status SaveAuditedSetting(store::Store& store, const std::string& key, const std::string& after, AuditEntry e,
                          const std::function<Result<std::string>(const std::optional<std::string>& stored)>& before_of) {
  return SaveAuditedSettings(store, {{key, after}}, {key}, after, std::move(e),
                             [&](const StoredSettings& stored) { return before_of(stored.at(key)); });
}

}  // namespace kp
