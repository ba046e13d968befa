#pragma once
// Routes "METHOD /path/{param}" to handlers through a chain of middleware (request id, security
// headers, error capture; sign-in and roles slot in as further middleware). Deny by default:
// an unknown path is 404, a known path with another method 405.
#include <string>
#include <vector>

#include "http/request.h"

namespace kp::http {

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler h);
  void Use(Middleware m) { middleware_.push_back(std::move(m)); }
  // Called when no route matches a GET (the single-page app lives here).
  void SetFallback(Handler h) { fallback_ = std::move(h); }
  Response Handle(Request req) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    Handler handler;
  };
  Response Dispatch(Request& req) const;

  std::vector<Route> routes_;
  std::vector<Middleware> middleware_;
  Handler fallback_;
};

}  // namespace kp::http
