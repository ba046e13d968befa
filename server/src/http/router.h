#pragma once
// Routes "METHOD /path/{param}" to handlers through a chain of middleware (request id, security
// headers, sign-in and roles). Every route states who may call it (Access) and what body it takes
// (BodyKind); an unknown path is 404, a known path with another method 405.
// Admission: the server asks Admit() with the request head alone, before it reads any body, so a
// caller the gate refuses (not signed in, wrong role) never gets a byte of body into memory.
#include <optional>
#include <string>
#include <vector>

#include "http/request.h"

namespace kp::http {

// What body a route takes: a small JSON body held in memory, or a file streamed to disk.
enum class BodyKind { kSmall, kFile };

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    Access access;
    Handler handler;
    BodyKind body = BodyKind::kSmall;
  };

  // Decides from a request head (access of the matched route already set) whether its body may
  // be read: Ok, or the refusal (unauthenticated, permission denied). Must not read the body.
  using Gate = std::function<Status(const Request& head)>;

  // What Admit answers: either a refusal (already a full answer, through the middleware) or the
  // kind of body to read.
  struct Admission {
    std::optional<Response> refusal;
    BodyKind body = BodyKind::kSmall;
    bool slow = false;  // the route runs on the slow pool (Access::slow)
  };

  void Add(const std::string& method, const std::string& pattern, Access access, Handler h,
           BodyKind body = BodyKind::kSmall);
  void Use(Middleware m) { middleware_.push_back({std::move(m), false}); }
  // A middleware that also wraps refused requests (see Refuse): one that observes or decorates
  // every answer (request id, headers, access log, metrics), never one that answers instead.
  void UseAlsoForRefused(Middleware m) { middleware_.push_back({std::move(m), true}); }
  void SetGate(Gate g) { gate_ = std::move(g); }
  // Answers GETs that match no route and are not under /api/ (the single-page app). Public.
  void SetFallback(Handler h) { fallback_ = std::move(h); }
  // The head of a request (method, target, headers, remote; no body yet).
  Admission Admit(Request head) const;
  Response Handle(Request req) const;
  // Runs the middleware around an answer the transport gave itself (a body over the limit, a
  // header too large, an unparsable request: route "refused"), so that it is logged, counted and
  // carries the standard headers like any other (only the UseAlsoForRefused middleware run).
  // req holds what was read of the request.
  Response Refuse(Request req, Response res) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // The route for req's method and path (params, access and route set on req), or nullptr;
  // path_matched tells a 405 from a 404.
  const Route* Match(Request& req, bool* path_matched) const;
  Response RunChain(Request& req, const Handler& final_handler, bool refused) const;

  std::vector<Route> routes_;
  struct Layer {
    Middleware m;
    bool also_refused;
  };
  std::vector<Layer> middleware_;
  Handler fallback_;
  Gate gate_;
};

}  // namespace kp::http
