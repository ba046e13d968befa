#pragma once
// Calendar types: a date is a type, never a string.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kp {

struct YearMonth {
  int year = 0;
  int month = 0;  // 1..12
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
  std::string ToString() const;  // "2024-03"
  int Index() const { return year * 12 + (month - 1); }
};

struct Date {
  int year = 0, month = 0, day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
  std::string ToString() const;  // "2024-03-31"
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
int DaysInYear(int year);
int DayOfYear(const Date& d);  // 1-based
// Days since 1970-01-01 (negative before), and back: date arithmetic without a calendar library.
int32_t DayNumber(const Date& d);
Date FromDayNumber(int32_t n);
Date AddDays(const Date& d, int32_t days);
bool IsValidDate(const Date& d);  // month 1..12, day within the month (31 February is not)
Date Today();                   // UTC
Date TodayBeijing();            // UTC+8: the bureau's calendar day
std::string NowIso();           // "2024-03-31T12:00:00Z"

// "2024-03", "2024-3", "2024年3月", "2024/3", "2024.03", "202403". Month must be 1..12.
Result<YearMonth> ParseYearMonth(std::string_view text);
// "2024-03-01", "2024/3/1", "2024.3.1", "2024年3月1日", "20240301"; "2024-03" means the 1st.
Result<Date> ParseDate(std::string_view text);

}  // namespace kp
