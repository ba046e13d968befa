#pragma once
// 时序进度: the share of the year elapsed at the as-of date, in percent, exactly.
#include <optional>
#include <string_view>

#include "common/dates.h"
#include "common/money.h"

namespace kp::stats {

enum class Schedule { kMonth, kDay };
const char* ScheduleName(Schedule s);  // "month" / "day"
std::optional<Schedule> ParseSchedule(std::string_view s);

// Month convention: month / 12 (Q1 = 25%). Day convention: days elapsed up to and including the
// as-of day (default: the month's last day) ÷ days in the year (leap years have 366).
// REQUIRES: 1 <= month <= 12, day valid for the month when given.
Ratio SchedulePct(Schedule s, int year, int month, std::optional<int> day = std::nullopt);

}  // namespace kp::stats
