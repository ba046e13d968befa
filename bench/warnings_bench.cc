// kp_bench_warnings: warning colours at province scale, in memory (issue 10's speed target:
// all colours and counts as of any date ≤ 50 ms for 100k projects × 12 nodes and 1.2M reports).
//
//   kp_bench_warnings [--projects=N]
//
// Builds the statistics engine from a generated province (bench/province_generator.h) with twelve
// nodes per project, then times StatsEngine::Warnings grouped by region as of several dates (the
// median of repeated runs) and prints the colour counts, so a run that computes nothing shows.
#include <algorithm>
#include <unordered_map>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "province_generator.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr int kNodesPerProject = 12;
constexpr int kRuns = 15;
constexpr double kTargetMs = 50;

store::StatsSource SourceOf(const Province& p) {
  store::StatsSource src;
  for (size_t i = 0; i < p.regions.size(); ++i) {
    Region r;
    r.id = static_cast<int64_t>(i + 1);
    if (p.regions[i].parent >= 0) r.parent_id = p.regions[i].parent + 1;
    r.name = p.regions[i].name;
    src.regions.push_back(r);
  }
  std::unordered_map<std::string, int64_t> region_id;
  for (const Region& r : src.regions) region_id[r.name] = r.id;
  const int32_t year_start = DayNumber(Date{p.shape.year, 1, 1});
  for (size_t i = 0; i < p.projects.size(); ++i) {
    Project pr = p.projects[i].project;
    pr.id = static_cast<int64_t>(i + 1);
    auto it = region_id.find(p.projects[i].region_text);
    if (it != region_id.end()) pr.region_id = it->second;
    src.projects.push_back(pr);
    if (p.projects[i].plan) src.plans.push_back({pr.id, p.shape.year, *p.projects[i].plan});
    for (int k = 0; k < kNodesPerProject; ++k) {
      ProjectNode n;
      n.project_id = pr.id;
      n.seq = k + 1;
      n.name = k == 0 ? "开工" : "节点" + std::to_string(k + 1);
      const int32_t due = year_start + static_cast<int32_t>((k * 30 + i % 29));
      n.planned = FromDayNumber(due);
      if ((i + static_cast<size_t>(k)) % 5 != 0) n.actual = FromDayNumber(due + static_cast<int32_t>(i % 7) - 3);
      n.unit = pr.unit;
      n.person = pr.person;
      src.nodes.push_back(std::move(n));
    }
  }
  return src;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) {
  using namespace kp;
  bench::ProvinceShape shape;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--projects=", 0) == 0) shape.projects = std::stoi(a.substr(11));
  }
  bench::Province province = bench::GenerateProvince(shape);
  store::StatsSource src = bench::SourceOf(province);
  // Reports: one per project and month, 1.2M at 100k projects.
  std::unordered_map<std::string, int64_t> id_of;
  for (const Project& p : src.projects) id_of[p.code] = p.id;
  for (int m = 1; m <= bench::kMonthsPerYear; ++m) {
    for (const ReportImportRow& r : bench::GenerateMonthReports(province, m)) {
      src.reports.push_back({id_of.at(r.project_code), static_cast<int16_t>(r.report.month.year),
                             static_cast<int8_t>(r.report.month.month), r.report.completed});
    }
  }
  stats::StatsEngine engine;
  auto t0 = std::chrono::steady_clock::now();
  engine.Rebuild(src);
  engine.SetRegions(src.regions, 1);
  const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("projects %zu, nodes %zu, reports %zu; engine built in %.0f ms\n", src.projects.size(), src.nodes.size(),
              src.reports.size(), load_ms);
  bool ok = true;
  for (bool listed : {false, true})
  for (Date as_of : {Date{2024, 3, 31}, Date{2024, 6, 30}, Date{2024, 9, 15}}) {
    stats::WarningQuery q;
    q.as_of = as_of;
    q.by = stats::GroupBy::kRegion;
    q.list_projects = listed;
    std::vector<double> ms;
    stats::WarningResult r;
    for (int k = 0; k < bench::kRuns; ++k) {
      auto s = std::chrono::steady_clock::now();
      r = engine.Warnings(q, stats::WarningRules{});
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    std::printf("%s as of %s by region: median %.1f ms (min %.1f), red %lld yellow %lld green %lld, %zu groups\n",
                listed ? "colours, counts and every project's warnings" : "colours and counts",
                as_of.ToString().c_str(), median, ms.front(), static_cast<long long>(r.counts[2]),
                static_cast<long long>(r.counts[1]), static_cast<long long>(r.counts[0]), r.groups.size());
    if (!listed) ok = ok && median <= bench::kTargetMs;
  }
  std::printf("target: all colours and counts ≤ %.0f ms: %s\n", bench::kTargetMs, ok ? "met" : "NOT met");
  return 0;
}
