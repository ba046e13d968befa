#include "domain/audited_setting.h"

namespace kp {

Status SaveAuditedSetting(store::Store& store, const std::string& key, const std::string& after, AuditEntry e,
                          const std::function<Result<std::string>(const std::optional<std::string>& stored)>& before_of) {
  constexpr int kTries = 8;
  Status last = Status::Ok();
  for (int i = 0; i < kTries; ++i) {
    auto stored = store.GetSetting(key);
    if (!stored.ok()) return stored.status();
    auto before = before_of(*stored);
    if (!before.ok()) return before.status();
    e.before_json = *before;
    e.after_json = after;
    last = store.SetSettingIf(key, *stored, after, e);
    if (last.code() != ErrorCode::kConflict) return last;
  }
  return last;
}

}  // namespace kp
