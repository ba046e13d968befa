// Figures the bureau publishes outside the statistics table, against counts and sums made here:
// 填报率 and late reports at the deadline's boundaries (and the same count where the statistics
// show it), and the totals row of every export (equal to the statistics' total). On SQLite and
// PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "documents/table_reader.h"
#include "domain/exports.h"
#include "test_db.h"

namespace kp {
namespace {

class PublishedFigures : public testing::DbTest {
 protected:
  // Projects P01..Pn, each with a 2024 plan of (i × 1000 + 7) 万元 and a total investment of
  // (i × 5000) 万元; P99 has only a 2023 plan (not expected to report in 2024).
  void AddProjects(int n) {
    std::vector<ProjectImportRow> rows;
    for (int i = 1; i <= n; ++i) {
      ProjectImportRow r;
      r.project.code = Code(i);
      r.project.name = "项目" + std::to_string(i);
      r.project.level = i % 3 == 0 ? Level::kProvincial : Level::kMunicipal;
      r.project.industry = i % 2 == 0 ? "水利" : "制造";
      r.project.owner = "业主" + std::to_string(i % 2);
      r.project.unit = "县发展和改革局";
      r.project.status = "在建";
      r.project.total_investment = Money::FromWan(i * 5000);
      r.plan_year = 2024;
      r.plan = Money(PlanYuan(i));
      rows.push_back(r);
    }
    ProjectImportRow old;
    old.project.code = "P99";
    old.project.name = "去年的项目";
    old.project.level = Level::kCounty;
    old.project.status = "竣工";
    old.plan_year = 2023;
    old.plan = Money::FromWan(100);
    rows.push_back(old);
    auto written = reg_->ImportProjectRows(rows, "test");
    ASSERT_TRUE(written.ok()) << written.status().message();
  }
  static std::string Code(int i) { return (i < 10 ? "P0" : "P") + std::to_string(i); }
  static int64_t PlanYuan(int i) { return (i * 1000 + 7) * kYuanPerWan; }

  void Report(const std::string& code, YearMonth month, int64_t yuan, const std::string& at) {
    ReportImportRow r;
    r.project_code = code;
    r.report.month = month;
    r.report.completed = Money(yuan);
    r.report.progress = "施工中";
    r.report.submitted_at = at;
    auto written = reg_->ImportReportRows({r}, "test");
    ASSERT_TRUE(written.ok()) << written.status().message();
  }

  void SetDeadlineDay(int day) {
    auto s = reg_->GetSettings();
    ASSERT_TRUE(s.ok());
    s->report_deadline_day = day;
    ASSERT_TRUE(reg_->SaveSettings(*s, "test").ok());
  }

  // The first sheet of an export, as the import reader reads it back.
  static documents::SheetTable ReadBack(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto sheets = documents::ReadXlsx(bytes);
    EXPECT_TRUE(sheets.ok()) << sheets.status().message();
    if (!sheets.ok() || sheets->empty()) return {};
    return sheets->front();
  }
  static std::vector<std::string> RowStarting(const documents::SheetTable& t, const std::string& first) {
    for (const CsvRecord& r : t.rows) {
      if (!r.fields.empty() && r.fields[0] == first) return r.fields;
    }
    return {};
  }
  static std::string TempFile(const std::string& name) {
    return (std::filesystem::path(testing::FreshSqlitePath()).parent_path() / name).string();
  }
};

// Reports for March are due on the deadline day of April by the end of that day in Beijing
// (UTC+8): 15:59:59 UTC. One second later is late.
TEST_P(PublishedFigures, LateReportsAndTheRateAtTheDeadlinesBoundaries) {
  struct Case {
    int deadline_day;
    YearMonth month;
    std::string submitted_at;  // "" = not reported
    bool late;
  };
  const std::vector<Case> cases = {
      {5, {2024, 3}, "2024-04-05T15:59:59Z", false},  // the last second of the deadline day
      {5, {2024, 3}, "2024-04-05T16:00:00Z", true},   // the first second after it
      {5, {2024, 3}, "2024-04-04T23:59:59Z", false},
      {5, {2024, 3}, "2024-04-06T00:00:00Z", true},
      {5, {2024, 3}, "2024-03-31T08:00:00Z", false},  // early
      {5, {2024, 3}, "", false},
      {5, {2024, 3}, "2024-05-01T00:00:00Z", true},
      {28, {2024, 1}, "2024-02-28T15:59:59Z", false},  // the latest deadline day the settings take
      {28, {2024, 1}, "2024-02-28T16:00:00Z", true},
      {28, {2024, 10}, "2024-11-28T15:59:59Z", false},
      {28, {2024, 10}, "2024-11-29T00:00:00Z", true},
      {1, {2024, 12}, "2025-01-01T15:59:59Z", false},  // December is due in January of the next year
      {1, {2024, 12}, "2025-01-01T16:00:00Z", true},
      {1, {2024, 12}, "", false},
  };
  const int n = static_cast<int>(cases.size());
  AddProjects(n);
  std::map<std::pair<int, int>, std::vector<int>> by_setting;  // (deadline day, month) → case indexes
  for (int i = 0; i < n; ++i) by_setting[{cases[i].deadline_day, cases[i].month.month}].push_back(i);
  for (const auto& [key, indexes] : by_setting) {
    const auto [day, month] = key;
    SCOPED_TRACE("deadline day " + std::to_string(day) + ", month " + std::to_string(month));
    SetDeadlineDay(day);
    int64_t reported = 0, late = 0;
    for (int i : indexes) {
      if (cases[i].submitted_at.empty()) continue;
      Report(Code(i + 1), cases[i].month, (i + 1) * 10000 + 1, cases[i].submitted_at);
      ++reported;
      late += cases[i].late;
    }
    auto status = reg_->Reporting({2024, month}, {});
    ASSERT_TRUE(status.ok()) << status.status().message();
    // Every project with a 2024 plan is expected (P99 is not).
    ASSERT_EQ(status->items.size(), static_cast<size_t>(n));
    EXPECT_EQ(status->reported, reported);
    EXPECT_EQ(status->late, late);
    ASSERT_TRUE(status->rate_pct.has_value());
    EXPECT_TRUE(*status->rate_pct == Ratio::Of(reported * 100, n));
    for (const auto& item : status->items) {
      const int i = std::stoi(item.project.code.substr(1)) - 1;
      const bool this_month = cases[i].month.month == month && cases[i].deadline_day == day;
      const bool did = this_month && !cases[i].submitted_at.empty();
      EXPECT_EQ(item.reported, did) << item.project.code;
      EXPECT_EQ(item.late, did && cases[i].late) << item.project.code << " " << cases[i].submitted_at;
      if (did) {
        EXPECT_EQ(item.completed.yuan, (i + 1) * 10000 + 1);
      }
    }
    // The same count where the statistics show it (reporting.reported of the month).
    stats::StatsQuery q;
    q.year = 2024;
    q.month = month;
    auto figures = reg_->Stats(q);
    EXPECT_EQ(figures.reported, status->reported);
    EXPECT_EQ(figures.total.projects, static_cast<int64_t>(status->items.size()));

    // The export says the same: the subtitle's counts and rate, each row's state, the totals row.
    const std::string path = TempFile("status-" + std::to_string(day) + "-" + std::to_string(month) + ".xlsx");
    ASSERT_TRUE(ExportReportingStatus(*status, path).ok());
    documents::SheetTable sheet = ReadBack(path);
    ASSERT_GE(sheet.rows.size(), 2u);
    const std::string rate = Ratio::Of(reported * 100, n).Format(1);
    const std::string want = "应报 " + std::to_string(n) + " 个，已报 " + std::to_string(reported) + " 个（逾期 " +
                             std::to_string(late) + " 个），填报率 " + rate + "%";
    EXPECT_NE(sheet.rows[1].fields.at(0).find(want), std::string::npos) << sheet.rows[1].fields.at(0);
    for (const auto& item : status->items) {
      auto row = RowStarting(sheet, item.project.code);
      ASSERT_GE(row.size(), 6u) << item.project.code;
      EXPECT_EQ(row[5], !item.reported ? "未报" : item.late ? "逾期报送" : "已报") << item.project.code;
    }
    auto total = RowStarting(sheet, "合计");
    ASSERT_GE(total.size(), 6u);
    EXPECT_EQ(total[1], std::to_string(n) + " 个项目");
    EXPECT_EQ(total[5], "已报 " + std::to_string(reported));
  }
}

TEST_P(PublishedFigures, EveryExportsTotalsRowIsTheSumOfItsRowsAndTheStatisticsTotal) {
  constexpr int kProjects = 7;
  AddProjects(kProjects);
  // Amounts with odd yuan, so a rounding or a lost row shows.
  int64_t march_total = 0, q1_total = 0, april_total = 0, reports_2024 = 0;
  for (int i = 1; i <= kProjects; ++i) {
    for (int m = 1; m <= 4; ++m) {
      if ((i + m) % 4 == 0) continue;  // some months not reported
      const int64_t yuan = i * 1'234'567 + m * 89;
      Report(Code(i), {2024, m}, yuan, "2024-0" + std::to_string(m + 1) + "-02T01:00:00Z");
      ++reports_2024;
      if (m <= 3) q1_total += yuan;
      if (m == 3) march_total += yuan;
      if (m == 4) april_total += yuan;
    }
  }
  int64_t plan_total = 0, investment_total = 0;
  for (int i = 1; i <= kProjects; ++i) {
    plan_total += PlanYuan(i);
    investment_total += i * 5000 * kYuanPerWan;
  }
  investment_total += 0;  // P99: no total investment
  auto wan = [](int64_t yuan) { return FormatWan(Money(yuan)); };

  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  const stats::StatsResult figures = reg_->Stats(q);
  ASSERT_EQ(figures.total.plan.yuan, plan_total);
  ASSERT_EQ(figures.total.completed.yuan, q1_total);

  // The register: every project (P99 too), with the year's plan and the completed amount to March.
  const std::string projects = TempFile("projects.xlsx");
  ASSERT_TRUE(ExportProjects(*reg_, {}, q, projects).ok());
  documents::SheetTable sheet = ReadBack(projects);
  std::vector<std::string> header = RowStarting(sheet, "项目编码");
  auto col = [&](const std::string& title) {
    auto it = std::find(header.begin(), header.end(), title);
    EXPECT_NE(it, header.end()) << title;
    return static_cast<size_t>(it - header.begin());
  };
  auto total = RowStarting(sheet, "合计");
  ASSERT_EQ(total.size(), header.size());
  EXPECT_EQ(total[col("项目名称")], std::to_string(kProjects + 1) + " 个项目");
  EXPECT_EQ(total[col("总投资(万元)")], wan(investment_total));
  EXPECT_EQ(total[col("年度计划投资(万元)")], wan(plan_total));
  EXPECT_EQ(total[col("累计完成投资(万元)")], wan(q1_total));
  // The rate and points as the statistics give them (the same figure in two places).
  const double rate = static_cast<double>(q1_total) * 100 / static_cast<double>(plan_total);
  EXPECT_NEAR(std::stod(total[col("完成率(%)")]), rate, 1e-6);
  EXPECT_NEAR(std::stod(total[col("超/欠时序进度(百分点)")]), rate - 25.0, 1e-6);
  EXPECT_NEAR(std::stod(total[col("完成率(%)")]), figures.total.completion_pct->ToDouble(), 1e-9);
  // Each project's row: its own plan and completed amount.
  for (int i = 1; i <= kProjects; ++i) {
    auto row = RowStarting(sheet, Code(i));
    ASSERT_EQ(row.size(), header.size()) << Code(i);
    int64_t done = 0;
    for (int m = 1; m <= 3; ++m) {
      if ((i + m) % 4 != 0) done += i * 1'234'567 + m * 89;
    }
    EXPECT_EQ(row[col("年度计划投资(万元)")], wan(PlanYuan(i))) << Code(i);
    EXPECT_EQ(row[col("累计完成投资(万元)")], wan(done)) << Code(i);
  }

  // The monthly reports: one month, and the whole year.
  const std::string march = TempFile("reports-march.xlsx");
  ASSERT_TRUE(ExportReports(*reg_, 2024, 3, march).ok());
  total = RowStarting(ReadBack(march), "合计");
  ASSERT_GE(total.size(), 4u);
  int march_count = 0;
  for (int i = 1; i <= kProjects; ++i) march_count += (i + 3) % 4 != 0;
  EXPECT_EQ(total[1], std::to_string(march_count) + " 条");
  EXPECT_EQ(total[3], wan(march_total));
  const std::string year = TempFile("reports-year.xlsx");
  ASSERT_TRUE(ExportReports(*reg_, 2024, std::nullopt, year).ok());
  total = RowStarting(ReadBack(year), "合计");
  ASSERT_GE(total.size(), 4u);
  EXPECT_EQ(total[1], std::to_string(reports_2024) + " 条");
  EXPECT_EQ(total[3], wan(q1_total + april_total));

  // The statistics table: each group and the total as the engine computed them.
  q.by = stats::GroupBy::kLevel;
  const stats::StatsResult grouped = reg_->Stats(q);
  const std::string stats_path = TempFile("stats.xlsx");
  ASSERT_TRUE(ExportStats(grouped, "统计", stats_path).ok());
  documents::SheetTable stats_sheet = ReadBack(stats_path);
  ASSERT_EQ(grouped.groups.size(), 2u);
  int64_t group_plan = 0, group_done = 0, group_projects = 0;
  for (const auto& g : grouped.groups) {
    std::vector<std::string> row;
    for (const CsvRecord& r : stats_sheet.rows) {
      if (r.fields.size() > 1 && r.fields[1] == g.key) row = r.fields;
    }
    ASSERT_GE(row.size(), 7u) << g.key;
    EXPECT_EQ(row[0], std::to_string(*g.rank));
    EXPECT_EQ(row[2], std::to_string(g.projects));
    EXPECT_EQ(row[3], wan(g.plan.yuan));
    EXPECT_EQ(row[4], wan(g.completed.yuan));
    EXPECT_NEAR(std::stod(row[5]), g.completion_pct->ToDouble(), 1e-9);
    group_plan += g.plan.yuan;
    group_done += g.completed.yuan;
    group_projects += g.projects;
  }
  total = RowStarting(stats_sheet, "合计");
  ASSERT_GE(total.size(), 7u);
  EXPECT_EQ(total[2], std::to_string(kProjects));
  EXPECT_EQ(total[2], std::to_string(group_projects));
  EXPECT_EQ(total[3], wan(plan_total));
  EXPECT_EQ(total[3], wan(group_plan));
  EXPECT_EQ(total[4], wan(q1_total));
  EXPECT_EQ(total[4], wan(group_done));
  EXPECT_NEAR(std::stod(total[5]), rate, 1e-6);
  EXPECT_NEAR(std::stod(total[6]), rate - 25.0, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Backends, PublishedFigures, ::testing::Values("sqlite", "postgresql"),
                         testing::BackendName);

}  // namespace
}  // namespace kp
