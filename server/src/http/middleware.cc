#include "http/middleware.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>

#include "http/access_log.h"

namespace kp::http {

void AddStandardMiddleware(Router& router) {
  router.UseAlsoForRefused([](Request& req, const Handler& next) {
    static std::atomic<uint64_t> counter{0};
    static const uint32_t prefix = std::random_device{}();
    std::string id = req.Header("x-request-id");
    if (id.empty() || id.size() > 64) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%08x-%06llx", prefix, static_cast<unsigned long long>(++counter));
      id = buf;
    }
    req.request_id = id;
    auto start = std::chrono::steady_clock::now();
    Response res = next(req);
    res.headers.emplace_back("X-Request-Id", id);
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    res.headers.emplace_back("X-Frame-Options", "DENY");
    res.headers.emplace_back("Referrer-Policy", "same-origin");
    res.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                             "frame-ancestors 'none'");
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    LogAccess(req, res, took.count());
    return res;
  });
}

}  // namespace kp::http
