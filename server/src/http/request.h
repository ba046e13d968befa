#pragma once
// The HTTP exchange as plain data: handlers never see Boost.Beast types.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "http/upload.h"

namespace kp::http {

// Who may call a route. Deny by default: a route lists its roles, or is public.
struct Access {
  bool is_public = false;
  std::vector<Role> roles;
  bool before_password_change = false;  // reachable while a first password must be changed
  // Slow work (password hashing): runs on the server's small bounded pool, never on the threads
  // that read and write sockets, so a sign-in storm cannot stall other requests.
  bool slow = false;
  Access Slow() const {
    Access a = *this;
    a.slow = true;
    return a;
  }
  static Access Public() { return Access{true, {}, true}; }
  static Access Roles(std::initializer_list<Role> r) { return Access{false, r, false}; }
  static Access AnySignedIn(bool before_password_change = false) {
    return Access{false, {std::begin(kAllRoles), std::end(kAllRoles)}, before_password_change};
  }
  bool Allows(Role r) const;
};

struct Request {
  std::string method;  // "GET", "POST" …
  std::string target;  // path and query as received
  std::string path;    // decoded path
  std::multimap<std::string, std::string> query;  // decoded parameters
  std::map<std::string, std::string> headers;     // lower-case names
  std::string body;                       // a small body (BodyKind::kSmall)
  std::shared_ptr<const Upload> upload;    // a file body (BodyKind::kFile), streamed to disk
  std::string remote;      // peer address
  std::string request_id;  // set by the request-id middleware
  std::map<std::string, std::string> params;  // path parameters, e.g. {id}
  std::string route;                          // the matched pattern, "static" or "unmatched" (metrics, logs)
  Access access;                              // of the matched route
  std::optional<User> user;                   // set by the sign-in middleware
  std::string session_token;                  // set by the sign-in middleware

  std::string Cookie(const std::string& name) const;

  // The first value of a query parameter, or nullopt.
  std::optional<std::string> Query(const std::string& key) const;
  std::string Header(const std::string& lower_name) const;
  // The body, whichever way it came.
  std::string_view Body() const { return upload ? upload->bytes() : std::string_view(body); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // A file to send as the body instead (a download): the server streams it from disk and removes
  // it, so a large answer on a slow line holds no memory.
  std::string file;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;
// A middleware wraps the rest of the chain: it may answer itself or call next.
using Middleware = std::function<Response(Request&, const Handler& next)>;

// {"error":{"code","message"[, "field"]}} with the status of the code (one place). An internal
// error's message (which may hold SQL, values or paths) goes to the log under a reference; the
// answer carries only the reference.
Response ErrorResponse(const Status& s);
int HttpStatusOf(ErrorCode code);
Response JsonResponse(std::string body, int status = 200);

// Percent-decoding of paths and query strings ('+' is a blank in queries).
std::string UrlDecode(std::string_view s, bool plus_as_space);
void ParseTarget(Request& r);

}  // namespace kp::http
