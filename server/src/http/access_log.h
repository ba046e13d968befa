#pragma once
// The structured access log: one JSON object per request and line (ts, request_id, remote,
// method, path, route, status, duration_ms, bytes, user), for log shippers to read as is.
// Thread-safety: Log may be called from any thread; Open before serving.
#include <string>

#include "common/status.h"
#include "http/request.h"

namespace kp::http {

// dest: "-" (standard error), "off", or a file path (appended to).
Status OpenAccessLog(const std::string& dest);
// Writes the line when a log is open; nothing otherwise.
void LogAccess(const Request& req, const Response& res, double seconds);

}  // namespace kp::http
