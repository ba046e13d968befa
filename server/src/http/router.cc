#include "http/router.h"

#include "spdlog/spdlog.h"

namespace kp::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Access access, Handler h, BodyKind body) {
  routes_.push_back(Route{method, pattern, Split(pattern), std::move(access), std::move(h), body});
}

const Router::Route* Router::Match(Request& req, bool* path_matched) const {
  std::vector<std::string> parts = Split(req.path);
  *path_matched = false;
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        params[seg.substr(1, seg.size() - 2)] = parts[i];
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) continue;
    *path_matched = true;
    if (r.method != req.method && !(req.method == "HEAD" && r.method == "GET")) continue;
    req.params = std::move(params);
    req.access = r.access;
    req.route = r.pattern;
    return &r;
  }
  return nullptr;
}

Router::Admission Router::Admit(Request head) const {
  ParseTarget(head);
  bool path_matched = false;
  const Route* route = Match(head, &path_matched);
  Admission a;
  if (!route) return a;  // 404/405 answers take no body worth keeping: a small one at most
  a.body = route->body;
  a.slow = route->access.slow;
  if (!gate_) return a;
  Status s = gate_(head);
  if (s.ok()) return a;
  // The refusal goes through the middleware like any answer (request id, headers, access log);
  // the sign-in middleware refuses first, and the handler never runs without its body.
  a.refusal = RunChain(head, [s](const Request&) { return ErrorResponse(s); }, false);
  return a;
}

Response Router::Handle(Request req) const {
  ParseTarget(req);
  bool path_matched = false;
  const Route* route = Match(req, &path_matched);
  Handler final_handler;
  if (route) {
    final_handler = route->handler;
  } else {
    req.access = Access::Public();
    req.route = "unmatched";
    if (path_matched) {
      final_handler = [](const Request& r) {
        Response res = ErrorResponse(InvalidArgument("不支持的请求方法 (method not allowed): " + r.method));
        res.status = 405;
        return res;
      };
    } else if (fallback_ && (req.method == "GET" || req.method == "HEAD") && !req.path.starts_with("/api/")) {
      final_handler = fallback_;
      req.route = "static";
    } else {
      final_handler = [](const Request& r) {
        return ErrorResponse(NotFound("没有这个接口 (no such endpoint): " + r.method + " " + r.path));
      };
    }
  }
  return RunChain(req, final_handler, false);
}

Response Router::Refuse(Request req, Response res) const {
  ParseTarget(req);
  req.access = Access::Public();
  req.route = "refused";
  return RunChain(req, [&res](const Request&) { return res; }, true);
}

Response Router::RunChain(Request& req, const Handler& final_handler, bool refused) const {
  // Run the middleware in order around the handler, on this one Request (no copies): a
  // middleware may amend it (user, request id) before calling next.
  std::function<Response(size_t, Request&)> run = [&](size_t i, Request& r) -> Response {
    while (i < middleware_.size() && refused && !middleware_[i].also_refused) ++i;
    if (i == middleware_.size()) return final_handler(r);
    return middleware_[i].m(r, [&run, i](const Request& next) { return run(i + 1, const_cast<Request&>(next)); });
  };
  try {
    return run(0, req);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} failed: {}", req.method, req.path, e.what());
    return ErrorResponse(Internal("服务器内部错误 (internal error)"));
  }
}

}  // namespace kp::http
