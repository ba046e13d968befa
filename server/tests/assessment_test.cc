// 考核 (PRACTICES.md §5): the 2020 city scheme's points at every boundary, computed by hand in each
// row; the execution measures the engine counts; the scheme's settings JSON and its errors.
#include "stats/assessment.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::stats {
namespace {

Ratio R(int64_t n, int64_t d = 1) { return Ratio::Of(n, d); }

// One township: its completion rate and rank, execution and problem figures; the rest empty.
struct Unit {
  Unit(std::string k, std::optional<Ratio> rate, std::optional<int> r) : key(std::move(k)), completion_pct(rate), rank(r) {}
  std::string key;
  std::optional<Ratio> completion_pct;
  std::optional<int> rank;
  ExecutionFigures exec;
  int64_t raised = 0, closed = 0;
};

AssessmentResult Score(const std::vector<Unit>& units, const AssessmentScheme& scheme = DefaultAssessmentScheme(),
                       Ratio schedule_pct = R(25), int month = 3) {
  StatsResult s;
  s.year = 2024;
  s.month = month;
  s.by = GroupBy::kRegion;
  s.schedule_pct = schedule_pct;
  ExecutionResult e;
  ProblemStats p;
  for (const Unit& u : units) {
    GroupFigures g;
    g.key = u.key;
    g.completion_pct = u.completion_pct;
    g.rank = u.rank;
    s.groups.push_back(g);
    ExecutionFigures x = u.exec;
    x.key = u.key;
    e.groups.push_back(x);
    ProblemFigures f;
    f.key = u.key;
    f.raised = u.raised;
    f.closed = u.closed;
    p.groups.push_back(f);
  }
  return BuildAssessment(scheme, s, e, p, "month");
}

const ItemScore& Item(const UnitScore& u, const std::string& name) {
  for (const ItemScore& i : u.items) {
    if (i.name == name) return i;
  }
  throw std::runtime_error("no item " + name);
}

// 计划完成, 40 points: 25 at 100 % of the schedule; −0.1/point below; +0.2/point to 130 %; +0.1 beyond;
// the change held to ±10; rank 1–3 +7, 4–6 +5, 7–10 +3; never above 40 or below 0.
TEST(Assessment, CompletionPointsAtEveryBoundary) {
  struct Row {
    const char* what;
    std::optional<Ratio> rate;  // completion rate, schedule 25 %
    std::optional<int> rank;
    Ratio expected;
  };
  const Row rows[] = {
      {"exactly on schedule, no rank bonus", R(25), 11, R(25)},
      {"50 % of the schedule: −50 × 0.1", R(25, 2), 11, R(20)},
      {"1 point below: −0.1", R(2475, 100), 11, R(249, 10)},
      {"far behind: held at −10", R(0), 11, R(15)},
      {"110 %: +10 × 0.2", R(55, 2), 11, R(27)},
      {"130 % exactly: +30 × 0.2 = 6", R(65, 2), 11, R(31)},
      {"140 %: 6 + 10 × 0.1", R(35), 11, R(32)},
      {"200 %: 6 + 70 × 0.1 = 13, held at +10", R(50), 11, R(35)},
      {"rank 1: +7", R(25), 1, R(32)},
      {"rank 3: +7", R(25), 3, R(32)},
      {"rank 4: +5", R(25), 4, R(30)},
      {"rank 6: +5", R(25), 6, R(30)},
      {"rank 7: +3", R(25), 7, R(28)},
      {"rank 10: +3", R(25), 10, R(28)},
      {"no rank (no plan): nothing", std::nullopt, std::nullopt, R(0)},
      {"top and far ahead: 25 + 10 + 7 = 42, held at 40", R(50), 1, R(40)},
  };
  for (const Row& row : rows) {
    auto r = Score({{"甲镇", row.rate, row.rank}});
    ASSERT_EQ(r.scores.size(), 1u);
    const ItemScore& s = Item(r.scores[0], "计划完成");
    EXPECT_EQ(s.points, row.expected) << row.what << ": got " << s.points.Format(4) << " (" << s.basis << ")";
  }
  // The year-end schedule is 100 %: the measure is then the completion rate itself.
  auto year = Score({{"甲镇", R(110), 11}}, DefaultAssessmentScheme(), R(100), 12);
  EXPECT_EQ(Item(year.scores[0], "计划完成").points, R(27));
  // The sentence carries the figures it was reached from.
  auto r = Score({{"甲镇", R(55, 2), 2}});
  EXPECT_EQ(Item(r.scores[0], "计划完成").basis, "完成率27.50%，为时序进度的110.00%：25.00+2.00，排名第2+7.00");
}

// 项目开工, 25 points: 10, +1 per start (up to 10), +5 when the start rate reaches 80 % (1–5 due) or
// 70 % (6+), −3 per project due and not started; held to 0..25.
TEST(Assessment, StartPointsAtEveryBoundary) {
  struct Row {
    const char* what;
    int64_t due, started;
    Ratio expected;
  };
  const Row rows[] = {
      {"nothing due: the base", 0, 0, R(10)},
      {"5 due, 4 started (80 %): 10 + 4 + 5 − 3", 5, 4, R(16)},
      {"5 due, 3 started (60 %): 10 + 3 − 6", 5, 3, R(7)},
      {"6 due, 5 started (83 %): 10 + 5 + 5 − 3", 6, 5, R(17)},
      {"10 due, 7 started (70 %, the 6+ bar): 10 + 7 + 5 − 9", 10, 7, R(13)},
      {"10 due, 6 started (60 %): 10 + 6 − 12", 10, 6, R(4)},
      {"12 due, 12 started: 10 + 10 (the cap) + 5", 12, 12, R(25)},
      {"20 due, 0 started: 10 − 60, held at 0", 20, 0, R(0)},
  };
  for (const Row& row : rows) {
    Unit u{"甲镇", R(25), 11};
    u.exec.starts_due = row.due;
    u.exec.started = row.started;
    auto r = Score({u});
    const ItemScore& s = Item(r.scores[0], "项目开工");
    EXPECT_EQ(s.points, row.expected) << row.what << ": got " << s.points.Format(4) << " (" << s.basis << ")";
  }
}

// 节点按期, 问题销号, 按时填报: 5 × done ÷ due; full points when nothing was due.
TEST(Assessment, SharesAreInProportionAndFullWhenNothingWasDue) {
  Unit u{"甲镇", R(25), 11};
  u.exec.nodes_due = 8;
  u.exec.nodes_on_time = 6;
  u.exec.reports_due = 3;
  u.exec.reports_in = 2;
  u.raised = 0;
  auto r = Score({u});
  EXPECT_EQ(Item(r.scores[0], "节点按期").points, R(15, 4));  // 5 × 6/8
  EXPECT_EQ(Item(r.scores[0], "按时填报").points, R(10, 3));  // 5 × 2/3
  EXPECT_EQ(Item(r.scores[0], "问题销号").points, R(5));      // no problem raised
  EXPECT_EQ(Item(r.scores[0], "按时填报").basis, "应报月报3，已报2，比例66.67%");
  u.raised = 4;
  u.closed = 1;
  EXPECT_EQ(Item(Score({u}).scores[0], "问题销号").points, R(5, 4));
}

// 加减分: the bureau's points with a reason, for the township, the year and the period (or every
// period of the year), held to ±10.
TEST(Assessment, ManualPointsMatchTheirUnitAndPeriod) {
  AssessmentScheme scheme = DefaultAssessmentScheme();
  scheme.adjustments = {
      {"region", "甲镇", 2024, 3, "加减分", R(3), "获省级表彰"},
      {"region", "甲镇", 2024, std::nullopt, "加减分", R(-1, 2), "信息报送迟"},
      {"region", "甲镇", 2024, 4, "加减分", R(9), "四月的"},
      {"region", "甲镇", 2023, 3, "加减分", R(9), "去年的"},
      {"unit", "甲镇", 2024, 3, "加减分", R(9), "单位的"},
      {"region", "乙镇", 2024, 3, "加减分", R(-8), "安全事故"},
      {"region", "乙镇", 2024, 3, "加减分", R(-8), "环保督察"},
  };
  auto r = Score({{"甲镇", R(25), 11}, {"乙镇", R(25), 11}}, scheme);
  const UnitScore& jia = r.scores[0].key == "甲镇" ? r.scores[0] : r.scores[1];
  const UnitScore& yi = r.scores[0].key == "乙镇" ? r.scores[0] : r.scores[1];
  EXPECT_EQ(Item(jia, "加减分").points, R(5, 2));
  EXPECT_EQ(Item(jia, "加减分").basis, "获省级表彰+3.00；信息报送迟-0.50");
  EXPECT_EQ(Item(yi, "加减分").points, R(-10)) << "−16 held at −10";
}

// Totals add every item; ranks are competition ranks by total (ties share, the next skips).
TEST(Assessment, TotalsAddTheItemsAndRanksShareTies) {
  // Each: completion 25 (rank 11), starts 10, three shares 5 each, no adjustment = 50.
  std::vector<Unit> units = {{"丙镇", R(25), 11}, {"甲镇", R(55, 2), 11}, {"乙镇", R(55, 2), 11}, {"丁镇", std::nullopt, std::nullopt}};
  auto r = Score(units);
  ASSERT_EQ(r.scores.size(), 4u);
  EXPECT_EQ(r.scores[0].key, "乙镇");  // ties by key (乙 sorts before 甲 in UTF-8)
  EXPECT_EQ(r.scores[0].total, R(52));
  EXPECT_EQ(r.scores[0].rank, 1);
  EXPECT_EQ(r.scores[1].key, "甲镇");
  EXPECT_EQ(r.scores[1].rank, 1);
  EXPECT_EQ(r.scores[2].key, "丙镇");
  EXPECT_EQ(r.scores[2].total, R(50));
  EXPECT_EQ(r.scores[2].rank, 3);
  EXPECT_EQ(r.scores[3].key, "丁镇");
  EXPECT_EQ(r.scores[3].total, R(25));  // no plan: 0 + 10 + 15
  EXPECT_EQ(r.scores[3].rank, 4);
  auto j = AssessmentToJson(r);
  EXPECT_EQ(j.at("full_points").as_string(), "90");
  const auto& first = j.at("scores").as_array().at(0).as_object();
  EXPECT_EQ(first.at("display").at("total").as_string(), "52.00");
  EXPECT_EQ(first.at("items").as_array().size(), 6u);
}

TEST(Assessment, PeriodFixesTheMonth) {
  auto q = ParseAssessmentPeriod("2", "", "");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->name, "quarter");
  EXPECT_EQ(q->month, 6);
  auto y = ParseAssessmentPeriod("", "year", "");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->month, 12);
  auto m = ParseAssessmentPeriod("", "", "5");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name, "month");
  EXPECT_FALSE(m->month.has_value());
  EXPECT_EQ(ParseAssessmentPeriod("5", "", "").status().field(), "quarter");
  EXPECT_EQ(ParseAssessmentPeriod("1", "", "3").status().field(), "month");
  EXPECT_EQ(ParseAssessmentPeriod("", "quarter", "").status().field(), "quarter");
  EXPECT_EQ(ParseAssessmentPeriod("", "week", "").status().field(), "period");
  EXPECT_EQ(ParseAssessmentPeriod("", "year", "3").status().field(), "month");
}

TEST(Assessment, SchemeRoundTripsAndErrorsNameTheField) {
  AssessmentScheme d = DefaultAssessmentScheme();
  d.adjustments = {{"unit", "交通局", 2024, std::nullopt, "加减分", R(-3, 2), "约谈"}};
  auto j = AssessmentSchemeToJson(d);
  auto back = ParseAssessmentScheme(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(boost::json::serialize(AssessmentSchemeToJson(*back)), boost::json::serialize(j));
  EXPECT_EQ(j.at("items").as_array().at(0).at("below").as_string(), "0.1");
  EXPECT_EQ(j.at("adjustments").as_array().at(0).at("points").as_string(), "-1.5");
  struct Bad {
    const char* json;
    const char* field;
  };
  const Bad bad[] = {
      {R"({"items":[]})", "items"},
      {R"({"items":[{"name":"a","measure":"speed","max":"5"}]})", "items[0].measure"},
      {R"({"items":[{"name":"a","measure":"nodes"}]})", "items[0].max"},
      {R"({"items":[{"name":"a","measure":"nodes","max":"-5"}]})", "items[0].max"},
      {R"({"items":[{"name":"a","measure":"nodes","max":"5.12345"}]})", "items[0].max"},
      {R"({"items":[{"name":"a","measure":"nodes","max":"5"},{"name":"a","measure":"reports","max":"5"}]})", "items[1].name"},
      {R"({"items":[{"name":"","measure":"nodes","max":"5"}]})", "items[0].name"},
      {R"({"items":[{"name":"a\u0001b","measure":"nodes","max":"5"}]})", "items[0].name"},
      {R"({"items":[{"name":"c","measure":"completion","max":"40","beyond_from":"90"}]})", "items[0].beyond_from"},
      {R"({"items":[{"name":"c","measure":"completion","max":"40","rank_bonus":[{"to_rank":3,"points":"7"},{"to_rank":3,"points":"5"}]}]})",
       "items[0].rank_bonus[1].to_rank"},
      {R"({"items":[{"name":"s","measure":"starts","max":"25","start_limit":-1}]})", "items[0].start_limit"},
      {R"({"items":[{"name":"m","measure":"manual","max":"10"}],"adjustments":[{"by":"region","key":"甲镇","year":2024,"item":"m","points":"2"}]})",
       "adjustments[0].reason"},
      {R"({"items":[{"name":"m","measure":"manual","max":"10"}],"adjustments":[{"by":"region","key":"甲镇","year":2024,"item":"x","points":"2","reason":"r"}]})",
       "adjustments[0].item"},
      {R"({"items":[{"name":"m","measure":"manual","max":"10"}],"adjustments":[{"by":"town","key":"甲镇","year":2024,"item":"m","points":"2","reason":"r"}]})",
       "adjustments[0].by"},
      {R"({"items":[{"name":"m","measure":"manual","max":"10"}],"adjustments":[{"by":"region","key":"甲镇","year":2024,"month":13,"item":"m","points":"2","reason":"r"}]})",
       "adjustments[0].month"},
      {R"({"items":[{"name":"m","measure":"manual","max":"10"}],"adjustments":[{"by":"region","key":"甲镇","year":2024,"item":"m","points":"0","reason":"r"}]})",
       "adjustments[0].points"},
  };
  for (const Bad& b : bad) {
    auto r = ParseAssessmentScheme(boost::json::parse(b.json).as_object());
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_EQ(r.status().field(), b.field) << b.json << ": " << r.status().message();
  }
}

// The engine's execution figures: starts due and made, nodes due and on time, reports due and in,
// per township, as of a date — counted here by hand from the rows below.
TEST(Execution, CountsStartsNodesAndReportsPerGroup) {
  store::StatsSource src;
  src.regions = {{1, std::nullopt, "县", "", {}, {}}, {2, 1, "甲镇", "", {}, {}}, {3, 1, "乙镇", "", {}, {}}};
  auto project = [&](int id, int region, const std::string& status, std::optional<Date> start) {
    Project p;
    p.id = id;
    p.code = "P" + std::to_string(id);
    p.region_id = region;
    p.status = status;
    p.planned_start = start;
    src.projects.push_back(p);
    src.plans.push_back({id, 2024, Money::FromWan(100)});
  };
  auto node = [&](int id, const std::string& name, Date planned, std::optional<Date> actual) {
    ProjectNode n;
    n.project_id = id;
    n.seq = static_cast<int>(src.nodes.size()) + 1;
    n.name = name;
    n.planned = planned;
    n.actual = actual;
    src.nodes.push_back(n);
  };
  // 甲镇: P1 due to start in February and started (在建); P2 前期, due in March, not started; P3 due in
  // May (not yet due). 乙镇: P4 前期 with its 开工 node done in March (started); P5 停缓建 (not counted).
  project(1, 2, "在建", Date{2024, 2, 1});
  project(2, 2, "前期", Date{2024, 3, 31});
  project(3, 2, "前期", Date{2024, 5, 1});
  project(4, 3, "前期", Date{2024, 3, 1});
  project(5, 3, "停缓建", Date{2024, 1, 1});
  node(4, "开工", Date{2024, 3, 10}, Date{2024, 3, 12});  // due and done, two days late
  node(1, "环评", Date{2024, 1, 31}, Date{2024, 1, 31});  // on time (the same day)
  node(1, "施工许可", Date{2024, 3, 31}, std::nullopt);  // due on the as-of day, not done
  node(2, "可研", Date{2024, 2, 1}, Date{2024, 4, 2});    // done after the as-of date: not on time as of it
  node(3, "用地", Date{2024, 4, 1}, std::nullopt);        // not due
  // Reports: due as of 31 March are January and February (deadline the 5th of the next month).
  for (int id : {1, 2, 4}) src.reports.push_back({id, 2024, 1, Money::FromWan(10)});
  src.reports.push_back({1, 2024, 2, Money::FromWan(10)});
  src.reports.push_back({3, 2024, 3, Money::FromWan(10)});  // March: not yet due
  StatsEngine engine;
  engine.Rebuild(src);
  engine.SetRegions(src.regions, 1);
  WarningQuery q;
  q.as_of = Date{2024, 3, 31};
  q.by = GroupBy::kRegion;
  ExecutionResult r = engine.Execution(q, WarningRules{});
  ASSERT_EQ(r.groups.size(), 2u);
  const ExecutionFigures& yi = r.groups[0];
  const ExecutionFigures& jia = r.groups[1];
  ASSERT_EQ(jia.key, "甲镇");
  EXPECT_EQ(jia.projects, 3);
  EXPECT_EQ(jia.starts_due, 2);
  EXPECT_EQ(jia.started, 1);
  EXPECT_EQ(jia.nodes_due, 3);
  EXPECT_EQ(jia.nodes_on_time, 1);
  EXPECT_EQ(jia.reports_due, 6);
  EXPECT_EQ(jia.reports_in, 3);
  ASSERT_EQ(yi.key, "乙镇");
  EXPECT_EQ(yi.projects, 2);
  EXPECT_EQ(yi.starts_due, 1);
  EXPECT_EQ(yi.started, 1);
  EXPECT_EQ(yi.nodes_due, 1);
  EXPECT_EQ(yi.nodes_on_time, 0);
  EXPECT_EQ(yi.reports_due, 4);
  EXPECT_EQ(yi.reports_in, 1);
  EXPECT_EQ(r.total.projects, 5);
  EXPECT_EQ(r.total.reports_in, 4);
  // A day earlier the 施工许可 node is not due yet, and P2's planned start not reached.
  q.as_of = Date{2024, 3, 30};
  ExecutionResult before = engine.Execution(q, WarningRules{});
  EXPECT_EQ(before.groups[1].nodes_due, 2);
  EXPECT_EQ(before.groups[1].starts_due, 1);
}

}  // namespace
}  // namespace kp::stats
