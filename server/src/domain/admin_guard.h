#pragma once
// The one rule about the set of users as a whole: the system keeps at least one enabled admin.
// Without one nobody can manage users, settings or imports again (short of the command line).
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace kp {

// Whether changing user `id` to (role, disabled) leaves an enabled admin among `users` (all
// users as stored now). kInvalidArgument naming the field ("role" or "disabled") when not.
Status KeepsAnEnabledAdmin(const std::vector<User>& users, int64_t id, Role role, bool disabled);

}  // namespace kp
