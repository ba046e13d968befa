// Warning colours and node states: PRACTICES.md §2 applied literally. Each row is one boundary,
// with the colour the rule text gives it (the oracle is the rule, read by hand).
#include "stats/warnings.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::stats {
namespace {

Date D(int y, int m, int d) { return Date{y, m, d}; }

struct NodeSpec {
  std::string name;
  std::optional<Date> planned, actual;
};

// One project, one as-of date, one expected colour and the rules expected to fire.
struct Case {
  const char* what;
  Date as_of;
  std::string status = "在建";
  std::optional<Date> planned_start;
  int64_t plan_wan = 100;          // 0: no plan in the year
  int64_t completed_yuan = -1;     // cumulative through as-of month; -1: on schedule exactly
  std::vector<int> reported = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<NodeSpec> nodes;
  Colour colour;
  std::vector<std::pair<WarningRule, Colour>> fired;
};

// Completion giving exactly `behind` points (hundredths) behind the month schedule of as_of.
int64_t YuanBehind(const Date& as_of, int64_t plan_wan, int64_t behind_hundredths) {
  // schedule % = month/12 × 100; completion % = schedule − behind; yuan = plan × completion / 100.
  // plan 100万 = 1,000,000 yuan: 1 point = 10,000 yuan, 0.01 point = 100 yuan.
  const int64_t plan = plan_wan * 10000;
  const int64_t schedule_hundredths = as_of.month * 10000 / 12;  // exact for months 3, 6, 9, 12
  return plan * (schedule_hundredths - behind_hundredths) / 10000;
}

std::vector<Case> Cases() {
  const Date q1 = D(2024, 3, 31), h1 = D(2024, 6, 30);
  std::vector<Case> c;
  // investment (H1: schedule 50 %): yellow 10 ≤ behind ≤ 30, red behind > 30.
  c.push_back({"on schedule", h1, "在建", {}, 100, YuanBehind(h1, 100, 0), {1, 2, 3, 4, 5}, {}, Colour::kGreen, {}});
  c.push_back({"9.99 behind", h1, "在建", {}, 100, YuanBehind(h1, 100, 999), {1, 2, 3, 4, 5}, {}, Colour::kGreen, {}});
  c.push_back({"exactly 10 behind", h1, "在建", {}, 100, YuanBehind(h1, 100, 1000), {1, 2, 3, 4, 5}, {}, Colour::kYellow,
               {{WarningRule::kInvestment, Colour::kYellow}}});
  c.push_back({"exactly 30 behind", h1, "在建", {}, 100, YuanBehind(h1, 100, 3000), {1, 2, 3, 4, 5}, {}, Colour::kYellow,
               {{WarningRule::kInvestment, Colour::kYellow}}});
  c.push_back({"30.01 behind", h1, "在建", {}, 100, YuanBehind(h1, 100, 3001), {1, 2, 3, 4, 5}, {}, Colour::kRed,
               {{WarningRule::kInvestment, Colour::kRed}}});
  c.push_back({"one yuan short of 30 behind is 30 behind plus", h1, "在建", {}, 100, YuanBehind(h1, 100, 3000) - 1,
               {1, 2, 3, 4, 5}, {}, Colour::kRed, {{WarningRule::kInvestment, Colour::kRed}}});
  c.push_back({"ahead of schedule", q1, "在建", {}, 100, 400000, {1, 2}, {}, Colour::kGreen, {}});
  c.push_back({"no plan: not counted by the investment rule", q1, "在建", {}, 0, 0, {}, {}, Colour::kGreen, {}});
  // start: planned start ≤ A, not started; 0–1 months late yellow, ≥ 2 red.
  c.push_back({"start planned tomorrow", q1, "前期", D(2024, 4, 1), 100, -1, {1, 2}, {}, Colour::kGreen, {}});
  c.push_back({"start planned today, not started", q1, "前期", D(2024, 3, 31), 100, -1, {1, 2}, {}, Colour::kYellow,
               {{WarningRule::kStart, Colour::kYellow}}});
  c.push_back({"start a month late", q1, "前期", D(2024, 2, 1), 100, -1, {1, 2}, {}, Colour::kYellow,
               {{WarningRule::kStart, Colour::kYellow}}});
  c.push_back({"start two months late", q1, "前期", D(2024, 1, 31), 100, -1, {1, 2}, {}, Colour::kRed,
               {{WarningRule::kStart, Colour::kRed}}});
  c.push_back({"no 开工 node and not 前期 counts as started", q1, "在建", D(2023, 1, 1), 100, -1, {1, 2}, {},
               Colour::kGreen, {}});
  c.push_back({"开工 done on the as-of day", q1, "前期", D(2024, 1, 1), 100, -1, {1, 2},
               {{"开工", D(2024, 1, 1), D(2024, 3, 31)}}, Colour::kGreen, {}});
  c.push_back({"开工 done the day after the as-of date", q1, "前期", D(2024, 1, 1), 100, -1, {1, 2},
               {{"开工", D(2024, 3, 31), D(2024, 4, 1)}}, Colour::kRed, {{WarningRule::kStart, Colour::kRed}}});
  c.push_back({"suspended: no start warning", q1, "停缓建", D(2023, 1, 1), 100, -1, {1, 2}, {}, Colour::kGreen, {}});
  // node: planned < A and not done by A; 1–30 days yellow, > 30 red.
  c.push_back({"node due today", q1, "在建", {}, 100, -1, {1, 2}, {{"环评批复", D(2024, 3, 31), {}}}, Colour::kGreen, {}});
  c.push_back({"node 1 day overdue", q1, "在建", {}, 100, -1, {1, 2}, {{"环评批复", D(2024, 3, 30), {}}}, Colour::kYellow,
               {{WarningRule::kNode, Colour::kYellow}}});
  c.push_back({"node 30 days overdue", q1, "在建", {}, 100, -1, {1, 2}, {{"环评批复", D(2024, 3, 1), {}}},
               Colour::kYellow, {{WarningRule::kNode, Colour::kYellow}}});
  c.push_back({"node 31 days overdue (leap day)", q1, "在建", {}, 100, -1, {1, 2}, {{"环评批复", D(2024, 2, 29), {}}},
               Colour::kRed, {{WarningRule::kNode, Colour::kRed}}});
  c.push_back({"node done late but done", q1, "在建", {}, 100, -1, {1, 2},
               {{"环评批复", D(2024, 1, 1), D(2024, 3, 1)}}, Colour::kGreen, {}});
  c.push_back({"node done after the as-of date is overdue as of it", q1, "在建", {}, 100, -1, {1, 2},
               {{"环评批复", D(2024, 3, 20), D(2024, 4, 2)}}, Colour::kYellow, {{WarningRule::kNode, Colour::kYellow}}});
  c.push_back({"suspended: no node warning", q1, "停缓建", {}, 100, -1, {1, 2}, {{"环评批复", D(2023, 3, 1), {}}},
               Colour::kGreen, {}});
  // report: months of A's year whose deadline (the 5th of the next month) ≤ A.
  c.push_back({"deadline day itself: February due, missing", D(2024, 3, 5), "在建", {}, 100, -1, {1}, {},
               Colour::kYellow, {{WarningRule::kReport, Colour::kYellow}}});
  c.push_back({"the day before February's deadline", D(2024, 3, 4), "在建", {}, 100, -1, {1}, {}, Colour::kGreen, {}});
  // (nothing reported: nothing completed either, 25 points behind at March)
  c.push_back({"two latest missing", D(2024, 3, 5), "在建", {}, 100, -1, {}, {}, Colour::kRed,
               {{WarningRule::kInvestment, Colour::kYellow}, {WarningRule::kReport, Colour::kRed}}});
  c.push_back({"only January due and missing: yellow, never red", D(2024, 3, 4), "在建", {}, 100, -1, {}, {},
               Colour::kYellow, {{WarningRule::kInvestment, Colour::kYellow}, {WarningRule::kReport, Colour::kYellow}}});
  c.push_back({"latest reported, earlier missing", D(2024, 3, 31), "在建", {}, 100, -1, {2}, {}, Colour::kGreen, {}});
  c.push_back({"no month due yet in January", D(2024, 1, 31), "在建", {}, 100, -1, {}, {}, Colour::kGreen, {}});
  // the worst warning wins
  c.push_back({"yellow node and red start", q1, "前期", D(2023, 12, 1), 100, -1, {1, 2},
               {{"环评批复", D(2024, 3, 30), {}}}, Colour::kRed,
               {{WarningRule::kStart, Colour::kRed}, {WarningRule::kNode, Colour::kYellow}}});
  return c;
}

store::StatsSource SourceOf(const Case& c) {
  store::StatsSource src;
  Project p;
  p.id = 1;
  p.code = "P1";
  p.name = "项目";
  p.status = c.status;
  p.planned_start = c.planned_start;
  p.unit = "发改局";
  src.projects.push_back(p);
  const int year = c.as_of.year;
  if (c.plan_wan > 0) src.plans.push_back({1, year, Money::FromWan(c.plan_wan)});
  int64_t completed = c.completed_yuan;
  if (completed < 0) completed = c.plan_wan * 10000 * c.as_of.month / 12;  // on schedule
  bool first = true;
  for (int m : c.reported) {
    // The whole cumulative amount sits in the first reported month.
    src.reports.push_back({1, static_cast<int16_t>(year), static_cast<int8_t>(m), Money(first ? completed : 0)});
    first = false;
  }
  int seq = 0;
  for (const NodeSpec& n : c.nodes) {
    ProjectNode node;
    node.project_id = 1;
    node.seq = ++seq;
    node.name = n.name;
    node.planned = n.planned;
    node.actual = n.actual;
    src.nodes.push_back(node);
  }
  return src;
}

TEST(WarningRules, EveryBoundaryGivesTheColourTheRuleSays) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.what);
    StatsEngine engine;
    engine.Rebuild(SourceOf(c));
    WarningQuery q;
    q.as_of = c.as_of;
    WarningResult r = engine.Warnings(q, WarningRules{});
    if (c.plan_wan == 0) {
      EXPECT_TRUE(r.projects.empty()) << "a project without a plan in the year is not counted";
      continue;
    }
    ASSERT_EQ(r.projects.size(), 1u);
    EXPECT_EQ(ColourName(r.projects[0].colour), std::string(ColourName(c.colour)));
    std::vector<std::pair<WarningRule, Colour>> fired;
    for (const Warning& w : r.projects[0].warnings) fired.emplace_back(w.rule, w.colour);
    EXPECT_EQ(fired, c.fired);
    EXPECT_EQ(r.counts[static_cast<size_t>(c.colour)], 1);
    // The colour column of lists (ColoursOf) gives the same colour as the warnings list.
    auto colours = engine.ColoursOf({1}, q, WarningRules{});
    ASSERT_TRUE(colours[0].has_value());
    EXPECT_EQ(*colours[0], c.colour);
  }
}

TEST(WarningRules, FiguresOfAnInvestmentWarningAreExact) {
  Case c{"", D(2024, 6, 30), "在建", {}, 100, 199999, {1, 2, 3, 4, 5}, {}, Colour::kRed, {}};
  StatsEngine engine;
  engine.Rebuild(SourceOf(c));
  WarningQuery q;
  q.as_of = c.as_of;
  auto r = engine.Warnings(q, WarningRules{});
  ASSERT_EQ(r.projects.size(), 1u);
  ASSERT_EQ(r.projects[0].warnings.size(), 1u);
  const Warning& w = r.projects[0].warnings[0];
  // 50 % − 199,999 / 1,000,000 × 100 % = 30.0001 points behind: red, and exactly that figure.
  EXPECT_EQ(w.behind_points->Format(4), "30.0001");
  EXPECT_EQ(w.completion_pct->Format(4), "19.9999");
  EXPECT_EQ(w.detail, "完成投资19.9999万元，占年度计划100万元的20.0%，低于时序进度（50.0%）30.0个百分点");
}

TEST(WarningRules, ThresholdsComeFromTheRules) {
  Case c{"", D(2024, 6, 30), "在建", {}, 100, YuanBehind(D(2024, 6, 30), 100, 1500), {1, 2, 3, 4, 5}, {},
         Colour::kYellow, {}};
  StatsEngine engine;
  engine.Rebuild(SourceOf(c));
  WarningQuery q;
  q.as_of = c.as_of;
  WarningRules strict;
  strict.invest_yellow_points = 5;
  strict.invest_red_points = 14;
  EXPECT_EQ(engine.Warnings(q, strict).projects[0].colour, Colour::kRed);
  WarningRules lax;
  lax.invest_yellow_points = 16;
  EXPECT_EQ(engine.Warnings(q, lax).projects[0].colour, Colour::kGreen);
  WarningRules day;
  day.schedule = Schedule::kDay;  // 182/366 of 2024 = 49.73 %: 14.73 points behind, still yellow
  EXPECT_EQ(engine.Warnings(q, day).projects[0].colour, Colour::kYellow);
  EXPECT_EQ(engine.Warnings(q, day).schedule_pct.Format(2), "49.73");
}

TEST(WarningRules, RulesOutOfRangeNameTheirField) {
  WarningRules r;
  r.invest_red_points = 5;  // below yellow's 10
  Status s = ValidateWarningRules(r);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.field(), "invest_red_points");
  r = WarningRules{};
  r.window_days = -1;
  EXPECT_EQ(ValidateWarningRules(r).field(), "window_days");
  EXPECT_TRUE(ValidateWarningRules(WarningRules{}).ok());
}

TEST(NodeState, IsDerivedFromTheDatesAsOfADay) {
  const Date a = D(2024, 3, 31);
  struct Row {
    std::optional<Date> planned, actual;
    NodeState state;
    std::optional<int32_t> days;
    Colour colour;
  };
  const Row rows[] = {
      {D(2024, 3, 31), {}, NodeState::kDueSoon, 0, Colour::kGreen},           // due today
      {D(2024, 4, 15), {}, NodeState::kDueSoon, 15, Colour::kGreen},          // the window's last day
      {D(2024, 4, 16), {}, NodeState::kNotDue, 16, Colour::kGreen},
      {D(2024, 3, 30), {}, NodeState::kOverdue, 1, Colour::kYellow},
      {D(2024, 3, 1), {}, NodeState::kOverdue, 30, Colour::kYellow},
      {D(2024, 2, 29), {}, NodeState::kOverdue, 31, Colour::kRed},            // leap day: 31 days
      {D(2024, 3, 1), D(2024, 3, 1), NodeState::kDoneOnTime, 0, Colour::kGreen},
      {D(2024, 3, 1), D(2024, 3, 2), NodeState::kDoneLate, 1, Colour::kGreen},
      {D(2024, 3, 1), D(2024, 4, 1), NodeState::kOverdue, 30, Colour::kYellow},  // done after the as-of day
      {{}, {}, NodeState::kNotDue, {}, Colour::kGreen},
      {{}, D(2024, 1, 1), NodeState::kDoneOnTime, 0, Colour::kGreen},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE((r.planned ? r.planned->ToString() : "-") + " / " + (r.actual ? r.actual->ToString() : "-"));
    NodeStatus s = DeriveNodeState(r.planned, r.actual, a, 15, 30);
    EXPECT_EQ(NodeStateLabel(s.state), std::string(NodeStateLabel(r.state)));
    EXPECT_EQ(s.days, r.days);
    EXPECT_EQ(s.colour, r.colour);
  }
}

TEST(WarningEngine, GroupsCountEveryProjectAndScopesNarrow) {
  store::StatsSource src;
  src.regions = {{1, std::nullopt, "县", "", {}, {}}, {2, 1, "甲镇", "", {}, {}}, {3, 1, "乙镇", "", {}, {}}};
  for (int i = 1; i <= 6; ++i) {
    Project p;
    p.id = i;
    p.code = "P" + std::to_string(i);
    p.region_id = i <= 3 ? 2 : 3;
    p.unit = i % 2 ? "交通局" : "水利局";
    p.leader = "张";
    p.status = "在建";
    src.projects.push_back(p);
    src.plans.push_back({i, 2024, Money::FromWan(100)});
    // P1, P4 report nothing (red: two months missing); P2 only January (yellow); others fine.
    if (i != 1 && i != 4) src.reports.push_back({i, 2024, 1, Money::FromWan(25)});
    if (i != 1 && i != 4 && i != 2) src.reports.push_back({i, 2024, 2, Money(0)});
  }
  StatsEngine engine;
  engine.Rebuild(src);
  engine.SetRegions(src.regions, 1);
  WarningQuery q;
  q.as_of = D(2024, 3, 31);
  q.by = GroupBy::kRegion;
  auto r = engine.Warnings(q, WarningRules{});
  EXPECT_EQ(r.counts, (std::array<int64_t, 3>{3, 1, 2}));
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "乙镇");
  EXPECT_EQ(r.groups[0].counts, (std::array<int64_t, 3>{2, 0, 1}));
  EXPECT_EQ(r.groups[1].key, "甲镇");
  EXPECT_EQ(r.groups[1].counts, (std::array<int64_t, 3>{1, 1, 1}));
  ASSERT_EQ(r.projects.size(), 6u) << "green projects are listed too";
  EXPECT_EQ(r.projects[0].code, "P1");  // red first
  EXPECT_EQ(r.projects[1].code, "P4");
  EXPECT_EQ(r.projects[2].code, "P2");
  q.unit = "交通局";
  q.colour = Colour::kRed;
  auto scoped = engine.Warnings(q, WarningRules{});
  EXPECT_EQ(scoped.counts, (std::array<int64_t, 3>{2, 0, 1}));  // P3, P5 green; P1 red
  ASSERT_EQ(scoped.projects.size(), 1u);
  EXPECT_EQ(scoped.projects[0].code, "P1");
  // The colour column answers only within the scope: P2 is 水利局's, not 交通局's.
  auto colours = engine.ColoursOf({1, 2}, q, WarningRules{});
  EXPECT_EQ(colours[0], Colour::kRed);
  EXPECT_FALSE(colours[1].has_value());
  q.list_projects = false;
  EXPECT_TRUE(engine.Warnings(q, WarningRules{}).projects.empty());
  EXPECT_EQ(engine.Warnings(q, WarningRules{}).counts, scoped.counts);
  // The project list's colour filter: the ids of a colour in the scope, as the list colours them.
  EXPECT_EQ(engine.IdsOfColour(q, Colour::kRed, WarningRules{}), (std::vector<int64_t>{1}));
  EXPECT_EQ(engine.IdsOfColour(q, Colour::kYellow, WarningRules{}), (std::vector<int64_t>{}));
  q.unit.reset();
  for (Colour c : {Colour::kRed, Colour::kYellow, Colour::kGreen}) {
    q.colour = c;
    q.list_projects = true;
    std::vector<int64_t> listed;
    for (const ProjectColour& p : engine.Warnings(q, WarningRules{}).projects) listed.push_back(p.id);
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(engine.IdsOfColour(q, c, WarningRules{}), listed) << ColourName(c);
  }
}

TEST(WarningEngine, NodesFollowReplaceAndSetNodes) {
  Case c{"", D(2024, 3, 31), "在建", {}, 100, -1, {1, 2}, {{"环评批复", D(2024, 1, 1), {}}}, Colour::kRed, {}};
  store::StatsSource src = SourceOf(c);
  StatsEngine engine;
  engine.Rebuild(src);
  WarningQuery q;
  q.as_of = c.as_of;
  EXPECT_EQ(engine.Warnings(q, WarningRules{}).projects[0].colour, Colour::kRed);
  ProjectNode done = src.nodes[0];
  done.actual = D(2024, 2, 1);
  engine.SetNodes(1, {done});
  EXPECT_EQ(engine.Warnings(q, WarningRules{}).projects[0].colour, Colour::kGreen);
  engine.ReplaceProjects({1}, src);  // the database says it is not done after all
  EXPECT_EQ(engine.Warnings(q, WarningRules{}).projects[0].colour, Colour::kRed);
}

}  // namespace
}  // namespace kp::stats
