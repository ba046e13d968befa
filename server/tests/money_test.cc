#include "common/money.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace kp {

TEST(ParseWan, ReadsWholeAndFractionalAmountsExactly) {
  EXPECT_EQ(ParseWan("1234").value().yuan, 12'340'000);
  EXPECT_EQ(ParseWan("1234.5678").value().yuan, 12'345'678);
  EXPECT_EQ(ParseWan(" 1,234.5 ").value().yuan, 12'345'000);
  EXPECT_EQ(ParseWan("０．５").value().yuan, 5'000);
  EXPECT_EQ(ParseWan("1.50000").value().yuan, 15'000);
}

TEST(ParseWan, RejectsNegativeNonNumericAndTooPrecise) {
  EXPECT_FALSE(ParseWan("-1").ok());
  EXPECT_FALSE(ParseWan("abc").ok());
  EXPECT_FALSE(ParseWan("1.23456").ok());
  EXPECT_FALSE(ParseWan("").ok());
  EXPECT_FALSE(ParseWan("1.2.3").ok());
  EXPECT_NE(ParseWan("-5").status().message().find("负数"), std::string::npos);
}

TEST(FormatWan, PrintsExactDecimalTrimmed) {
  EXPECT_EQ(FormatWan(Money(12'345'678)), "1234.5678");
  EXPECT_EQ(FormatWan(Money(12'340'000)), "1234");
  EXPECT_EQ(FormatWanRounded(Money(12'345'678), 2), "1234.57");
  EXPECT_EQ(FormatYiRounded(Money(1'620'000'000), 1), "16.2");
}

TEST(Ratio, RoundsHalfAwayFromZeroOnlyWhenFormatted) {
  EXPECT_EQ(Ratio::Of(1, 3).Format(2), "0.33");
  EXPECT_EQ(Ratio::Of(2, 3).Format(2), "0.67");
  EXPECT_EQ(Ratio::Of(1, 8).Format(2), "0.13");
  EXPECT_EQ(Ratio::Of(-1, 8).Format(2), "-0.13");
  EXPECT_EQ(Ratio::Of(5, 1).Format(1), "5.0");
  Ratio a = Ratio::Of(1, 3);
  EXPECT_EQ(a - Ratio::Of(1, 6), Ratio::Of(1, 6));
  EXPECT_DOUBLE_EQ(Ratio::Of(1, 4).ToDouble(), 0.25);
}

}  // namespace kp

namespace kp {
namespace {

// The table the web's parseWan runs too (web/tests/numbers.spec.ts): one set of rules for forms and imports.
TEST(ParseWan, AcceptsAmountsAsPeopleTypeThemAndSaysWhyNot) {
  std::ifstream in(std::string(KP_FIXTURES_DIR) + "/amount_cases.json");
  ASSERT_TRUE(in) << "amount_cases.json";
  std::stringstream ss;
  ss << in.rdbuf();
  const boost::json::value doc = boost::json::parse(ss.str());
  const std::map<std::string, std::string> kWords = {
      {"negative", "负数"}, {"number", "不是有效的数字"}, {"decimals", "小数位数过多"}, {"unit", "金额单位应为万元"},
      {"tooLarge", "金额过大"}};
  int checked = 0;
  for (const auto& c : doc.at("cases").as_array()) {
    const std::string text(c.at("text").as_string());
    auto m = ParseWan(text);
    if (c.as_object().contains("yuan")) {
      ASSERT_TRUE(m.ok()) << text << ": " << m.status().message();
      EXPECT_EQ(m->yuan, c.at("yuan").as_int64()) << text;
      EXPECT_EQ(FormatWan(*m), std::string(c.at("wan").as_string())) << text;
    } else {
      ASSERT_FALSE(m.ok()) << text;
      const std::string word = kWords.at(std::string(c.at("error").as_string()));
      EXPECT_NE(m.status().message().find(word), std::string::npos) << text << ": " << m.status().message();
    }
    ++checked;
  }
  EXPECT_GE(checked, 37);
}

TEST(ParseMoney, RefusesAnotherUnitTypedAfterTheNumber) {
  EXPECT_EQ(ParseMoney("12,345元", MoneyUnit::kYuan).value().yuan, 12345);
  EXPECT_FALSE(ParseMoney("5万", MoneyUnit::kYuan).ok());
  EXPECT_EQ(ParseMoney("1.5亿", MoneyUnit::kYi).value().yuan, 150'000'000);
}

}  // namespace
}  // namespace kp
