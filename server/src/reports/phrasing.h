#pragma once
// The bureau's stock phrasing of figures in drafted sentences (PRACTICES.md §7): 亿元 to two decimals
// (万元 in tables), rates and points to the style's decimals, trailing zeros dropped as the bureau writes
// them ("30.8%", "27%", "超时序进度2个百分点"), "超/低于时序进度X个百分点" or "与时序进度持平", counts
// with 个/项, ranks "位居第N". Pure; every figure of a report is written through these functions.
#include <optional>
#include <string>

#include "common/money.h"

namespace kp::reports {

struct ReportStyle {
  int yi_decimals = 2;      // amounts in sentences, 亿元
  int wan_decimals = 2;     // amounts in tables, 万元
  int pct_decimals = 2;     // rates (完成率, 开工率, 办结率)
  int points_decimals = 1;  // percentage points against 时序进度 or the overall rate
  std::string area = "全县";  // how the report names its whole area
};

// "49.5" (亿元, rounded half away from zero, trailing zeros dropped).
std::string Yi(Money m, const ReportStyle& s);
// "4950.12" (万元 for tables, fixed decimals as tables align).
std::string Wan(Money m, const ReportStyle& s);
// "30.8" (a rate in percent, trailing zeros dropped); "—" when there is no rate.
std::string Pct(const std::optional<Ratio>& r, const ReportStyle& s);
// Percentage points rounded to the style's decimals, without sign ("5.8"), trailing zeros dropped.
std::string Points(const Ratio& points, const ReportStyle& s);
// The sign of points after rounding: -1, 0 (equal once rounded) or 1.
int RoundedSign(const Ratio& points, const ReportStyle& s);
// "超时序进度5.8个百分点" / "低于时序进度5.8个百分点" / "与时序进度持平".
std::string VsSchedule(const Ratio& ahead_points, const ReportStyle& s);
// "高于总体进度2.1个百分点" / "低于总体进度2.1个百分点" / "与总体进度持平".
std::string VsOverall(const Ratio& diff_points, const ReportStyle& s);
// "位居第3".
std::string Rank(int rank);
// "1—3月" for a year's months up to `month` ("1月" for January).
std::string MonthsSpan(int month);
// Drops trailing zeros of a decimal text: "30.80" → "30.8", "27.00" → "27".
std::string TrimZeros(std::string s);

}  // namespace kp::reports
