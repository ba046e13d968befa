#include "domain/import_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace kp {
namespace {

const char* kReportsCsv = "项目编码,填报月份,本月完成投资(万元),形象进度\nP-1,2024-03,12.5,主体施工\n";
const char* kProjectsCsv = "项目编码,项目名称,项目级别,年度计划投资(万元)\nP-1,某项目,县重点,100\n";

// A retired region's old name follows its merges to the region in use, up to 64 merges (a guard against a
// cycle); one more is an error naming the row, never a new region. An ambiguous name and an unknown parent
// are errors of the row too.
TEST(ImportParser, ARetiredRegionsNameFollowsSixtyFourMergesAndNoMore) {
  std::vector<Region> regions;
  for (int64_t id = 1; id <= 66; ++id) {
    Region r;
    r.id = id;
    r.name = id == 66 ? "新镇" : "旧镇" + std::to_string(id);
    if (id < 66) {
      r.retired_at = "2024-01-01T00:00:00Z";
      r.merged_into = id + 1;
    }
    regions.push_back(r);
  }
  // Two towns of one name under two counties.
  for (int64_t id : {67, 68}) regions.push_back(Region{id, std::nullopt, id == 67 ? "甲县" : "乙县", "", "", std::nullopt});
  for (int64_t id : {69, 70}) regions.push_back(Region{id, id - 2, "城关镇", "", "", std::nullopt});
  std::vector<ProjectImportRow> rows(6);
  rows[0].region_text = "旧镇65";  // one merge
  rows[1].region_text = "旧镇2";   // 64 merges
  rows[2].region_text = "旧镇1";   // 65
  rows[3].region_text = "新镇";
  rows[4].region_text = "城关镇";       // ambiguous
  rows[5].region_text = "丙县/新设镇";  // a new town under an unknown county
  for (size_t i = 0; i < rows.size(); ++i) rows[i].line = static_cast<int>(i) + 2;
  auto errors = ResolveRegions(rows, regions);
  EXPECT_EQ(rows[0].project.region_id, 66);
  EXPECT_EQ(rows[1].project.region_id, 66);
  EXPECT_FALSE(rows[2].project.region_id);
  EXPECT_EQ(rows[3].project.region_id, 66);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].row, 4);
  EXPECT_NE(errors[0].reason.find("已停用"), std::string::npos) << errors[0].reason;
  EXPECT_EQ(errors[1].row, 6);
  EXPECT_NE(errors[1].reason.find("甲县/城关镇"), std::string::npos) << errors[1].reason;
  EXPECT_EQ(errors[2].row, 7);
  EXPECT_NE(errors[2].reason.find("丙县"), std::string::npos) << errors[2].reason;
  // Each names the column and no one cell (-1): the register puts the file's column in.
  for (const ImportError& e : errors) {
    EXPECT_EQ(e.column, "所在地区") << e.row;
    EXPECT_EQ(e.col, -1) << e.row;
  }
}

TEST(ImportParser, AMonthlyReportsFileChosenAsProjectsIsNamedAsSuch) {
  auto parsed = ParseProjectsFile(kReportsCsv, "");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].reason.find("这像是月报文件"), std::string::npos) << parsed.errors[0].reason;
  EXPECT_NE(parsed.errors[0].reason.find("切换到“月报”"), std::string::npos);
}

TEST(ImportParser, AProjectRegisterChosenAsReportsIsNamedAsSuch) {
  std::unordered_set<std::string> known = {"P-1"};
  auto parsed = ParseReportsFile(kProjectsCsv, known, "");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].reason.find("这像是项目库文件"), std::string::npos) << parsed.errors[0].reason;
}

TEST(ImportParser, AFileOfNeitherKindStillListsTheMissingColumns) {
  auto parsed = ParseProjectsFile("项目编码,备注\nP-1,x\n", "");
  ASSERT_GE(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].reason.find("缺少必填列"), std::string::npos);
}

// A demand's 对接银行 cell lists banks split at 、 , ， ; ；, each once, in order, trimmed.
TEST(ImportParser, AFinancingRowsBanksAreSplitAtEverySeparator) {
  const std::string csv =
      "项目编码,融资金额(万元),对接银行,阶段,登记日期\n"
      "P-1,100,工商银行、农业银行，中国银行; 建设银行；工商银行,推送,2024-03-01\n"
      "P-1,50,,,2024-03-02\n";
  auto parsed = ParseFinancingFile(csv, {"P-1"}, Date{2024, 6, 1});
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].reason;
  ASSERT_EQ(parsed.rows.size(), 2u);
  std::vector<std::string> banks;
  for (const auto& p : parsed.rows[0].demand.pushes) banks.push_back(p.bank);
  EXPECT_EQ(banks, (std::vector<std::string>{"工商银行", "农业银行", "中国银行", "建设银行"}));
  EXPECT_TRUE(parsed.rows[1].demand.pushes.empty());
  // From 对接中 on, the first bank has answered (审批中: approving; else interested), the others not; a
  // pushed demand's banks have not answered.
  const std::string staged =
      "项目编码,融资金额(万元),对接银行,阶段,登记日期\n"
      "P-1,101,工商银行、农业银行,对接中,2024-03-01\n"
      "P-1,102,工商银行、农业银行,审批中,2024-03-01\n"
      "P-1,103,工商银行、农业银行,推送,2024-03-01\n";
  parsed = ParseFinancingFile(staged, {"P-1"}, Date{2024, 6, 1});
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].reason;
  ASSERT_EQ(parsed.rows.size(), 3u);
  auto answers = [&](size_t row) {
    std::vector<std::string> out;
    for (const auto& p : parsed.rows[row].demand.pushes) out.push_back(p.answer);
    return out;
  };
  EXPECT_EQ(answers(0), (std::vector<std::string>{"interested", ""}));
  EXPECT_EQ(answers(1), (std::vector<std::string>{"approving", ""}));
  EXPECT_EQ(answers(2), (std::vector<std::string>{"", ""}));
}

// A node's 序号 is 1-10000; a row with a bad cell gets that error only (its duplicate is not also
// reported), and the duplicate of a good row names both lines.
TEST(ImportParser, ANodesFilesOrderIsOneToTenThousandAndARowHasItsOwnErrors) {
  for (const char* seq : {"0", "10001", "-1", "1.5"}) {
    const std::string csv = std::string("项目编码,节点名称,计划完成日期,序号\nP-1,开工,2024-03-01,") + seq + "\n";
    auto parsed = ParseNodesFile(csv, {"P-1"});
    ASSERT_EQ(parsed.errors.size(), 1u) << seq;
    EXPECT_EQ(parsed.errors[0].column, "序号") << seq;
  }
  for (const char* seq : {"1", "10000"}) {
    const std::string csv = std::string("项目编码,节点名称,计划完成日期,序号\nP-1,开工,2024-03-01,") + seq + "\n";
    auto parsed = ParseNodesFile(csv, {"P-1"});
    EXPECT_TRUE(parsed.errors.empty()) << seq;
    ASSERT_EQ(parsed.rows.size(), 1u);
    EXPECT_EQ(parsed.rows[0].node.seq, std::stoi(seq));
  }
  auto parsed = ParseNodesFile("项目编码,节点名称,计划完成日期,序号\nP-1,开工,2024-03-01,1\nP-1,开工,2024-03-01,0\n", {"P-1"});
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].row, 3);
  EXPECT_EQ(parsed.errors[0].column, "序号");
  parsed = ParseNodesFile("项目编码,节点名称,计划完成日期,序号\nP-1,开工,2024-03-01,1\nP-1,开工,2024-03-05,2\n", {"P-1"});
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].row, 3);
}

}  // namespace
}  // namespace kp
