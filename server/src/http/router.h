#pragma once
// Routes "METHOD /path/{param}" to handlers through a chain of middleware (request id, security
// headers, sign-in and roles). Every route states who may call it (Access); an unknown path is
// 404, a known path with another method 405.
#include <string>
#include <vector>

#include "http/request.h"

namespace kp::http {

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    Access access;
    Handler handler;
  };

  void Add(const std::string& method, const std::string& pattern, Access access, Handler h);
  void Use(Middleware m) { middleware_.push_back({std::move(m), false}); }
  // A middleware that also wraps refused requests (see Refuse): one that observes or decorates
  // every answer (request id, headers, access log, metrics), never one that answers instead.
  void UseAlsoForRefused(Middleware m) { middleware_.push_back({std::move(m), true}); }
  // Answers GETs that match no route and are not under /api/ (the single-page app). Public.
  void SetFallback(Handler h) { fallback_ = std::move(h); }
  Response Handle(Request req) const;
  // Whether the route a request would reach is marked slow (see Access::slow).
  bool IsSlow(const std::string& method, const std::string& target) const;
  // Runs the middleware around an answer the transport gave itself (a body over the limit, a
  // header too large, an unparsable request: route "refused"), so that it is logged, counted and
  // carries the standard headers like any other (only the UseAlsoForRefused middleware run).
  // req holds what was read of the request.
  Response Refuse(Request req, Response res) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Response RunChain(Request& req, const Handler& final_handler, bool refused) const;
  const Route* Match(const std::string& method, const std::vector<std::string>& parts, bool* path_matched) const;

  std::vector<Route> routes_;
  struct Layer {
    Middleware m;
    bool also_refused;
  };
  std::vector<Layer> middleware_;
  Handler fallback_;
};

}  // namespace kp::http
