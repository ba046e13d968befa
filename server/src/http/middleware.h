#pragma once
#include "http/router.h"

namespace kp::http {

// Request id (X-Request-Id, echoed or generated), security headers on every answer, and an access
// log line for writes and errors. Sign-in and role checks are added after these.
void AddStandardMiddleware(Router& router);

}  // namespace kp::http
