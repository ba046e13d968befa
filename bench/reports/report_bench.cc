// kp_bench_reports: the monthly analysis (issue 13's speed targets): the demo county ≤ 0.5 s, a city of
// 2,000 projects ≤ 2 s and a province of 100,000 projects ≤ 10 s and ≤ 300 MB, each as .docx and as .pdf —
// the model from every engine (Reports::Monthly), then the file.
//
//   kp_bench_reports [--demo-db=PATH] [--projects=N] [--province=N] [--runs=N]
//
// --province=N (0: skipped) generates a province of N projects the same way as the city. Its memory is the
// process's peak resident set while the reports are made (VmHWM after resetting it through
// /proc/self/clear_refs once the engines are loaded), next to what was resident before.
//
// --demo-db: a database made by `keyproject demo` (bench.sh makes bench/out/demo.db). The city is generated
// (bench/province_generator: one city, its counties and townships), loaded through the product's write path
// with January to March reported, and its March analysis timed. Times are medians of --runs runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <string>
#include <vector>

#include "domain/financing.h"
#include "domain/milestones.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "domain/reports.h"
#include "domain/supervision.h"
#include "province_generator.h"
#include "province_loader.h"
#include "reports/report_files.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr double kCountyTargetMs = 500, kCityTargetMs = 2000, kProvinceTargetMs = 10000;
constexpr long kProvinceTargetMiB = 300;
constexpr int kReportMonth = 3;

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// A line of /proc/self/status in MiB ("VmRSS", "VmHWM"); -1 when unreadable.
long StatusMiB(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1)) / 1024;
  }
  return -1;
}

// Restarts VmHWM at the current resident set (Linux ≥ 4.0); false when the kernel refuses.
bool ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Times the March 2024 analysis of the database at `url` as docx and as pdf; false when over `target_ms`.
bool Time(const std::string& what, store::Store& store, int runs, double target_ms, long target_mib = 0) {
  stats::StatsEngine engine;
  Register reg(store, engine);
  if (!reg.LoadStats().ok()) return false;
  Milestones ms(store, reg);
  Problems problems(store, reg);
  Supervision supervision(store, reg, problems);
  Financing financing(store, reg);
  Reports reports(reg, ms, problems, supervision, financing);
  ReportQuestion q;
  q.year = 2024;
  q.month = kReportMonth;
  q.issued = Date{2024, 4, 5};
  q.user.role = Role::kAdmin;
  bool ok = true;
  const long resident = StatusMiB("VmRSS");
  const bool peak_reset = target_mib > 0 && ResetPeak();
  for (const char* ext : {"docx", "pdf"}) {
    const std::string path = "bench/out/report-bench." + std::string(ext);
    std::vector<double> times, model_times;
    for (int i = 0; i < runs; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto r = reports.Build(q);
      if (!r.ok()) {
        std::printf("FAIL: %s\n", r.status().message().c_str());
        return false;
      }
      model_times.push_back(Ms(t0));
      if (Status s = reports::WriteReport(*r, path); !s.ok()) {
        std::printf("FAIL: %s\n", s.message().c_str());
        return false;
      }
      times.push_back(Ms(t0));
    }
    const double m = Median(times);
    std::printf("%s monthly analysis as .%s: %.0f ms (model %.0f ms; %zu bytes) — target ≤ %.0f ms %s\n", what.c_str(), ext,
                m, Median(model_times), static_cast<size_t>(std::filesystem::file_size(path)), target_ms,
                m <= target_ms ? "met" : "MISSED");
    ok = ok && m <= target_ms;
  }
  if (target_mib > 0) {
    const long peak = StatusMiB("VmHWM");
    std::printf("%s peak resident set while reporting: %ld MiB%s (resident before, engines loaded: %ld MiB) — target ≤ %ld MB %s\n",
                what.c_str(), peak, peak_reset ? "" : " (peak not reset: includes the load)", resident, target_mib,
                peak <= target_mib ? "met" : "MISSED");
    ok = ok && peak <= target_mib;
  }
  return ok;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) {
  using namespace kp;
  using namespace kp::bench;
  std::string demo_db;
  int projects = 2000, runs = 5, province_projects = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&](const char* k) { return a.rfind(k, 0) == 0 ? a.substr(std::string(k).size()) : std::string(); };
    if (auto v = val("--demo-db="); !v.empty()) demo_db = v;
    else if (auto v2 = val("--projects="); !v2.empty()) projects = std::stoi(v2);
    else if (auto v3 = val("--runs="); !v3.empty()) runs = std::stoi(v3);
    else if (auto v4 = val("--province="); !v4.empty()) province_projects = std::stoi(v4);
  }
  std::filesystem::create_directories("bench/out");
  bool ok = true;
  if (!demo_db.empty()) {
    auto store = store::Store::Open(demo_db);
    if (!store.ok() || !(*store)->Migrate().ok()) {
      std::printf("cannot open %s\n", demo_db.c_str());
      return 1;
    }
    ok = Time("demo county", **store, runs, kCountyTargetMs) && ok;
  }
  ProvinceShape city;
  city.cities = 1;
  city.counties_per_city = 9;
  city.projects = projects;
  const Province province = GenerateProvince(city);
  const std::string db = "bench/out/report-city.db";
  std::filesystem::remove(db);
  auto store = store::Store::Open(db);
  if (!store.ok() || !(*store)->Migrate().ok()) return 1;
  auto loaded = LoadProvince(**store, province, kReportMonth);
  if (!loaded.ok()) {
    std::printf("load failed: %s\n", loaded.status().message().c_str());
    return 1;
  }
  ok = Time("city of " + std::to_string(projects) + " projects", **store, runs, kCityTargetMs) && ok;
  if (province_projects > 0) {
    const std::string pdb = "bench/out/report-province.db";
    std::filesystem::remove(pdb);
    auto pstore = store::Store::Open(pdb);
    if (!pstore.ok() || !(*pstore)->Migrate().ok()) return 1;
    {  // the generated rows are freed before the timing
      ProvinceShape shape;
      shape.projects = province_projects;
      const Province big = GenerateProvince(shape);
      auto ploaded = LoadProvince(**pstore, big, kReportMonth);
      if (!ploaded.ok()) {
        std::printf("load failed: %s\n", ploaded.status().message().c_str());
        return 1;
      }
    }
    malloc_trim(0);  // hand the generator's freed pages back, so they are not counted as the report's
    ok = Time("province of " + std::to_string(province_projects) + " projects", **pstore, std::min(runs, 3),
              kProvinceTargetMs, kProvinceTargetMiB) && ok;
  }
  return ok ? 0 : 1;
}
