#include "domain/admin_guard.h"

#include <gtest/gtest.h>

namespace kp {
namespace {

User Make(int64_t id, Role role, bool disabled = false) {
  User u;
  u.id = id;
  u.role = role;
  u.disabled = disabled;
  return u;
}

}  // namespace

TEST(KeepsAnEnabledAdmin, RefusesToDemoteOrDisableTheOnlyAdmin) {
  std::vector<User> users = {Make(1, Role::kAdmin), Make(2, Role::kLeader), Make(3, Role::kAdmin, true)};
  Status demote = KeepsAnEnabledAdmin(users, 1, Role::kLeader, false);
  EXPECT_FALSE(demote.ok());
  EXPECT_EQ(demote.field(), "role");
  Status disable = KeepsAnEnabledAdmin(users, 1, Role::kAdmin, true);
  EXPECT_FALSE(disable.ok());
  EXPECT_EQ(disable.field(), "disabled");
}

TEST(KeepsAnEnabledAdmin, AllowsItWhenAnotherEnabledAdminRemains) {
  std::vector<User> users = {Make(1, Role::kAdmin), Make(2, Role::kAdmin)};
  EXPECT_TRUE(KeepsAnEnabledAdmin(users, 1, Role::kLeader, false).ok());
  EXPECT_TRUE(KeepsAnEnabledAdmin(users, 1, Role::kAdmin, true).ok());
}

TEST(KeepsAnEnabledAdmin, LeavesChangesToOtherUsersAlone) {
  std::vector<User> users = {Make(1, Role::kAdmin), Make(2, Role::kLeader)};
  EXPECT_TRUE(KeepsAnEnabledAdmin(users, 2, Role::kAuditor, true).ok());
  EXPECT_TRUE(KeepsAnEnabledAdmin(users, 1, Role::kAdmin, false).ok());
}

}  // namespace kp
