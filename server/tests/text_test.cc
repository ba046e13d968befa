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

TEST(TextProblem, AcceptsOrdinaryChineseAndLatinText) {
  EXPECT_EQ(TextProblem("中江县 G5 高速连接线（一期）", TextShape::kSingleLine), "");
  // The characters next to the noncharacters are ordinary: U+FDCF, U+FDF0, U+FFFD, U+1FFFD, an emoji.
  EXPECT_EQ(TextProblem("\xEF\xB7\x8F\xEF\xB7\xB0\xEF\xBF\xBD\xF0\x9F\xBF\xBD\xF0\x9F\x98\x80", TextShape::kSingleLine), "");
  EXPECT_EQ(TextProblem("第一行\n第二行\t完", TextShape::kMultiLine), "");
}

TEST(TextProblem, RefusesControlInvisibleAndBrokenCharactersInEveryShape) {
  for (std::string bad : {std::string("a\0b", 3), std::string("a\x01" "b"), std::string("a\x7f"),
                          std::string("a\xC2\x85" "b"),        // U+0085 (C1)
                          std::string("a\xE2\x80\x8B" "b"),   // U+200B zero width space
                          std::string("a\xE2\x80\xAE" "b"),   // U+202E right-to-left override
                          std::string("a\xE2\x81\xA6" "b"),   // U+2066 isolate
                          std::string("\xEF\xBB\xBF" "a"),  // U+FEFF BOM
                          std::string("a\xE2\x80\xA8" "b"),   // U+2028 line separator
                          std::string("a\xC2\xAD" "b"),        // soft hyphen
                          std::string("a\xF3\xA0\x80\x81"),  // U+E0001 tag
                          std::string("a\xEF\xB7\x90" "b"),   // U+FDD0 noncharacter
                          std::string("a\xEF\xB7\xAF" "b"),   // U+FDEF noncharacter
                          std::string("a\xEF\xBF\xBE" "b"),   // U+FFFE
                          std::string("a\xF0\x9F\xBF\xBF"),  // U+1FFFF, a plane's last
                          std::string("a\xF4\x8F\xBF\xBE"),  // U+10FFFE
                          std::string("a\xFF" "b")}) {        // not UTF-8
    EXPECT_NE(TextProblem(bad, TextShape::kMultiLine), "") << bad;
    EXPECT_NE(TextProblem(bad, TextShape::kSingleLine), "") << bad;
  }
}

TEST(TextProblem, RefusesLineBreaksAndTabsOnlyInSingleLineText) {
  for (const char* s : {"a\nb", "a\rb", "a\tb"}) {
    EXPECT_NE(TextProblem(s, TextShape::kSingleLine), "") << s;
    EXPECT_EQ(TextProblem(s, TextShape::kMultiLine), "") << s;
  }
}

}  // namespace kp

namespace kp {

TEST(TextHelpers, JoinBlankScrubAndOtherDigits) {
  EXPECT_EQ(JoinLines("全县\n72个\r\n\t项目"), "全县72个项目");
  EXPECT_EQ(JoinLines("G5\nroad 1\n2"), "G5 road 1 2");  // a space only between two ASCII letters or digits
  EXPECT_EQ(JoinLines("\nab\n"), "ab");
  for (const char* blank : {"", " \t", "\u3000", "\u00a0\u2003\u2800", "\u3164"}) EXPECT_TRUE(IsBlankText(blank)) << blank;
  for (const char* text : {"a", " 。", "\u3000x"}) EXPECT_FALSE(IsBlankText(text)) << text;
  EXPECT_FALSE(IsBlankText("\xFF"));
  EXPECT_EQ(ScrubText("a\uFFFFb\xFF", TextShape::kSingleLine), "a\uFFFDb\uFFFD");
  EXPECT_EQ(ScrubText("a\nb", TextShape::kMultiLine), "a\nb");
  EXPECT_EQ(ScrubText("a\nb", TextShape::kSingleLine), "a\uFFFDb");
  EXPECT_EQ(OtherDigitIn("30.8%，第2名，一季度"), 0u);
  EXPECT_EQ(OtherDigitIn("完成\u0667"), 0x0667u);  // Arabic-Indic seven
  EXPECT_EQ(OtherDigitIn("①"), 0x2460u);
  EXPECT_EQ(OtherDigitIn("\uFF17"), 0u);  // full-width seven: written 0-9 by the caller first
  EXPECT_EQ(OtherDigitIn("二〇二四年"), 0u);  // 〇 in a date written in words
  EXPECT_EQ(OtherDigitIn("\U0001FBF5"), 0x1FBF5u);  // a segmented digit, drawn like 5
  EXPECT_EQ(OtherDigitIn("\u2167"), 0x2167u);  // Roman numeral eight
  EXPECT_EQ(OtherDigitIn("\uA625"), 0xA625u);  // Vai five
  EXPECT_EQ(OtherDigitIn("x\U0001D7D5"), 0x1D7D5u);  // mathematical bold seven
  EXPECT_EQ(OtherDigitIn("²"), 0xB2u);
}

}  // namespace kp
