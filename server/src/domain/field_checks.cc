#include "domain/field_checks.h"

namespace kp {

namespace {
constexpr int64_t kMaxYuan = 10'000'000'000'000LL;
}  // namespace

Status CheckText(const std::string& v, const char* field, size_t max, TextShape shape) {
  if (v.size() > max) return InvalidArgument("内容过长 (too long)", field);
  if (std::string why = TextProblem(v, shape); !why.empty()) return InvalidArgument(why, field);
  return Status::Ok();
}

Status CheckDay(const Date& d, const char* field) {
  if (!IsValidDate(d) || d.year < 1990 || d.year > 2100) return InvalidArgument("日期不存在或超出 1990-2100 (bad date)", field);
  if (d > TodayBeijing()) return InvalidArgument("日期不能晚于今天 (a date in the future)", field);
  return Status::Ok();
}

Status CheckMoney(const Money& m, const char* field, bool positive) {
  if (m.yuan < 0 || (positive && m.yuan == 0)) {
    return InvalidArgument(positive ? "金额应大于 0 (must be positive)" : "金额不能为负 (negative)", field);
  }
  if (m.yuan > kMaxYuan) return InvalidArgument("金额过大 (too large)", field);
  return Status::Ok();
}

}  // namespace kp
