#include "reports/phrasing.h"

namespace kp::reports {

std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string Yi(Money m, const ReportStyle& s) { return TrimZeros(FormatYiRounded(m, s.yi_decimals)); }

std::string Wan(Money m, const ReportStyle& s) { return FormatWanRounded(m, s.wan_decimals); }

std::string Pct(const std::optional<Ratio>& r, const ReportStyle& s) {
  return r ? TrimZeros(r->Format(s.pct_decimals)) : "—";
}

int RoundedSign(const Ratio& points, const ReportStyle& s) {
  std::string t = TrimZeros(points.Format(s.points_decimals));
  if (t == "0") return 0;
  return t[0] == '-' ? -1 : 1;
}

std::string Points(const Ratio& points, const ReportStyle& s) {
  std::string t = TrimZeros(points.Format(s.points_decimals));
  if (!t.empty() && t[0] == '-') t.erase(0, 1);
  return t;
}

std::string VsSchedule(const Ratio& ahead, const ReportStyle& s) {
  switch (RoundedSign(ahead, s)) {
    case 0: return "与时序进度持平";
    case 1: return "超时序进度" + Points(ahead, s) + "个百分点";
    default: return "低于时序进度" + Points(ahead, s) + "个百分点";
  }
}

std::string VsOverall(const Ratio& diff, const ReportStyle& s) {
  switch (RoundedSign(diff, s)) {
    case 0: return "与总体进度持平";
    case 1: return "高于总体进度" + Points(diff, s) + "个百分点";
    default: return "低于总体进度" + Points(diff, s) + "个百分点";
  }
}

std::string Rank(int rank) { return "位居第" + std::to_string(rank); }

std::string MonthsSpan(int month) { return month <= 1 ? "1月" : "1—" + std::to_string(month) + "月"; }

}  // namespace kp::reports
