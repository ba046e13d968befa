#pragma once
// The HTTP exchange as plain data: handlers never see Boost.Beast types.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kp::http {

struct Request {
  std::string method;  // "GET", "POST" …
  std::string target;  // path and query as received
  std::string path;    // decoded path
  std::multimap<std::string, std::string> query;  // decoded parameters
  std::map<std::string, std::string> headers;     // lower-case names
  std::string body;
  std::string remote;      // peer address
  std::string request_id;  // set by the request-id middleware
  std::map<std::string, std::string> params;  // path parameters, e.g. {id}

  // The first value of a query parameter, or nullopt.
  std::optional<std::string> Query(const std::string& key) const;
  std::string Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;
// A middleware wraps the rest of the chain: it may answer itself or call next.
using Middleware = std::function<Response(Request&, const Handler& next)>;

// {"error":{"code","message"[, "field"]}} with the status of the code (one place).
Response ErrorResponse(const Status& s);
int HttpStatusOf(ErrorCode code);
Response JsonResponse(std::string body, int status = 200);

// Percent-decoding of paths and query strings ('+' is a blank in queries).
std::string UrlDecode(std::string_view s, bool plus_as_space);
void ParseTarget(Request& r);

}  // namespace kp::http
