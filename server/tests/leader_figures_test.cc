// The per-project figures of the leaders' page: problems and financing per project (the same counting as
// the problem figures and the funnel), a leader's projects and each project's next node.
#include <gtest/gtest.h>

#include "store/store.h"
#include "stats/financing_stats.h"
#include "stats/problem_stats.h"
#include "stats/stats_engine.h"

namespace kp::stats {
namespace {

int32_t Day(int y, int m, int d) { return DayNumber(Date{y, m, d}); }

TEST(ProblemsOfProjects, CountsEachProjectsProblemsAsOfTheDay) {
  ProblemSet set;
  auto add = [&](int64_t project, int32_t raised, int32_t deadline, int32_t closed, int32_t escalated_on) {
    ProblemFacts f;
    f.project_id = project;
    f.raised = raised;
    f.deadline = deadline;
    f.closed = closed;
    f.escalated_on = escalated_on;
    set.items.push_back(f);
  };
  add(1, Day(2024, 1, 10), Day(2024, 2, 1), kNoDay, Day(2024, 3, 31));  // open, overdue, escalated on the day
  add(1, Day(2024, 1, 10), Day(2024, 5, 1), kNoDay, kNoDay);             // open, not yet due
  add(1, Day(2024, 1, 10), Day(2024, 2, 1), Day(2024, 3, 31), kNoDay);   // closed on the day: not open
  add(1, Day(2024, 4, 1), kNoDay, kNoDay, Day(2024, 4, 9));              // raised after the day: not counted
  add(2, Day(2024, 2, 1), Day(2024, 3, 1), Day(2024, 4, 2), Day(2024, 3, 8));  // closed after the day: open then
  add(2, Day(2024, 2, 1), Day(2024, 3, 1), kNoDay, Day(2024, 4, 1));     // escalated after the day: not yet
  add(3, Day(2024, 2, 1), kNoDay, kNoDay, kNoDay);                       // another project's
  auto got = ProblemsOfProjects(set, {2, 1, 9}, Date{2024, 3, 31});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].key, "1");
  EXPECT_EQ(got[1].raised, 3);
  EXPECT_EQ(got[1].open, 2);
  EXPECT_EQ(got[1].overdue, 1);
  EXPECT_EQ(got[1].escalated, 1);
  EXPECT_EQ(got[1].closed, 1);
  EXPECT_EQ(got[0].open, 2);
  EXPECT_EQ(got[0].overdue, 2);
  EXPECT_EQ(got[0].escalated, 1);
  EXPECT_EQ(got[2].raised, 0);
  EXPECT_EQ(got[2].open, 0);
}

TEST(FinancingOfProjects, SumsDemandsCreditAndLoansDatedByTheDayAndTakesTheFurthestStage) {
  FinancingSet set;
  set.banks = {"国家开发银行", "农商银行"};
  auto demand = [&](int64_t project, int32_t registered, FinancingStage stage, int64_t amount) -> FinancingFacts& {
    FinancingFacts f;
    f.project_id = project;
    f.registered = registered;
    f.stage = stage;
    f.amount = amount;
    set.items.push_back(f);
    return set.items.back();
  };
  // Project 1: one demand credited on the last day and lent the next day; one rejected; one registered later.
  {
    FinancingFacts& a = demand(1, Day(2024, 1, 5), FinancingStage::kDisbursed, 50'000'000);
    PushFacts p;
    p.bank = 0;
    p.pushed = Day(2024, 2, 1);
    p.answered = Day(2024, 2, 10);
    p.answer = 1;
    p.credit_on = Day(2024, 3, 31);
    p.credit = 30'000'000;
    p.loans = {{Day(2024, 4, 1), 10'000'000}};
    a.pushes.push_back(p);
  }
  demand(1, Day(2024, 1, 6), FinancingStage::kRejected, 7'000'000);
  demand(1, Day(2024, 4, 6), FinancingStage::kRegistered, 9'000'000);
  // Project 2: only rejected.
  demand(2, Day(2024, 1, 6), FinancingStage::kRejected, 1'000'000);
  auto got = FinancingOfProjects(set, {1, 2, 3}, Date{2024, 3, 31});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].demands, 2);
  EXPECT_EQ(got[0].figures.demand.yuan, 57'000'000);
  EXPECT_EQ(got[0].figures.credit.yuan, 30'000'000);  // granted on the month's last day: counts
  EXPECT_EQ(got[0].figures.disbursed.yuan, 0);        // lent the day after: not yet
  ASSERT_TRUE(got[0].stage.has_value());
  EXPECT_EQ(*got[0].stage, FinancingStage::kCredited);
  EXPECT_EQ(*got[1].stage, FinancingStage::kRejected);
  EXPECT_EQ(got[2].demands, 0);
  EXPECT_FALSE(got[2].stage.has_value());
  auto april = FinancingOfProjects(set, {1}, Date{2024, 4, 30});
  EXPECT_EQ(april[0].demands, 3);
  EXPECT_EQ(april[0].figures.disbursed.yuan, 10'000'000);
  EXPECT_EQ(*april[0].stage, FinancingStage::kDisbursed);
}

TEST(LeaderProjects, AreThoseItChairsAndEachHasItsNextNode) {
  store::StatsSource src;
  for (int64_t id : {1, 2, 3}) {
    Project p;
    p.id = id;
    p.code = "P" + std::to_string(id);
    p.name = "项目" + std::to_string(id);
    p.leader = id == 2 ? "李明" : "王建国";
    src.projects.push_back(p);
  }
  auto node = [&](int64_t project, int seq, const char* name, Date planned, std::optional<Date> actual) {
    ProjectNode n;
    n.project_id = project;
    n.seq = seq;
    n.name = name;
    n.planned = planned;
    n.actual = actual;
    src.nodes.push_back(n);
  };
  node(1, 1, "开工", Date{2024, 2, 1}, std::nullopt);            // overdue: not next
  node(1, 2, "主体完工", Date{2024, 6, 1}, std::nullopt);
  node(1, 3, "基础完工", Date{2024, 3, 31}, std::nullopt);       // due on the day: next
  node(3, 1, "竣工验收", Date{2024, 5, 1}, Date{2024, 3, 20});  // done: no next
  StatsEngine engine;
  engine.Rebuild(src);
  EXPECT_EQ(engine.IdsOfLeader("王建国"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(engine.IdsOfLeader("李明"), (std::vector<int64_t>{2}));
  EXPECT_TRUE(engine.IdsOfLeader("").empty());
  EXPECT_TRUE(engine.IdsOfLeader("赵敏").empty());
  auto next = engine.NextNodes({1, 3, 2, 99}, Date{2024, 3, 31});
  ASSERT_TRUE(next[0].has_value());
  EXPECT_EQ(next[0]->name, "基础完工");
  EXPECT_EQ(next[0]->planned, (Date{2024, 3, 31}));
  EXPECT_FALSE(next[1].has_value());
  EXPECT_FALSE(next[2].has_value());
  EXPECT_FALSE(next[3].has_value());
  EXPECT_EQ(engine.NextNodes({1}, Date{2024, 4, 1})[0]->name, "主体完工");
}

}  // namespace
}  // namespace kp::stats
