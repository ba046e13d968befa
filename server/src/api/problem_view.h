#pragma once
// The Problem JSON of the API (/work/problems-api.md "Problem JSON"), as the caller sees it: with its
// project's code and name, overdue days as of today and the moves the caller may make. Every route
// that answers a problem (the problem routes, a finding made a problem) answers this shape.
#include <boost/json/object.hpp>

#include "domain/problems.h"

namespace kp::api {

Result<boost::json::object> ProblemView(const Problem& p, Problems& problems, Register& reg, const User& user);

}  // namespace kp::api
