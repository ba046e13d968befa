#pragma once
// JSON shapes of the register's records, and reading them back from request bodies with errors
// that name the field.
#include <boost/json.hpp>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "common/status.h"
#include "domain/model.h"
#include "domain/register.h"

namespace kp::api {

boost::json::object ToJson(const Project& p);
boost::json::object ToJson(const Region& r);
boost::json::object ToJson(const AnnualPlan& a);
boost::json::object ToJson(const PlanRevision& r);
boost::json::object ToJson(const MonthlyReport& r);
boost::json::object ToJson(const ReportRevision& r);
boost::json::object ToJson(const HistoryEntry& h);
boost::json::object ToJson(const ImportSummary& s);
boost::json::object ToJson(const Settings& s);

Result<boost::json::object> ParseObject(const std::string& body);
// A request body of a question's parameters, read as a query string would be: integers and strings as
// they are, `levels` also as a list of level names, null as absent. A key not in `allowed`, or a
// value of another type (a fraction, true, an object), is refused naming the key.
Result<std::map<std::string, std::string>> QuestionParams(const boost::json::object& body,
                                                          const std::set<std::string>& allowed);
// Applies the fields present in `o` onto `p` (absent fields keep their value).
Status ReadProjectFields(const boost::json::object& o, Project& p);
// A money field in 万元, given as a JSON number or string.
Result<Money> ReadWan(const boost::json::object& o, const char* field);
// A date as "2024-03-31", or null when absent.
boost::json::value OptDate(const std::optional<Date>& d);
// A date field (any spelling ParseDate takes); absent, null or "" is none; a bad one names the field.
Result<std::optional<Date>> ReadDate(const boost::json::object& o, const char* field);
// A text field, trimmed; absent or null is "". Refuses what no field may hold (invalid UTF-8,
// NUL and other control characters, invisible characters); line breaks are left to the rules
// of each field (TextProblem with TextShape::kSingleLine).
Result<std::string> ReadString(const boost::json::object& o, const char* field);
// An integer field (a JSON integer or a string of digits) within [lo, hi]; out of range is an
// error naming the field, never a value cut to fit.
Result<int64_t> ReadInt(const boost::json::object& o, const char* field, int64_t lo = 1,
                        int64_t hi = std::numeric_limits<int64_t>::max());

}  // namespace kp::api
