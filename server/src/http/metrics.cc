#include "http/metrics.h"

#include <chrono>
#include <cstdio>

namespace kp::http {
namespace {

constexpr const char* kSignInRoute = "/api/auth/login";

// A label value in the exposition format: backslash, quote and newline escaped.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

const char* SignInResult(int status) {
  if (status == 200) return "ok";
  if (status == 429) return "throttled";  // the address failed too often and must wait
  if (status == 401 || status == 403) return "failed";
  return "error";
}

}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[{route, method}];
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
  if (route == kSignInRoute && method == "POST") ++sign_ins_[SignInResult(status)];
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP keyproject_http_requests_total HTTP requests answered, by route pattern, method and status.\n";
  out += "# TYPE keyproject_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += "keyproject_http_requests_total{route=\"" + Label(route) + "\",method=\"" + method + "\",status=\"" +
           std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP keyproject_http_request_duration_seconds Time from routing to the response, by route pattern.\n";
  out += "# TYPE keyproject_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = "route=\"" + Label(key.first) + "\",method=\"" + key.second + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      cumulative += h.counts[i];
      out += "keyproject_http_request_duration_seconds_bucket{" + labels + ",le=\"" + Number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "keyproject_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) +
           "\n";
    out += "keyproject_http_request_duration_seconds_sum{" + labels + "} " + Number(h.sum) + "\n";
    out += "keyproject_http_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) + "\n";
  }
  out += "# HELP keyproject_sign_ins_total Sign-in attempts, by result (ok, failed, throttled, error).\n";
  out += "# TYPE keyproject_sign_ins_total counter\n";
  for (const char* result : {"ok", "failed", "throttled", "error"}) {
    auto it = sign_ins_.find(result);
    out += std::string("keyproject_sign_ins_total{result=\"") + result + "\"} " +
           std::to_string(it == sign_ins_.end() ? 0 : it->second) + "\n";
  }
  for (const Gauge& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n" + g.name + " " + Number(g.read()) + "\n";
  }
  return out;
}

void AddMetrics(Router& router, Metrics& metrics) {
  router.UseAlsoForRefused([&metrics](Request& req, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response res = next(req);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    metrics.Observe(req.method, req.route, res.status, took.count());
    return res;
  });
  router.Add("GET", "/metrics", Access::Public(), [&metrics](const Request&) {
    Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = metrics.Render();
    return res;
  });
}

}  // namespace kp::http
