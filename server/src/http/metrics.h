#pragma once
// Prometheus metrics of one server process, served at GET /metrics in the text exposition format
// (version 0.0.4): requests by route, method and status; latency histograms by route; sign-ins by
// result; and gauges read when scraped (cache generation …).
// Thread-safety: every method may be called from any thread.
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "http/router.h"

namespace kp::http {

class Metrics {
 public:
  // Counts a finished request (route: the matched pattern, so the label set stays bounded).
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  // A gauge whose value is read at each scrape.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

 private:
  struct Histogram {
    std::vector<uint64_t> counts = std::vector<uint64_t>(std::size(kBuckets), 0);  // cumulative at render
    uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // route, method, status
  std::map<std::pair<std::string, std::string>, Histogram> latency_;         // route, method
  std::map<std::string, uint64_t> sign_ins_;                                  // result
  std::vector<Gauge> gauges_;
};

// Counts every request (as the outermost middleware after the request id) and adds the public
// route GET /metrics. REQUIRES: called before routes that should be counted answer anything.
void AddMetrics(Router& router, Metrics& metrics);

}  // namespace kp::http
