#pragma once
// Checks of single fields shared by the slices' rules (financing, leads): each error names the field.
#include <cstddef>
#include <string>

#include "common/dates.h"
#include "common/money.h"
#include "common/status.h"
#include "common/text.h"

namespace kp {

// At most `max` bytes of text of that shape (TextProblem).
Status CheckText(const std::string& v, const char* field, size_t max, TextShape shape);
// A real day in 1990-2100, not after today (Beijing).
Status CheckDay(const Date& d, const char* field);
// Not negative (positive: above zero), at most 1 万亿 yuan (anything larger is a typing error).
Status CheckMoney(const Money& m, const char* field, bool positive);

}  // namespace kp
