#include "stats/stats_engine.h"

#include <gtest/gtest.h>

#include "stats/stats_json.h"
#include "stats/stats_query.h"
#include "store/store.h"

namespace kp::stats {
namespace {

// A small fixture register: regions 1 (county) > 2, 3 (towns); projects with plans and reports.
class StatsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    src_.regions = {{1, std::nullopt, "县", "", "", std::nullopt}, {2, 1, "甲镇", "", "", std::nullopt}, {3, 1, "乙镇", "", "", std::nullopt}};
    AddProject(1, Level::kProvincial, 2, "制造", true);
    AddProject(2, Level::kMunicipal, 3, "制造", false);
    AddProject(3, Level::kMunicipal, 3, "水利", false);
    AddProject(4, Level::kCounty, 2, "水利", false);
    Plan(1, 2024, 1000);
    Plan(2, 2024, 3000);
    Plan(3, 2024, 0);  // a zero plan still counts the project
    Plan(4, 2024, 500);
    Plan(1, 2023, 99999);  // other years never count
    Report(1, 2024, 1, 100);
    Report(1, 2024, 3, 200);
    Report(2, 2024, 2, 600);
    Report(2, 2024, 4, 777);  // after the as-of month
    Report(4, 2024, 3, 250);
    Report(1, 2023, 3, 55555);
    engine_.Rebuild(src_);
    engine_.SetRegions(src_.regions, 1);
  }
  void AddProject(int64_t id, Level l, int64_t region, const std::string& industry, bool demo) {
    Project p;
    p.id = id;
    p.code = "P" + std::to_string(id);
    p.level = l;
    p.region_id = region;
    p.industry = industry;
    p.is_demo = demo;
    p.status = "在建";
    src_.projects.push_back(p);
  }
  void Plan(int64_t id, int year, int64_t wan) { src_.plans.push_back({id, year, Money::FromWan(wan)}); }
  void Report(int64_t id, int year, int month, int64_t wan) {
    src_.reports.push_back({id, static_cast<int16_t>(year), static_cast<int8_t>(month), Money::FromWan(wan)});
  }
  StatsResult Q(GroupBy by, std::vector<Level> levels = {}, int month = 3) {
    StatsQuery q;
    q.year = 2024;
    q.month = month;
    q.by = by;
    q.levels = std::move(levels);
    return engine_.Compute(q);
  }
  const GroupFigures* Find(const StatsResult& r, const std::string& key) {
    for (const auto& g : r.groups) {
      if (g.key == key) return &g;
    }
    return nullptr;
  }
  store::StatsSource src_;
  StatsEngine engine_;
};

TEST_F(StatsFixture, TotalCountsOnlyThisYearsPlansAndReportsUpToTheMonth) {
  StatsResult r = Q(GroupBy::kNone);
  EXPECT_EQ(r.total.projects, 4);
  EXPECT_EQ(r.total.plan, Money::FromWan(4500));
  EXPECT_EQ(r.total.completed, Money::FromWan(100 + 200 + 600 + 250));
  EXPECT_EQ(*r.total.completion_pct, Ratio::Of(1150 * 100, 4500));
  EXPECT_EQ(*r.total.ahead_points, Ratio::Of(1150 * 100, 4500) - Ratio::Of(25, 1));
  EXPECT_EQ(r.total.completion_pct->Format(2), "25.56");
  EXPECT_EQ(FormatPoints(*r.total.ahead_points), "+0.6");
}

TEST_F(StatsFixture, ReportsAfterTheAsOfMonthCountOnlyLater) {
  EXPECT_EQ(Q(GroupBy::kNone, {}, 3).total.completed, Money::FromWan(1150));
  EXPECT_EQ(Q(GroupBy::kNone, {}, 4).total.completed, Money::FromWan(1150 + 777));
  EXPECT_EQ(Q(GroupBy::kNone, {}, 1).total.completed, Money::FromWan(100));
}

TEST_F(StatsFixture, FiltersBySetOfLevelsAndGroupsByLevel) {
  StatsResult r = Q(GroupBy::kLevel, {Level::kProvincial, Level::kMunicipal});
  EXPECT_EQ(r.total.projects, 3);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "省重点");  // 30% beats 20%
  EXPECT_EQ(r.groups[0].rank, 1);
  EXPECT_EQ(r.groups[0].completion_pct->Format(2), "30.00");
  EXPECT_EQ(r.groups[1].key, "市重点");
  EXPECT_EQ(r.groups[1].completion_pct->Format(2), "20.00");
  EXPECT_EQ(FormatPoints(*r.groups[1].ahead_points), "-5.0");
  EXPECT_EQ(r.groups[1].spi->Format(2), "0.80");
}

TEST_F(StatsFixture, AZeroPlanGroupHasNoRateAndNoRank) {
  // 水利: project 3 (plan 0) alone in 乙镇? No: group by industry within municipal level only.
  StatsResult r = Q(GroupBy::kIndustry, {Level::kMunicipal});
  const GroupFigures* water = Find(r, "水利");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->projects, 1);
  EXPECT_EQ(water->plan.yuan, 0);
  EXPECT_FALSE(water->completion_pct.has_value());
  EXPECT_FALSE(water->rank.has_value());
  EXPECT_EQ(r.groups.back().key, "水利");  // unranked groups come last
  auto json = StatsResultToJson(r);
  EXPECT_TRUE(json.at("groups").as_array().back().at("completion_rate_pct").is_null());
}

TEST_F(StatsFixture, GroupsByRegionBelowTheHomeRegion) {
  StatsResult r = Q(GroupBy::kRegion);
  ASSERT_EQ(r.groups.size(), 2u);
  const GroupFigures* a = Find(r, "甲镇");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->projects, 2);
  EXPECT_EQ(a->plan, Money::FromWan(1500));
  StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.by = GroupBy::kRegion;
  q.region_depth = 0;  // roll up to the county
  StatsResult up = engine_.Compute(q);
  ASSERT_EQ(up.groups.size(), 1u);
  EXPECT_EQ(up.groups[0].key, "县");
  EXPECT_EQ(up.groups[0].projects, 4);
}

TEST_F(StatsFixture, EqualRatesShareARank) {
  engine_.SetReport(4, {2024, 3}, Money::FromWan(150));  // 甲镇 county project now 30%, like project 1
  StatsResult r = Q(GroupBy::kProject);
  ASSERT_GE(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].rank, 1);
  EXPECT_EQ(r.groups[1].rank, 1);
  EXPECT_EQ(r.groups[2].rank, 3);
}

TEST_F(StatsFixture, ResubmittingAMonthReplacesItAndNeverDoubleCounts) {
  engine_.SetReport(1, {2024, 3}, Money::FromWan(50));
  engine_.SetReport(1, {2024, 3}, Money::FromWan(50));
  EXPECT_EQ(Q(GroupBy::kNone).total.completed, Money::FromWan(100 + 50 + 600 + 250));
}

TEST_F(StatsFixture, PlanRevisionChangesTheRate) {
  engine_.SetPlan(1, 2024, Money::FromWan(600));
  StatsResult r = Q(GroupBy::kLevel, {Level::kProvincial});
  EXPECT_EQ(r.groups[0].completion_pct->Format(2), "50.00");
}

TEST_F(StatsFixture, DeletedProjectsDropOut) {
  engine_.RemoveProject(2);
  EXPECT_EQ(Q(GroupBy::kNone).total.projects, 3);
}

TEST_F(StatsFixture, AnEmptyYearGivesZerosNotNaN) {
  StatsQuery q;
  q.year = 2030;
  q.month = 6;
  StatsResult r = engine_.Compute(q);
  EXPECT_EQ(r.total.projects, 0);
  EXPECT_FALSE(r.total.completion_pct.has_value());
  EXPECT_TRUE(StatsResultToJson(r).at("total").at("completion_rate_pct").is_null());
}

TEST_F(StatsFixture, DayConventionChangesOnlyTheSchedule) {
  StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.schedule = Schedule::kDay;
  StatsResult r = engine_.Compute(q);
  EXPECT_EQ(r.schedule_pct, Ratio::Of(9100, 366));
  EXPECT_EQ(*r.total.ahead_points, Ratio::Of(115000, 4500) - Ratio::Of(9100, 366));
}

TEST_F(StatsFixture, LatestMonthIsTheLastMonthWithAReport) {
  EXPECT_EQ(engine_.LatestMonth(2024), 4);
  EXPECT_EQ(engine_.LatestMonth(2031), std::nullopt);
}

// The fixture's 2024 reporting, counted by hand: four projects have a 2024 plan; January: P1;
// February: P2; March: P1, P4; April: P2. So 1/4, 1/4, 2/4, 1/4 reported.
HeadlineRule RuleAt(Date today, int threshold_pct) {
  HeadlineRule r;
  r.today = today;
  r.threshold_pct = threshold_pct;
  r.deadline_day = 5;
  return r;
}

TEST_F(StatsFixture, HeadlineMonthIsTheLatestPastDeadlineMonthAtTheThreshold) {
  // March has 2 of 4 = 50 %; April only 1 of 4 = 25 %.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 12, 31}, 50)), 3);
  // 51 %: no month qualifies; the latest month past its deadline with any report is April.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 12, 31}, 51)), 4);
  // 25 %: April qualifies as soon as its deadline (May 5th) has passed.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 5, 6}, 25)), 4);
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 5, 5}, 25)), 3);
}

TEST_F(StatsFixture, HeadlineMonthWaitsForTheDeadline) {
  // On the deadline day of March (April 5th) March is still open: February (1 of 4) is the latest
  // month past its deadline; with a 50 % threshold none qualifies, so the fallback is February.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 4, 5}, 50)), 2);
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 4, 6}, 50)), 3);
  // Before any deadline has passed: the latest reported month.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 1, 20}, 50)), 4);
  // A 0 % threshold still needs a report: April, not an empty December.
  EXPECT_EQ(engine_.HeadlineMonth(2024, RuleAt({2024, 12, 31}, 0)), 4);
  // A year with nothing: 12, as before.
  EXPECT_EQ(engine_.HeadlineMonth(2031, RuleAt({2024, 12, 31}, 50)), 12);
}

TEST_F(StatsFixture, APinnedMonthWinsInItsYearOnly) {
  HeadlineRule r = RuleAt({2024, 12, 31}, 50);
  r.pinned = YearMonth{2024, 2};
  EXPECT_EQ(engine_.HeadlineMonth(2024, r), 2);
  r.pinned = YearMonth{2023, 7};
  EXPECT_EQ(engine_.HeadlineMonth(2024, r), 3);
}

TEST_F(StatsFixture, AnEarlyReportForANewMonthDoesNotMoveTheHeadline) {
  // Everyone reports March; one project reports April early (1 of 4 = 25 %).
  store::StatsSource src = src_;
  src.reports.push_back({2, 2024, 3, Money::FromWan(10)});
  src.reports.push_back({3, 2024, 3, Money::FromWan(0)});
  StatsEngine engine;
  engine.Rebuild(src);
  HeadlineRule rule = RuleAt({2024, 12, 31}, 80);
  EXPECT_EQ(engine.LatestMonth(2024), 4);
  EXPECT_EQ(engine.HeadlineMonth(2024, rule), 3);
  StatsDefaults defaults;
  defaults.year = 2024;
  defaults.headline = rule;
  auto q = ParseStatsQuery({}, defaults, engine);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->month, 3);
  StatsResult r = engine.Compute(*q);
  EXPECT_EQ(r.reported, 4);
  EXPECT_EQ(r.total.projects, 4);
  // An explicit month is taken as asked.
  auto april = ParseStatsQuery({{"month", "4"}}, defaults, engine);
  ASSERT_TRUE(april.ok());
  EXPECT_EQ(april->month, 4);
  EXPECT_EQ(engine.Compute(*april).reported, 1);
}

TEST_F(StatsFixture, APinnedMonthAlsoSetsTheDefaultYear) {
  StatsDefaults defaults;
  defaults.year = 2025;
  defaults.headline = RuleAt({2025, 6, 1}, 80);
  defaults.headline.pinned = YearMonth{2024, 3};
  auto q = ParseStatsQuery({}, defaults, engine_);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->year, 2024);
  EXPECT_EQ(q->month, 3);
}

TEST_F(StatsFixture, ReportingCountsTheAsOfMonthWithinTheQuery) {
  EXPECT_EQ(Q(GroupBy::kNone, {}, 3).reported, 2);  // P1, P4
  EXPECT_EQ(Q(GroupBy::kNone, {}, 4).reported, 1);  // P2
  StatsResult municipal = Q(GroupBy::kLevel, {Level::kMunicipal}, 2);
  EXPECT_EQ(municipal.total.projects, 2);  // P2, P3
  EXPECT_EQ(municipal.reported, 1);        // P2
  auto json = StatsResultToJson(municipal);
  EXPECT_EQ(json.at("reporting").at("reported").as_int64(), 1);
  EXPECT_EQ(json.at("reporting").at("expected").as_int64(), 2);
}

TEST(ReportDeadline, IsTheDeadlineDayOfTheNextMonth) {
  EXPECT_EQ(ReportDeadline({2024, 3}, 5), (Date{2024, 4, 5}));
  EXPECT_EQ(ReportDeadline({2024, 12}, 10), (Date{2025, 1, 10}));
}

}  // namespace
}  // namespace kp::stats
