#pragma once
// JSON text with plain decimal numbers ("30.80465492563321", never "3.08E1"): the shortest
// form that reads back to the same double. Use instead of boost::json::serialize for answers.
#include <boost/json/value.hpp>
#include <string>

namespace kp {

std::string ToJsonText(const boost::json::value& v);

}  // namespace kp
