#include "http/router.h"

#include <atomic>
#include <cstdio>
#include <random>

#include "spdlog/spdlog.h"

namespace kp::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler h) {
  routes_.push_back(Route{method, Split(pattern), std::move(h)});
}

Response Router::Dispatch(Request& req) const {
  std::vector<std::string> parts = Split(req.path);
  bool path_matched = false;
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
    path_matched = true;
    if (r.method != req.method && !(req.method == "HEAD" && r.method == "GET")) continue;
    req.params = std::move(params);
    return r.handler(req);
  }
  if (path_matched) {
    Response r = ErrorResponse(InvalidArgument("不支持的请求方法 (method not allowed): " + req.method));
    r.status = 405;
    return r;
  }
  if (fallback_ && (req.method == "GET" || req.method == "HEAD") && !req.path.starts_with("/api/")) {
    return fallback_(req);
  }
  return ErrorResponse(NotFound("没有这个接口 (no such endpoint): " + req.method + " " + req.path));
}

Response Router::Handle(Request req) const {
  ParseTarget(req);
  // Build the chain from the innermost handler outwards.
  Handler chain = [this](const Request& r) {
    Request copy = r;
    return Dispatch(copy);
  };
  for (auto it = middleware_.rbegin(); it != middleware_.rend(); ++it) {
    Middleware m = *it;
    Handler next = chain;
    chain = [m, next](const Request& r) {
      Request copy = r;
      return m(copy, next);
    };
  }
  try {
    return chain(req);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} failed: {}", req.method, req.path, e.what());
    return ErrorResponse(Internal("服务器内部错误 (internal error)"));
  }
}

}  // namespace kp::http
