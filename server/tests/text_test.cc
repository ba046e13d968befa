#include "common/text.h"

#include <gtest/gtest.h>

namespace kp {

TEST(ParseCsv, HandlesQuotesEmbeddedNewlinesAndCrlf) {
  auto r = ParseCsv("a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"line1\nline2\"\r\n\r\nlast,,\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields[0], "x, y");
  EXPECT_EQ((*r)[1].fields[1], "he said \"hi\"");
  EXPECT_EQ((*r)[1].fields[2], "line1\nline2");
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[2].line, 5);  // the quoted newline and the blank line count
  EXPECT_EQ((*r)[2].fields.size(), 3u);
}

TEST(ParseCsv, ReportsAnUnterminatedQuoteWithItsLine) {
  auto r = ParseCsv("a,b\n1,\"oops\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("2"), std::string::npos);
}

TEST(DecodeToUtf8, DetectsBomUtf8AndGbk) {
  auto bom = DecodeToUtf8("\xEF\xBB\xBF项目");
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->text, "项目");
  EXPECT_EQ(bom->encoding, TextEncoding::kUtf8Bom);
  // "项目编码" in GBK.
  auto gbk = DecodeToUtf8("\xCF\xEE\xC4\xBF\xB1\xE0\xC2\xEB");
  ASSERT_TRUE(gbk.ok());
  EXPECT_EQ(gbk->text, "项目编码");
  EXPECT_EQ(gbk->encoding, TextEncoding::kGbk);
}

TEST(DecodeToUtf8, RejectsBytesThatAreNeitherUtf8NorGbk) {
  auto bad = DecodeToUtf8("ok\nbad \xFF\xFF\xFF here");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("第 2 行"), std::string::npos);
}

TEST(NormalizeHeader, MakesFullWidthAndBlanksIrrelevant) {
  EXPECT_EQ(NormalizeHeader(" 总投资（万元） "), "总投资(万元)");
  EXPECT_EQ(NormalizeHeader("Project_Code"), "project_code");
  EXPECT_EQ(NormalizeHeader("*项目名称"), "项目名称");
}

}  // namespace kp
