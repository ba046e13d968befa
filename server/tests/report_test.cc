// The drafted sentences of reports (reports/phrasing, reports/report_model) at every boundary, and the
// figures of a report's sentences against its tables and the answers it was built from.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "reports/phrasing.h"
#include "reports/report_model.h"

namespace kp::reports {
namespace {

const ReportStyle kStyle;

stats::GroupFigures Group(const std::string& key, int64_t projects, int64_t plan_yuan, int64_t done_yuan,
                          const Ratio& schedule, std::optional<int> rank = std::nullopt) {
  stats::GroupFigures g;
  g.key = key;
  g.projects = projects;
  g.plan = Money(plan_yuan);
  g.completed = Money(done_yuan);
  g.rank = rank;
  stats::FillRatios(g, schedule);
  return g;
}

TEST(Phrasing, AmountsInYiToTwoDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(Yi(Money(4'950'000'000), kStyle), "49.5");
  EXPECT_EQ(Yi(Money(4'954'900'000), kStyle), "49.55");
  EXPECT_EQ(Yi(Money(4'999'500'000), kStyle), "50");      // rounding that changes the digits
  EXPECT_EQ(Yi(Money(4'999'499'999), kStyle), "49.99");
  EXPECT_EQ(Yi(Money(0), kStyle), "0");
  EXPECT_EQ(Wan(Money(123'456'789), kStyle), "12345.68");  // 万元 in tables, fixed decimals
}

TEST(Phrasing, RatesToTheStylesDecimals) {
  EXPECT_EQ(Pct(Ratio::Of(3080, 100), kStyle), "30.8");
  EXPECT_EQ(Pct(Ratio::Of(2700, 100), kStyle), "27");
  EXPECT_EQ(Pct(Ratio::Of(43'364, 1000), kStyle), "43.36");
  EXPECT_EQ(Pct(Ratio::Of(29'995, 1000), kStyle), "30");  // 29.995 → 30.00 → 30
  EXPECT_EQ(Pct(std::nullopt, kStyle), "—");
  ReportStyle one = kStyle;
  one.pct_decimals = 1;
  EXPECT_EQ(Pct(Ratio::Of(43'364, 1000), one), "43.4");
}

TEST(Phrasing, AheadBehindAndEqualAfterRounding) {
  EXPECT_EQ(VsSchedule(Ratio::Of(58, 10), kStyle), "超时序进度5.8个百分点");
  EXPECT_EQ(VsSchedule(Ratio::Of(-58, 10), kStyle), "低于时序进度5.8个百分点");
  EXPECT_EQ(VsSchedule(Ratio::Of(0, 1), kStyle), "与时序进度持平");
  EXPECT_EQ(VsSchedule(Ratio::Of(4, 100), kStyle), "与时序进度持平");    // +0.04 rounds to 0.0
  EXPECT_EQ(VsSchedule(Ratio::Of(-4, 100), kStyle), "与时序进度持平");   // −0.04 too
  EXPECT_EQ(VsSchedule(Ratio::Of(5, 100), kStyle), "超时序进度0.1个百分点");   // half away from zero
  EXPECT_EQ(VsSchedule(Ratio::Of(-5, 100), kStyle), "低于时序进度0.1个百分点");
  EXPECT_EQ(VsSchedule(Ratio::Of(596, 100), kStyle), "超时序进度6个百分点");   // 5.96 → 6.0 → 6
  EXPECT_EQ(VsSchedule(Ratio::Of(2, 1), kStyle), "超时序进度2个百分点");
  EXPECT_EQ(VsOverall(Ratio::Of(21, 10), kStyle), "高于总体进度2.1个百分点");
  EXPECT_EQ(VsOverall(Ratio::Of(-21, 10), kStyle), "低于总体进度2.1个百分点");
  EXPECT_EQ(VsOverall(Ratio::Of(1, 100), kStyle), "与总体进度持平");
  EXPECT_EQ(Rank(3), "位居第3");
  EXPECT_EQ(MonthsSpan(3), "1—3月");
  EXPECT_EQ(MonthsSpan(1), "1月");
}

// A month's answers built by hand: schedule 25% (March, month convention).
MonthlyInputs Inputs() {
  MonthlyInputs in;
  in.year = 2024;
  in.month = 3;
  in.levels = {Level::kProvincial, Level::kMunicipal};
  in.issued = Date{2024, 4, 5};
  const Ratio sched = Ratio::Of(25, 1);
  auto result = [&](stats::GroupBy by, std::vector<stats::GroupFigures> groups) {
    stats::StatsResult r;
    r.year = 2024;
    r.month = 3;
    r.schedule_pct = sched;
    r.by = by;
    r.groups = std::move(groups);
    for (const auto& g : r.groups) {
      r.total.projects += g.projects;
      r.total.plan += g.plan;
      r.total.completed += g.completed;
    }
    r.total.key = "total";
    stats::FillRatios(r.total, sched);
    return r;
  };
  // 省: plan 37.36亿, done 16.2亿 (43.36%); 市: plan 123.33亿, done 33.3亿 (27.00%).
  in.by_level = result(stats::GroupBy::kLevel, {Group("省重点", 6, 3'736'162'361, 1'620'000'000, sched),
                                                Group("市重点", 66, 12'333'333'333, 3'330'000'000, sched)});
  in.by_status = result(stats::GroupBy::kStatus, {Group("续建", 40, 10'000'000'000, 3'000'000'000, sched),
                                                  Group("新开工", 32, 6'069'495'694, 1'950'000'000, sched)});
  in.by_industry = result(stats::GroupBy::kIndustry, {Group("工业", 72, 16'069'495'694, 4'950'000'000, sched)});
  in.by_region = result(stats::GroupBy::kRegion,
                        {Group("甲镇", 1, 100'000'000, 50'000'000, sched, 1), Group("乙镇", 1, 100'000'000, 25'000'000, sched, 2),
                         Group("丙镇", 70, 15'869'495'694, 4'875'000'000, sched, 3)});
  in.by_demo = result(stats::GroupBy::kDemo, {Group("示范项目", 1, 100'000'000, 24'960'000, sched),
                                              Group("非示范项目", 71, 15'969'495'694, 4'925'040'000, sched)});
  in.problems.total.raised = 10;
  in.problems.total.closed = 7;
  in.problems.total.overdue = 1;
  in.redblack.target_pct = sched;
  stats::RedBlackEntry red;
  red.rank = 1;
  red.figures = in.by_region.groups[0];
  in.redblack.red.push_back(red);
  return in;
}

TEST(MonthlyReport, WritesTheSummaryAndLevelsInTheBureausWords) {
  Report r = BuildMonthly(Inputs());
  EXPECT_EQ(r.title, "2024年1—3月全县省市重点项目建设情况分析");
  EXPECT_EQ(r.date, "2024年4月5日");
  EXPECT_EQ(FindParagraph(r, "summary")->text,
            "1—3月，全县72个省市重点项目累计完成投资49.5亿元，占年度计划的30.8%，超时序进度5.8个百分点。");
  EXPECT_EQ(FindParagraph(r, "by_level")->text,
            "6个省重点项目完成投资16.2亿元，占年度计划的43.36%，超时序进度18.4个百分点；"
            "66个市重点项目完成投资33.3亿元，占年度计划的27%，超时序进度2个百分点。");
  EXPECT_EQ(r.sections[0].heading, "一、总体情况");
  EXPECT_EQ(r.sections.back().heading, "十、下步工作");
}

TEST(MonthlyReport, TownshipsAreRankedAgainstTheOverallRate) {
  Report r = BuildMonthly(Inputs());
  const std::string& t = FindParagraph(r, "by_region")->text;
  // 甲镇 50% vs overall 30.8046…% → 19.2 points higher; 乙镇 exactly 时序进度 → 持平.
  EXPECT_NE(t.find("甲镇完成投资0.5亿元，占年度计划的50%，超时序进度25个百分点，高于总体进度19.2个百分点，位居第1"), std::string::npos) << t;
  EXPECT_NE(t.find("乙镇完成投资0.25亿元，占年度计划的25%，与时序进度持平，低于总体进度5.8个百分点，位居第2"), std::string::npos) << t;
  const std::string& demo = FindParagraph(r, "demo")->text;
  // 24.96%: −0.04 points rounds to 持平.
  EXPECT_EQ(demo, "1个重点示范项目累计完成投资0.25亿元，占年度计划的24.96%，与时序进度持平，低于总体进度5.8个百分点。");
  EXPECT_NE(FindParagraph(r, "problems")->text.find("办结率70%"), std::string::npos);
  EXPECT_NE(FindParagraph(r, "redblack")->text.find("甲镇列入红榜"), std::string::npos);
}

TEST(MonthlyReport, AZeroPlanAndAnEmptyMonthAreWrittenWithoutARate) {
  MonthlyInputs in = Inputs();
  in.by_level.groups = {Group("省重点", 1, 0, 5'000'000, Ratio::Of(25, 1))};
  in.by_level.total = in.by_level.groups[0];
  Report r = BuildMonthly(in);
  EXPECT_EQ(FindParagraph(r, "summary")->text, "1—3月，全县1个省市重点项目累计完成投资0.05亿元，暂无年度计划投资。");
  EXPECT_EQ(FindTable(r, "by_level")->rows.back(), (std::vector<std::string>{"合计", "1", "0.00", "500.00", "—", "—"}));
}

// Every figure of a sentence is written exactly as the same figure in its table.
TEST(MonthlyReport, EveryFigureOfASentenceIsTheSameInItsTable) {
  Report r = BuildMonthly(Inputs());
  const std::map<std::string, std::string> table_of = {
      {"total", "by_level"}, {"level", "by_level"}, {"status", "by_status"}, {"industry", "by_industry"}, {"region", "by_region"}};
  int checked = 0;
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind != Block::Kind::kParagraph) continue;
      for (const Figure& f : b.paragraph.figures) {
        EXPECT_NE(b.paragraph.text.find(f.text), std::string::npos) << f.key;
        const std::string head = f.key.substr(0, f.key.find('.'));
        const std::string field = f.key.substr(f.key.rfind('.') + 1);
        if (!table_of.count(head) || field == "completed_yi" || field == "vs_total_points") continue;
        const std::string name = head == "total" ? "合计" : f.key.substr(head.size() + 1, f.key.rfind('.') - head.size() - 1);
        const Table* t = FindTable(r, table_of.at(head));
        ASSERT_NE(t, nullptr) << f.key;
        bool found = false;
        for (const auto& row : t->rows) {
          if (std::find(row.begin(), row.end(), name) == row.end()) continue;
          for (const auto& cell : row) found = found || cell == f.text || cell == "+" + f.text || cell == "-" + f.text;
        }
        EXPECT_TRUE(found) << f.key << " = " << f.text;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 15);
}

TEST(MonthlyReport, AnEditKeepsEveryFigureOrIsRefusedNamingTheParagraph) {
  Report r = BuildMonthly(Inputs());
  EXPECT_TRUE(ApplyOverrides(r, {{"summary", "今年1—3月，全县72个省市重点项目完成投资49.5亿元，完成年度计划30.8%，超出时序进度5.8个百分点。"}}).ok());
  EXPECT_TRUE(FindParagraph(r, "summary")->edited);
  Status changed = ApplyOverrides(r, {{"summary", "1—3月，全县72个省市重点项目累计完成投资49.6亿元，占年度计划的30.8%，超时序进度5.8个百分点。"}});
  EXPECT_EQ(changed.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(changed.field(), "overrides.summary");
  EXPECT_EQ(ApplyOverrides(r, {{"summary", "全县重点项目进展顺利。"}}).code(), ErrorCode::kInvalidArgument);  // figures dropped
  EXPECT_EQ(ApplyOverrides(r, {{"nosuch", "x"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(NumbersIn("1—3月完成30.8%，位居第2"), (std::vector<std::string>{"1", "3", "30.8", "2"}));
}

// A published report is kept as its JSON and drawn again from it: the model read back is the same model,
// edits, number and charts included; a broken shape is refused naming the field.
TEST(PublishedReport, ReadsBackFromItsJsonAsTheSameModel) {
  Report r = BuildMonthly(Inputs());
  ASSERT_TRUE(ApplyOverrides(r, {{"summary", "今年1—3月，全县72个省市重点项目完成投资49.5亿元，完成年度计划30.8%，超出时序进度5.8个百分点。"}}).ok());
  r.issue = "第3期";
  const boost::json::object once = ReportToJson(r);
  auto back = ReportFromJson(once);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ReportToJson(*back), once);
  EXPECT_EQ(back->issue, "第3期");
  EXPECT_TRUE(FindParagraph(*back, "summary")->edited);
  EXPECT_EQ(back->levels, r.levels);
  EXPECT_FALSE(ReportToJson(BuildMonthly(Inputs())).contains("issue"));  // a draft has no number
  boost::json::object broken = once;
  broken["sections"].as_array()[0].as_object()["blocks"].as_array()[0].as_object().erase("text");
  EXPECT_EQ(ReportFromJson(broken).status().field(), "text");
  EXPECT_EQ(ReportFromJson(boost::json::value("x")).status().code(), ErrorCode::kInvalidArgument);
}

TEST(QuarterlyReview, AddsTheSamePeriodLastYearAndTheQuarterBefore) {
  MonthlyInputs in = Inputs();
  stats::StatsResult ly;
  ly.total = Group("total", 70, 15'000'000'000, 4'000'000'000, Ratio::Of(25, 1));
  in.last_year = ly;
  in.line.cumulative[0] = Money(1'000'000'000);
  in.line.cumulative[1] = Money(3'000'000'000);
  in.line.cumulative[2] = Money(4'950'000'000);
  in.last_line.cumulative[8] = Money(10'000'000'000);
  in.last_line.cumulative[11] = Money(14'000'000'000);
  Report r = BuildQuarterly(in);
  EXPECT_EQ(r.kind, "quarterly");
  EXPECT_EQ(r.title, "2024年一季度全县省市重点项目建设情况");
  EXPECT_EQ(FindParagraph(r, "summary")->text,
            "一季度，全县72个省市重点项目累计完成投资49.5亿元，占年度计划的30.8%，超时序进度5.8个百分点。");
  // 4/15 = 26.67%, 1.7 points ahead; +9.5亿 is 23.75% → 23.8; 30.80 − 26.67 = 4.1 points.
  EXPECT_EQ(FindParagraph(r, "yoy")->text,
            "同比看，上年同期70个项目累计完成投资40亿元，占年度计划的26.67%，超时序进度1.7个百分点；"
            "今年累计完成投资较上年同期增加9.5亿元，增长23.8%，完成率高于上年同期4.1个百分点。");
  // The first quarter against last year's fourth (140亿 − 100亿).
  EXPECT_EQ(FindParagraph(r, "qoq")->text, "环比看，本季度完成投资49.5亿元，上一季度完成投资40亿元，环比增加9.5亿元。");
  EXPECT_EQ(r.sections[1].heading, "二、同比环比");
  EXPECT_EQ(r.sections.back().heading, "十一、下步工作");
  // The second quarter: its own months, against the first.
  in.month = 6;
  in.line.cumulative[5] = Money(8'950'000'000);
  EXPECT_EQ(FindParagraph(BuildQuarterly(in), "qoq")->text,
            "环比看，本季度完成投资40亿元，上一季度完成投资49.5亿元，环比减少9.5亿元。");
}

TEST(AnnualSummary, IsTheYearToDecember) {
  MonthlyInputs in = Inputs();
  Report r = BuildAnnual(in);
  EXPECT_EQ(r.kind, "annual");
  EXPECT_EQ(r.title, "2024年全县省市重点项目建设情况总结");
  EXPECT_TRUE(FindParagraph(r, "summary")->text.starts_with("全年，全县72个省市重点项目")) << FindParagraph(r, "summary")->text;
}

}  // namespace
}  // namespace kp::reports
