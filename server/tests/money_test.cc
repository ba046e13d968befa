#include "common/money.h"

#include <gtest/gtest.h>

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
