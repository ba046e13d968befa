// 领导批示: who gives and who answers (a table over every role, with and without the project's units), the
// service refusing an answer from anyone else even when a route would let it through (nothing written), and
// the bell: who hears of an instruction and of its answer, and its text cut at 40 characters with "…".
#include "domain/instructions.h"

#include <gtest/gtest.h>

#include "store/db.h"
#include "store/reminder_store.h"
#include "test_db.h"

namespace kp {
namespace {

User UserOf(const std::string& login, Role role, const std::string& unit = "") {
  User u;
  u.login = login;
  u.display_name = "用户" + login;
  u.role = role;
  u.unit = unit;
  return u;
}

Project ProjectOf(const std::string& owner, const std::string& unit) {
  Project p;
  p.code = "I-1";
  p.name = "批示项目";
  p.owner = owner;
  p.unit = unit;
  return p;
}

TEST(InstructionRoles, LeadersAndTheBureauGiveTheOwnerTheUnitAndTheBureauAnswer) {
  const Project p = ProjectOf("甲公司", "县住建局");
  struct Row {
    User user;
    bool gives, answers;
  };
  const std::vector<Row> table = {
      {UserOf("ju", Role::kAdmin), true, true},
      {UserOf("ld", Role::kLeader), true, false},
      {UserOf("yz", Role::kOwner, "甲公司"), false, true},
      {UserOf("yz2", Role::kOwner, "乙公司"), false, false},
      {UserOf("yz3", Role::kOwner, "县住建局"), false, false},  // the unit's name as an owner: not the owner
      {UserOf("bm", Role::kDepartment, "县住建局"), false, true},
      {UserOf("bm2", Role::kDepartment, "县交通局"), false, false},
      {UserOf("bm3", Role::kDepartment, "甲公司"), false, false},  // the owner's name as a department: not the unit
      {UserOf("bm4", Role::kDepartment, ""), false, false},
      {UserOf("yh", Role::kBank, "县住建局"), false, false},
      {UserOf("sj", Role::kAuditor), false, false},
      {UserOf("zs", Role::kInvestment, "甲公司"), false, false},
  };
  for (const Row& r : table) {
    EXPECT_EQ(Instructions::MayGive(r.user), r.gives) << r.user.login;
    EXPECT_EQ(Instructions::MayAnswer(r.user, p), r.answers) << r.user.login;
  }
  // A project without an owner or unit is answered by no one with an empty unit.
  const Project bare = ProjectOf("", "");
  EXPECT_FALSE(Instructions::MayAnswer(UserOf("yz4", Role::kOwner, ""), bare));
  EXPECT_FALSE(Instructions::MayAnswer(UserOf("bm5", Role::kDepartment, ""), bare));
  EXPECT_TRUE(Instructions::MayAnswer(UserOf("ju", Role::kAdmin), bare));
}

class InstructionsTest : public testing::DbTest {
 protected:
  User Add(const std::string& login, Role role, const std::string& unit = "") {
    User u = UserOf(login, role, unit);
    u.password_hash = "x";
    auto out = store_->CreateUser(u, "t");
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : u;
  }
  std::vector<Notification> Bell(const User& u) {
    auto n = store::ReminderStore(store_->db()).ListNotifications(u.id, false, 50);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : std::vector<Notification>{};
  }
};

TEST_P(InstructionsTest, OnlyTheOwnerTheUnitOrTheBureauAnswerAndTheBellCarriesFortyCharacters) {
  Project p = ProjectOf("甲公司", "县住建局");
  p.level = Level::kCounty;
  p.industry = "制造";
  p.status = "在建";
  p.total_investment = Money::FromWan(100);
  auto made = reg_->CreateProject(p, "t");
  ASSERT_TRUE(made.ok()) << made.status().message();
  const User leader = Add("ld", Role::kLeader), owner = Add("yz", Role::kOwner, "甲公司"),
             dept = Add("bm", Role::kDepartment, "县住建局"), other = Add("bm2", Role::kDepartment, "县交通局"),
             bank = Add("yh", Role::kBank, "县住建局"), admin = Add("ju", Role::kAdmin);
  Instructions service(*store_, *reg_);

  // Forty characters and one more: the bell carries the forty and "…".
  // It starts and ends with a one-byte character: the cut counts characters, not bytes, from the first.
  std::string forty = "3月底前解决施工用电问题";  // 12
  for (int i = 0; i < 27; ++i) forty += "电";
  forty += "A";
  EXPECT_EQ(service.Give(*made, forty, owner, "yz").status().code(), ErrorCode::kPermissionDenied);
  auto given = service.Give(*made, forty + "B", leader, "ld");
  ASSERT_TRUE(given.ok()) << given.status().message();
  // The owner and the unit's department hear of it; not the giver, the bureau, another unit or a bank.
  ASSERT_EQ(Bell(owner).size(), 1u);
  EXPECT_EQ(Bell(owner)[0].body, "I-1 批示项目：" + forty + "…");
  EXPECT_EQ(Bell(owner)[0].kind, "instruction");
  ASSERT_EQ(Bell(dept).size(), 1u);
  for (const User& u : {leader, other, bank, admin}) EXPECT_TRUE(Bell(u).empty()) << u.login;

  // Answers from anyone but the owner, the unit or the bureau are refused and write nothing.
  for (const User& u : {leader, other, bank}) {
    auto refused = service.Answer(*given, *made, given->version, "已解决", u, u.login);
    ASSERT_FALSE(refused.ok()) << u.login;
    EXPECT_EQ(refused.status().code(), ErrorCode::kPermissionDenied) << u.login;
  }
  auto still = service.Get(given->id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->version, given->version);
  EXPECT_TRUE(still->answer.empty());
  EXPECT_FALSE(still->answered_at);
  EXPECT_TRUE(Bell(leader).empty());

  // Exactly forty characters are carried whole.
  auto answered = service.Answer(*given, *made, given->version, "  " + forty + "  ", dept, "bm");
  ASSERT_TRUE(answered.ok()) << answered.status().message();
  EXPECT_EQ(answered->answer, forty);
  ASSERT_EQ(Bell(leader).size(), 1u);
  EXPECT_EQ(Bell(leader)[0].body, "I-1 批示项目：" + forty);
  EXPECT_EQ(Bell(leader)[0].kind, "instruction_answered");
}

INSTANTIATE_TEST_SUITE_P(Backends, InstructionsTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
