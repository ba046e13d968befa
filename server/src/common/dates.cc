#include "common/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include "common/text.h"

namespace kp {
namespace {

// Splits text into runs of ASCII digits; anything else separates. Returns false on a character
// that is not a digit or an accepted separator.
bool DigitRuns(std::string_view raw, std::vector<std::string>& runs) {
  std::string s = NormalizeNumberText(raw, /*keep_separators=*/true);
  std::string cur;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c >= '0' && c <= '9') { cur += c; ++i; continue; }
    if (!cur.empty()) { runs.push_back(cur); cur.clear(); }
    if (c == '-' || c == '/' || c == '.' || c == ' ') { ++i; continue; }
    // 年 月 日 in UTF-8 (3 bytes each).
    std::string_view rest(s.data() + i, s.size() - i);
    if (rest.starts_with("年") || rest.starts_with("月") || rest.starts_with("日") || rest.starts_with("号")) {
      i += 3;
      continue;
    }
    return false;
  }
  if (!cur.empty()) runs.push_back(cur);
  return true;
}

}  // namespace

std::string YearMonth::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int DaysInYear(int y) { return IsLeapYear(y) ? 366 : 365; }

int DayOfYear(const Date& d) {
  int n = d.day;
  for (int m = 1; m < d.month; ++m) n += DaysInMonth(d.year, m);
  return n;
}

int32_t DayNumber(const Date& d) {
  using namespace std::chrono;
  return static_cast<int32_t>(
      sys_days(year_month_day(year(d.year), month(static_cast<unsigned>(d.month)), day(static_cast<unsigned>(d.day))))
          .time_since_epoch()
          .count());
}

Date FromDayNumber(int32_t n) {
  using namespace std::chrono;
  year_month_day ymd{sys_days(days(n))};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Date AddDays(const Date& d, int32_t days) { return FromDayNumber(DayNumber(d) + days); }

bool IsValidDate(const Date& d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= DaysInMonth(d.year, d.month);
}

Date Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

Date TodayBeijing() {
  constexpr std::time_t kBeijingOffsetSeconds = 8 * 3600;
  std::time_t t = std::time(nullptr) + kBeijingOffsetSeconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<YearMonth> ParseYearMonth(std::string_view text) {
  std::vector<std::string> runs;
  std::string shown(Trim(text));
  if (shown.empty()) return InvalidArgument("月份为空 (empty month)");
  if (!DigitRuns(text, runs)) return InvalidArgument("无法识别的月份 (unrecognised month): " + shown);
  int y = 0, m = 0;
  if (runs.size() == 1 && runs[0].size() == 6) {
    y = std::stoi(runs[0].substr(0, 4));
    m = std::stoi(runs[0].substr(4));
  } else if ((runs.size() == 2 || runs.size() == 3) && runs[0].size() == 4 && runs[1].size() <= 2 &&
             (runs.size() == 2 || runs[2].size() <= 2)) {
    // A full date (an Excel date cell) names its month, when it is a date that exists.
    y = std::stoi(runs[0]);
    m = std::stoi(runs[1]);
  } else {
    return InvalidArgument("无法识别的月份 (unrecognised month): " + shown);
  }
  if (y < 1990 || y > 2100) return InvalidArgument("年份超出范围 (year out of range 1990-2100): " + shown);
  if (m < 1 || m > 12) return InvalidArgument("月份超出范围 (month out of range 1-12): " + shown);
  if (runs.size() == 3) {
    int d = std::stoi(runs[2]);
    if (d < 1 || d > DaysInMonth(y, m)) return InvalidArgument("日期不存在 (no such day): " + shown);
  }
  return YearMonth{y, m};
}

Result<Date> ParseDate(std::string_view text) {
  std::vector<std::string> runs;
  std::string shown(Trim(text));
  if (shown.empty()) return InvalidArgument("日期为空 (empty date)");
  if (!DigitRuns(text, runs)) return InvalidArgument("无法识别的日期 (unrecognised date): " + shown);
  int y = 0, m = 0, d = 1;
  if (runs.size() == 1 && runs[0].size() == 8) {
    y = std::stoi(runs[0].substr(0, 4));
    m = std::stoi(runs[0].substr(4, 2));
    d = std::stoi(runs[0].substr(6));
  } else if ((runs.size() == 2 || runs.size() == 3) && runs[0].size() == 4 && runs[1].size() <= 2 &&
             (runs.size() == 2 || runs[2].size() <= 2)) {
    y = std::stoi(runs[0]);
    m = std::stoi(runs[1]);
    if (runs.size() == 3) d = std::stoi(runs[2]);
  } else {
    return InvalidArgument("无法识别的日期 (unrecognised date): " + shown);
  }
  if (y < 1990 || y > 2100) return InvalidArgument("年份超出范围 (year out of range 1990-2100): " + shown);
  if (m < 1 || m > 12) return InvalidArgument("月份超出范围 (month out of range 1-12): " + shown);
  if (d < 1 || d > DaysInMonth(y, m)) return InvalidArgument("日期不存在 (no such day): " + shown);
  return Date{y, m, d};
}

}  // namespace kp
