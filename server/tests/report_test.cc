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

// The scope's word: every level (or none named) is "重点"; a subset names its levels in order.
TEST(MonthlyReport, TheTitleNamesTheLevelsOnlyWhenNotAllAreIn) {
  MonthlyInputs in = Inputs();
  in.levels = {};
  EXPECT_EQ(BuildMonthly(in).title, "2024年1—3月全县重点项目建设情况分析");
  in.levels = {Level::kCounty, Level::kProvincial, Level::kMunicipal};
  EXPECT_EQ(BuildMonthly(in).title, "2024年1—3月全县重点项目建设情况分析");
  in.levels = {Level::kCounty, Level::kProvincial};
  EXPECT_EQ(BuildMonthly(in).title, "2024年1—3月全县省县重点项目建设情况分析");
}

// Industries are joined by "；" (none before the first); the red/black sentence names no exemption when there
// is none, and each exempt township when there are.
TEST(MonthlyReport, IndustriesAndTheRedBlackListReadAsWritten) {
  MonthlyInputs in = Inputs();
  const Ratio sched = Ratio::Of(25, 1);
  in.by_industry.groups = {Group("工业", 40, 10'000'000'000, 3'000'000'000, sched),
                           Group("水利", 32, 6'069'495'694, 1'950'000'000, sched)};
  Report r = BuildMonthly(in);
  EXPECT_EQ(FindParagraph(r, "by_industry")->text,
            "从行业看，工业项目40个，完成投资30亿元，占年度计划的30%，超时序进度5个百分点，低于总体进度0.8个百分点；"
            "水利项目32个，完成投资19.5亿元，占年度计划的32.13%，超时序进度7.1个百分点，高于总体进度1.3个百分点。");
  EXPECT_EQ(FindParagraph(r, "redblack")->text, "按红黑榜规则（目标为完成年度计划的25%），甲镇列入红榜，无单位列入黑榜。");
  stats::RedBlackEntry off;
  off.figures = in.by_region.groups[2];
  off.reason = "重大项目调整";
  in.redblack.exempt.push_back(off);
  EXPECT_EQ(FindParagraph(BuildMonthly(in), "redblack")->text,
            "按红黑榜规则（目标为完成年度计划的25%），甲镇列入红榜，无单位列入黑榜；丙镇因故免于列入黑榜。");
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
  // Figures keep their order and their direction: two swapped, 超 turned into 低于, are refused.
  EXPECT_EQ(ApplyOverrides(r, {{"summary", "1—3月，全县72个省市重点项目累计完成投资49.5亿元，占年度计划的5.8%，超时序进度30.8个百分点。"}}).field(),
            "overrides.summary");
  EXPECT_EQ(ApplyOverrides(r, {{"summary", "1—3月，全县72个省市重点项目累计完成投资49.5亿元，占年度计划的30.8%，低于时序进度5.8个百分点。"}}).field(),
            "overrides.summary");
  EXPECT_EQ(BoundTokensIn("超时序进度5.8个百分点，低于总体1个；稳步增长，永丰镇第2", {"永丰镇"}),
            (std::vector<std::string>{"超", "5.8个百分点", "低于", "1个", "「永丰镇」", "2"}));
  EXPECT_EQ(BoundTokensIn("未超时序进度-4.9个百分点，没有低于负1%"), (std::vector<std::string>{"不超", "-4.9个百分点", "不低于", "-1%"}));
  // Not bound: its unit (16.2万元 for 16.2亿元), a negation, a sign, or the order of the names.
  const std::string levels_text = FindParagraph(r, "by_level")->text;
  auto refused = [&](const std::string& id, const std::string& text) {
    Report copy = r;
    return ApplyOverrides(copy, {{id, text}}).field() == "overrides." + id;
  };
  auto replaced = [](std::string s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << s;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  const std::string summary = "1—3月，全县72个省市重点项目累计完成投资49.5亿元，占年度计划的30.8%，超时序进度5.8个百分点。";
  EXPECT_TRUE(refused("summary", replaced(summary, "49.5亿元", "49.5万元")));
  EXPECT_TRUE(refused("summary", replaced(summary, "超时序进度", "未超时序进度")));
  EXPECT_TRUE(refused("summary", replaced(summary, "5.8个", "-5.8个")));
  EXPECT_TRUE(refused("summary", replaced(summary, "30.8%", "30.8‰")));
  EXPECT_FALSE(refused("summary", replaced(summary, "30.8%", "３０．８％")));  // full-width, point included
  const Paragraph* region = FindParagraph(r, "by_region");
  ASSERT_NE(region, nullptr);
  ASSERT_GE(region->bound.size(), 2u);
  const std::string a = region->bound[0], b = region->bound[1];
  std::string swapped = region->text;
  swapped.replace(swapped.find(a), a.size(), "\x01");
  swapped.replace(swapped.find(b), b.size(), a);
  swapped.replace(swapped.find("\x01"), 1, b);
  EXPECT_TRUE(refused("by_region", swapped)) << swapped;
  EXPECT_FALSE(refused("by_region", "据统计，" + region->text));
  // A paragraph without figures (下一步) is the staff's own text: words, numbers and ① are theirs.
  EXPECT_FALSE(refused("next_steps", "下一步：①3个月内解决用地问题；②稳步增长。"));
  (void)levels_text;
  // Full-width digits (an input method's full-width mode) are the figures written 0-9; an extra figure in them
  // is an extra figure; other scripts' digits are refused; line breaks are joined.
  ASSERT_TRUE(ApplyOverrides(r, {{"summary", "今年１—３月，全县７２个省市重点项目\n完成投资49.5亿元，完成年度计划30.8％，超出时序进度5.8个百分点。"}}).ok());
  EXPECT_EQ(FindParagraph(r, "summary")->text, "今年1—3月，全县72个省市重点项目完成投资49.5亿元，完成年度计划30.8%，超出时序进度5.8个百分点。");
  EXPECT_EQ(ApplyOverrides(r, {{"summary", "今年1—3月，全县72个省市重点项目完成投资49.5亿元（７１.５９），完成年度计划30.8%，超出时序进度5.8个百分点。"}}).field(),
            "overrides.summary");
  Status arabic = ApplyOverrides(r, {{"summary", "今年1—3月，全县72个省市重点项目完成投资49.5亿元（\u0667），完成年度计划30.8%，超出时序进度5.8个百分点。"}});
  EXPECT_EQ(arabic.field(), "overrides.summary");
  EXPECT_NE(arabic.message().find("U+0667"), std::string::npos) << arabic.message();
  // Blank in any kind of space is empty.
  for (const char* blank : {"\u3000\u3000", "\u00a0 \u2003", "\u2800"}) {
    EXPECT_EQ(ApplyOverrides(r, {{"summary", blank}}).field(), "overrides.summary") << blank;
  }
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

const Chart* FindChart(const Report& r, const std::string& id) {
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind == Block::Kind::kChart && b.chart.id == id) return &b.chart;
    }
  }
  return nullptr;
}

// The summary's curve: the cumulative completion rate at each month's end against 时序进度 (month / 12), its
// last point the summary's rate; the township chart's bars in rank order against the month's 时序进度.
TEST(MonthlyReport, DrawsTheCumulativeRateAgainstTheScheduleAndTheTownshipsInRankOrder) {
  MonthlyInputs in = Inputs();
  in.line.plan = in.by_level.total.plan;  // 160.69495694亿
  in.line.cumulative[0] = Money(1'000'000'000);
  in.line.cumulative[1] = Money(3'000'000'000);
  in.line.cumulative[2] = Money(4'950'000'000);
  in.line.cumulative[3] = Money(9'000'000'000);  // after the report's month: not drawn
  Report r = BuildMonthly(in);
  const Chart* curve = FindChart(r, "cumulative");
  ASSERT_NE(curve, nullptr);
  EXPECT_EQ(curve->shape, Chart::Shape::kCurve);
  EXPECT_EQ(curve->title, "图1  累计完成率与时序进度（%）");
  EXPECT_EQ(curve->labels, (std::vector<std::string>{"1月", "2月", "3月"}));
  ASSERT_EQ(curve->series.size(), 2u);
  EXPECT_EQ(curve->series[0].name, "累计完成率");
  EXPECT_EQ(curve->series[1].name, "时序进度");
  const double plan = 16'069'495'694.0;
  const std::vector<double> rate = {100 * 1e9 / plan, 100 * 3e9 / plan, 100 * 4.95e9 / plan};
  const std::vector<double> schedule = {100.0 / 12, 200.0 / 12, 25.0};
  ASSERT_EQ(curve->series[0].values.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(curve->series[0].values[i], rate[i], 1e-9) << i;
    EXPECT_NEAR(curve->series[1].values[i], schedule[i], 1e-9) << i;
  }
  EXPECT_NEAR(curve->series[0].values.back(), in.by_level.total.completion_pct->ToDouble(), 1e-12);  // 30.80…%
  EXPECT_EQ(curve, &r.sections[0].blocks.back().chart);  // in 一、总体情况
  const Chart* towns = FindChart(r, "by_region");
  ASSERT_NE(towns, nullptr);
  EXPECT_EQ(towns->shape, Chart::Shape::kBars);
  EXPECT_EQ(towns->title, "图2  各乡镇完成率与时序进度（%）");
  EXPECT_EQ(towns->line_label, "时序进度 25%");
  EXPECT_DOUBLE_EQ(towns->line_value, 25.0);
  ASSERT_EQ(towns->bars.size(), 3u);
  EXPECT_EQ(towns->bars[0], (std::pair<std::string, double>{"甲镇", 50.0}));
  EXPECT_EQ(towns->bars[1], (std::pair<std::string, double>{"乙镇", 25.0}));
  EXPECT_NEAR(towns->bars[2].second, 100 * 4'875'000'000.0 / 15'869'495'694.0, 1e-9);
  // A zero plan draws zeros, not a division by zero; the quarterly review numbers its charts the same way.
  in.line.plan = Money();
  EXPECT_EQ(FindChart(BuildMonthly(in), "cumulative")->series[0].values, (std::vector<double>{0, 0, 0}));
  Report q = BuildQuarterly(in);
  EXPECT_EQ(FindChart(q, "cumulative")->title, "图1  累计完成率与时序进度（%）");
  EXPECT_EQ(FindChart(q, "by_region")->title, "图2  各乡镇完成率与时序进度（%）");
  in.month = 1;
  EXPECT_EQ(FindChart(BuildMonthly(in), "cumulative")->labels, (std::vector<std::string>{"1月"}));
}

// A curve reads back from the published JSON; a chart published before curves (no shape) is bars; a wrong
// shape or a series that does not fit its labels is refused naming the field.
TEST(PublishedReport, ChartsReadBackAndOldOnesAreBars) {
  MonthlyInputs in = Inputs();
  in.line.plan = in.by_level.total.plan;
  in.line.cumulative = {Money(1'000'000'000), Money(3'000'000'000), Money(4'950'000'000)};
  const boost::json::object once = ReportToJson(BuildMonthly(in));
  auto back = ReportFromJson(once);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ReportToJson(*back), once);
  EXPECT_EQ(FindChart(*back, "cumulative")->series[0].values, FindChart(BuildMonthly(in), "cumulative")->series[0].values);
  auto block = [](boost::json::object& o, const std::string& id) -> boost::json::object& {
    for (auto& sec : o["sections"].as_array()) {
      for (auto& b : sec.as_object()["blocks"].as_array()) {
        auto& o = b.as_object();
        if (o["id"].as_string() == id && o["type"].as_string() == "chart") return o;
      }
    }
    throw std::runtime_error("no chart " + id);
  };
  boost::json::object old = once;
  for (const char* k : {"shape", "labels", "series"}) block(old, "by_region").erase(k);
  auto old_back = ReportFromJson(old);
  ASSERT_TRUE(old_back.ok()) << old_back.status().message();
  EXPECT_EQ(FindChart(*old_back, "by_region")->shape, Chart::Shape::kBars);
  EXPECT_EQ(FindChart(*old_back, "by_region")->bars.size(), 3u);
  boost::json::object pie = once;
  block(pie, "cumulative")["shape"] = "pie";
  EXPECT_EQ(ReportFromJson(pie).status().field(), "shape");
  boost::json::object short_series = once;
  block(short_series, "cumulative")["series"].as_array()[0].as_object()["values"].as_array().pop_back();
  EXPECT_EQ(ReportFromJson(short_series).status().field(), "values");
  boost::json::object word = once;
  block(word, "cumulative")["series"].as_array()[1].as_object()["values"].as_array()[0] = "8.3";
  EXPECT_EQ(ReportFromJson(word).status().field(), "values");  // a figure written as text is not a figure
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
