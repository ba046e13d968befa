#include "common/dates.h"

#include <gtest/gtest.h>

#include "stats/schedule.h"

namespace kp {

TEST(ParseYearMonth, AcceptsTheFormatsBureausWrite) {
  for (const char* s : {"2024-03", "2024-3", "2024年3月", "2024/3", "2024.03", "202403", " 2024年03月 ", "２０２４－０３"}) {
    auto m = ParseYearMonth(s);
    ASSERT_TRUE(m.ok()) << s << ": " << m.status().message();
    EXPECT_EQ(m->year, 2024) << s;
    EXPECT_EQ(m->month, 3) << s;
  }
}

TEST(ParseYearMonth, RejectsAFullDateThatDoesNotExist) {
  EXPECT_FALSE(ParseYearMonth("2024-02-30").ok());
  EXPECT_FALSE(ParseYearMonth("2023-02-29").ok());
  EXPECT_FALSE(ParseYearMonth("2024-04-31").ok());
  auto leap = ParseYearMonth("2024-02-29");
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(leap->month, 2);
}

TEST(ParseYearMonth, RejectsMonthOutOfRangeAndGarbage) {
  EXPECT_FALSE(ParseYearMonth("2024-13").ok());
  EXPECT_FALSE(ParseYearMonth("2024-00").ok());
  EXPECT_FALSE(ParseYearMonth("March").ok());
  EXPECT_FALSE(ParseYearMonth("").ok());
  EXPECT_NE(ParseYearMonth("2024-13").status().message().find("月份超出范围"), std::string::npos);
}

TEST(ParseDate, AcceptsCommonFormsAndRejectsImpossibleDays) {
  EXPECT_EQ(ParseDate("2024-02-29").value().ToString(), "2024-02-29");
  EXPECT_EQ(ParseDate("2024年3月1日").value().ToString(), "2024-03-01");
  EXPECT_EQ(ParseDate("2024/3/1").value().ToString(), "2024-03-01");
  EXPECT_EQ(ParseDate("20240301").value().ToString(), "2024-03-01");
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2024-04-31").ok());
}

TEST(Calendar, KnowsLeapYears) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DayOfYear(Date{2024, 3, 31}), 91);
  EXPECT_EQ(DayOfYear(Date{2023, 3, 31}), 90);
}

TEST(SchedulePct, MonthConventionIsMonthOverTwelve) {
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kMonth, 2024, 3), Ratio::Of(25, 1));
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kMonth, 2024, 12), Ratio::Of(100, 1));
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kMonth, 2024, 1).Format(2), "8.33");
}

TEST(SchedulePct, DayConventionCountsDaysOfALeapYear) {
  // End of March 2024: 91 of 366 days; 2023: 90 of 365.
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kDay, 2024, 3), Ratio::Of(9100, 366));
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kDay, 2023, 3), Ratio::Of(9000, 365));
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kDay, 2024, 3, 15), Ratio::Of(7500, 366));
  EXPECT_EQ(stats::SchedulePct(stats::Schedule::kDay, 2024, 3).Format(2), "24.86");
}

}  // namespace kp
