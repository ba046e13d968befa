#include "stats/schedule.h"

namespace kp::stats {

const char* ScheduleName(Schedule s) { return s == Schedule::kDay ? "day" : "month"; }

std::optional<Schedule> ParseSchedule(std::string_view s) {
  if (s == "month" || s == "按月") return Schedule::kMonth;
  if (s == "day" || s == "按日") return Schedule::kDay;
  return std::nullopt;
}

Ratio SchedulePct(Schedule s, int year, int month, std::optional<int> day) {
  constexpr int kMonthsPerYear = 12;
  if (s == Schedule::kMonth) return Ratio::Of(static_cast<__int128>(month) * 100, kMonthsPerYear);
  Date d{year, month, day.value_or(DaysInMonth(year, month))};
  return Ratio::Of(static_cast<__int128>(DayOfYear(d)) * 100, DaysInYear(year));
}

}  // namespace kp::stats
