#include "domain/import_parser.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace kp {
namespace {

const char* kReportsCsv = "项目编码,填报月份,本月完成投资(万元),形象进度\nP-1,2024-03,12.5,主体施工\n";
const char* kProjectsCsv = "项目编码,项目名称,项目级别,年度计划投资(万元)\nP-1,某项目,县重点,100\n";

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

}  // namespace
}  // namespace kp
