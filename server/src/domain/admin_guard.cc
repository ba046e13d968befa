#include "domain/admin_guard.h"

namespace kp {

Status KeepsAnEnabledAdmin(const std::vector<User>& users, int64_t id, Role role, bool disabled) {
  bool was_admin = false;
  int others = 0;
  for (const User& u : users) {
    if (u.id == id) {
      was_admin = u.role == Role::kAdmin && !u.disabled;
    } else if (u.role == Role::kAdmin && !u.disabled) {
      ++others;
    }
  }
  if (!was_admin || others > 0 || (role == Role::kAdmin && !disabled)) return Status::Ok();
  if (role != Role::kAdmin) {
    return InvalidArgument("这是唯一的管理员，不能改为其他角色 (the only admin cannot give up the admin role)", "role");
  }
  return InvalidArgument("这是唯一的管理员，不能停用 (the only admin cannot be disabled)", "disabled");
}

}  // namespace kp
