#include "domain/admin_guard.h"
#include "domain/auth.h"

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

namespace kp {

// A login is 1–64 of a-z A-Z 0-9 _ - . @: each range's ends and the characters just outside them.
TEST(LoginShape, TakesTheLettersDigitsAndFourMarksAndNothingElse) {
  for (const std::string& ok : std::vector<std::string>{"a", "z", "A", "Z", "0", "9", "_", "-", ".", "@", "admin", "Zhang.San-01@xx_y"}) {
    EXPECT_TRUE(AuthService::IsWellFormedLogin(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{"", "`", "{", "@[", "/", ":", "a b", "a!", "a/b", "a:b", "a`b", "a{b", "a[b", "a\\b",
                                "张三", std::string("a\0b", 3), "a\tb", "a,b", "a+b", "a#b"}) {
    EXPECT_FALSE(AuthService::IsWellFormedLogin(bad)) << bad;
  }
  EXPECT_TRUE(AuthService::IsWellFormedLogin(std::string(AuthService::kMaxLoginLength, 'x')));
  EXPECT_FALSE(AuthService::IsWellFormedLogin(std::string(AuthService::kMaxLoginLength + 1, 'x')));
  // The audit keeps a well-formed login as typed, anything else as a digest.
  EXPECT_EQ(AuthService::LoginForAudit("admin"), "admin");
  EXPECT_TRUE(AuthService::LoginForAudit("a b").starts_with("(invalid login ")) << AuthService::LoginForAudit("a b");
}

}  // namespace kp
