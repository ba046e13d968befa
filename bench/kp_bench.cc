// kp_bench: the server core at province scale, against SQL on SQLite and PostgreSQL, in one run.
//
//   kp_bench [--sqlite=PATH] [--pg=URL] [--projects=N] [--seed=N] [--month=M] [benchmark flags]
//
// 1. Generates a province (bench/province_generator.h) and loads it through the product's import
//    path into a fresh SQLite file and, when --pg or KP_TEST_PG_URL names one, a PostgreSQL
//    database (its contents are replaced). Imports are timed once each.
// 2. Builds the statistics engine from the SQLite store, and checks that the engine, the engine
//    built from PostgreSQL, the SQL on SQLite, the SQL on PostgreSQL and the generator's own sums
//    give the same full dashboard. Any difference prints it and exits 1 before anything is timed.
// 3. Times a full dashboard (total + every grouping of stats::kDashboardGroupings) with Google
//    Benchmark: the engine, then SQL on each database; prints a summary with ratios and targets.
// The SQLite file is kept for `keyproject serve` (scripts/bench.sh runs wrk against it).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dashboard_table.h"
#include "province_generator.h"
#include "province_loader.h"
#include "sql_dashboard.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr const char* kDefaultSqlitePath = "bench/out/province.db";
constexpr int kSqlIterations = 3;            // SQL dashboards take seconds: a few runs suffice
constexpr double kEngineMinTimeSeconds = 2;  // the engine's dashboard takes milliseconds
constexpr int kEngineRepetitions = 5;        // the cores are shared: the median of several runs is kept
// The targets.
constexpr double kTargetDashboardMs = 10;
constexpr double kTargetTimesFasterThanPostgres = 100;
constexpr double kTargetSqliteImportSeconds = 5;

struct Options {
  std::string sqlite_path = kDefaultSqlitePath;
  std::string pg_url;  // empty: no PostgreSQL
  ProvinceShape shape;
  uint32_t seed = kDefaultSeed;
  int month = 6;
};

// Parses the flags left over by benchmark::Initialize. Returns nullopt (after a message) on a bad one.
std::optional<Options> ParseOptions(int argc, char** argv) {
  Options o;
  if (const char* env = std::getenv("KP_TEST_PG_URL")) o.pg_url = env;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      std::string prefix = std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      return std::nullopt;
    };
    try {
      if (auto v = value("--sqlite")) {
        o.sqlite_path = *v;
      } else if (auto v = value("--pg")) {
        o.pg_url = *v;
      } else if (auto v = value("--projects")) {
        o.shape.projects = std::stoi(*v);
      } else if (auto v = value("--seed")) {
        o.seed = static_cast<uint32_t>(std::stoul(*v));
      } else if (auto v = value("--month")) {
        o.month = std::stoi(*v);
      } else {
        std::cerr << "kp_bench: unknown flag " << a << "\n";
        return std::nullopt;
      }
    } catch (const std::exception&) {
      std::cerr << "kp_bench: bad value in " << a << "\n";
      return std::nullopt;
    }
  }
  if (o.shape.projects <= 0 || o.month < 1 || o.month > kMonthsPerYear) {
    std::cerr << "kp_bench: --projects must be > 0 and --month 1..12\n";
    return std::nullopt;
  }
  return o;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A line of /proc/self/status in kB ("VmHWM", "VmRSS"), or -1.
long ProcStatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// Bytes of heap in use (glibc): differences measure what a structure holds, which RSS cannot
// because freed memory is not always returned to the system.
int64_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return static_cast<int64_t>(mi.uordblks + mi.hblkhd);
}
constexpr double kMiB = 1024.0 * 1024.0;

// The dashboard computed straight from the generator: a third witness besides engine and SQL.
GroupSums GeneratorTotal(const Province& p, int month) {
  GroupSums t;
  for (const ProjectImportRow& row : p.projects) {
    t.projects += 1;
    t.plan += *row.plan;
  }
  for (int m = 1; m <= month; ++m) {
    for (const ReportImportRow& r : GenerateMonthReports(p, m)) t.completed += r.report.completed;
  }
  return t;
}

// One database loaded with the province, with what was measured on it.
struct Backend {
  std::string name;  // "SQLite" / "PostgreSQL"
  std::string url;
  std::unique_ptr<store::Store> store;
  LoadTimes load;
  double load_stats_s = 0;   // Store::LoadStatsSource
  double rebuild_s = 0;      // StatsEngine::Rebuild + SetRegions
  int64_t source_bytes = 0;  // heap held by the StatsSource while the engine is built
  int64_t engine_bytes = 0;  // heap held by the engine once the source is freed
  long hwm_after_load_kb = 0;
  std::unique_ptr<stats::StatsEngine> engine;
  std::unique_ptr<SqlDashboard> sql;
  std::array<double, kDashboardQueries> sql_query_s{};
  std::string pg_jit = "default";  // PostgreSQL: the jit setting kept for the timed runs
};

Status LoadBackend(Backend& b, const Province& province) {
  std::cout << "[" << b.name << "] loading " << province.projects.size() << " projects, "
            << province.projects.size() * kMonthsPerYear << " reports, " << province.regions.size() << " regions\n"
            << std::flush;
  auto store = store::Store::Open(b.url);
  if (!store.ok()) return store.status();
  b.store = std::move(*store);
  if (Status s = b.store->Migrate(); !s.ok()) return s;
  auto load = LoadProvince(*b.store, province);
  if (!load.ok()) return load.status();
  b.load = *load;
  std::cout << "[" << b.name << "] regions " << b.load.regions_s << " s, projects " << b.load.projects_s
            << " s, reports " << b.load.reports_s() << " s\n"
            << std::flush;

  b.hwm_after_load_kb = ProcStatusKb("VmHWM");

  const int64_t heap_before = HeapInUse();
  {
    auto start = std::chrono::steady_clock::now();
    auto src = b.store->LoadStatsSource();
    b.load_stats_s = SecondsSince(start);
    if (!src.ok()) return src.status();
    b.source_bytes = HeapInUse() - heap_before;
    start = std::chrono::steady_clock::now();
    b.engine = std::make_unique<stats::StatsEngine>();
    b.engine->Rebuild(*src);
    b.engine->SetRegions(src->regions, b.load.region_ids[0]);
    b.rebuild_s = SecondsSince(start);
  }
  b.engine_bytes = HeapInUse() - heap_before;
  return Status::Ok();
}

std::vector<stats::StatsResult> ComputeDashboard(const stats::StatsEngine& engine,
                                                 const std::vector<stats::StatsQuery>& queries) {
  std::vector<stats::StatsResult> out;
  out.reserve(queries.size());
  for (const stats::StatsQuery& q : queries) out.push_back(engine.Compute(q));
  return out;
}

// Prints the differences and returns false when `got` differs from `want`.
bool Agree(const std::string& what, const DashboardTables& want, const DashboardTables& got) {
  std::string diff = CompareDashboards(want, got);
  if (diff.empty()) {
    std::cout << "check: " << what << " agrees with the engine\n";
    return true;
  }
  std::cout << "CHECK FAILED: " << what << " differs from the engine:\n" << diff << std::flush;
  return false;
}

// Keeps the real and CPU time per iteration of every benchmark for the summary: the median over
// repetitions when there are several, else the mean over the iterations.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred || r.iterations <= 0) continue;
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      const std::string& name = r.run_name.function_name;
      if (median || (r.run_type == Run::RT_Iteration && !medians_.count(name))) {
        const double n = static_cast<double>(r.iterations);
        times_[name] = {r.real_accumulated_time / n, r.cpu_accumulated_time / n};
      }
      if (median) medians_.insert(name);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::optional<double> Seconds(const std::string& name) const {
    auto it = times_.find(name);
    if (it == times_.end()) return std::nullopt;
    return it->second.first;
  }
  std::optional<double> CpuSeconds(const std::string& name) const {
    auto it = times_.find(name);
    if (it == times_.end()) return std::nullopt;
    return it->second.second;
  }

 private:
  std::map<std::string, std::pair<double, double>> times_;  // real, CPU
  std::set<std::string> medians_;
};

// How busy the machine was while a part of the run was timed: everything, and this process.
class BusyMeter {
 public:
  BusyMeter() : machine_(MachineTicks()), self_(SelfSeconds()), start_(std::chrono::steady_clock::now()) {}
  // "machine 97% busy (of all cores), kp_bench 48%"
  std::string Report() const {
    const auto [busy, idle] = MachineTicks();
    const double d_busy = busy - machine_.first, d_idle = idle - machine_.second;
    const double wall = SecondsSince(start_) * std::thread::hardware_concurrency();
    char buf[120];
    std::snprintf(buf, sizeof buf, "machine %.0f%% busy (all %u cores), kp_bench itself %.0f%%",
                  100 * d_busy / std::max(1.0, d_busy + d_idle), std::thread::hardware_concurrency(),
                  100 * (SelfSeconds() - self_) / std::max(1e-9, wall));
    return buf;
  }

 private:
  static std::pair<double, double> MachineTicks() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return {user + nice + system + irq + softirq + steal, idle + iowait};
  }
  static double SelfSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
  }
  std::pair<double, double> machine_;
  double self_;
  std::chrono::steady_clock::time_point start_;
};

std::string Ms(std::optional<double> s) {
  if (!s) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, *s < 0.01 ? "%.3f ms" : "%.1f ms", *s * 1000);
  return buf;
}
std::string Sec(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}
std::string Times(std::optional<double> slow, std::optional<double> fast) {
  if (!slow || !fast || *fast <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f×", *slow / *fast);
  return buf;
}
const char* Verdict(bool ok) { return ok ? "MET" : "MISSED"; }

void PrintSummary(const Options& o, const Province& province, double generate_s, long generated_hwm_kb,
                  const DashboardTables& dashboard, const std::vector<std::unique_ptr<Backend>>& backends,
                  const CollectingReporter& rep) {
  const size_t n = province.projects.size();
  std::cout << "\n== summary: " << n << " projects, " << n * kMonthsPerYear << " reports, " << province.regions.size()
            << " regions; dashboard " << o.shape.year << "-" << o.month << " ==\n";
  std::cout << "generate province: " << Sec(generate_s) << " (kp_bench VmHWM then " << generated_hwm_kb / 1024
            << " MiB)\n";
  std::cout << "groups per query:";
  for (size_t i = 0; i < kDashboardQueries; ++i)
    std::cout << " " << DashboardQueryName(i) << " " << dashboard[i].size();
  std::cout << "\n\nimport through the product's Store (one call each):\n";
  for (const auto& b : backends) {
    const LoadTimes& t = b->load;
    std::cout << "  " << b->name << ": CreateRegion×" << province.regions.size() << " " << Sec(t.regions_s)
              << " | ImportProjects(" << n << ") " << Sec(t.projects_s) << " | ImportReports month 1 "
              << Sec(t.months_s.front()) << ", month 12 " << Sec(t.months_s.back()) << ", all 12 " << Sec(t.reports_s())
              << " | LoadStatsSource " << Sec(b->load_stats_s) << " + Rebuild " << Sec(b->rebuild_s) << "\n";
  }

  const std::optional<double> engine = rep.Seconds("dashboard/engine");
  std::cout << "\nfull dashboard (" << kDashboardQueries << " queries: total + " << kDashboardQueries - 1
            << " groupings), mean per dashboard:\n";
  std::cout << "  engine                      " << Ms(engine) << "   (CPU " << Ms(rep.CpuSeconds("dashboard/engine"))
            << "; median of " << kEngineRepetitions << " runs)\n";
  for (const auto& b : backends) {
    std::string key = b->sql->postgres() ? "postgres" : "sqlite";
    auto t = rep.Seconds("dashboard/" + key + "_sql");
    std::cout << "  " << b->name << " SQL" << std::string(b->sql->postgres() ? 13 : 17, ' ') << Ms(t) << "   engine is "
              << Times(t, engine) << " faster";
    if (b->sql->postgres()) std::cout << "  (jit " << b->pg_jit << ")";
    std::cout << "\n";
    if (b->sql->postgres()) {
      auto gs = rep.Seconds("dashboard/postgres_grouping_sets");
      std::cout << "  PostgreSQL GROUPING SETS    " << Ms(gs) << "   engine is " << Times(gs, engine) << " faster\n";
    }
  }
  std::cout << "\nper query (engine: median of the benchmark runs; SQL: one timed run after a warm-up):\n";
  std::cout << "  query       engine";
  for (const auto& b : backends) std::cout << "   " << b->name << " SQL";
  std::cout << "\n";
  for (size_t i = 0; i < kDashboardQueries; ++i) {
    char line[160];
    std::snprintf(line, sizeof line, "  %-10s %9s", DashboardQueryName(i),
                  Ms(rep.Seconds(std::string("query/engine/") + DashboardQueryName(i))).c_str());
    std::cout << line;
    for (const auto& b : backends) {
      std::snprintf(line, sizeof line, "   %12s", Ms(b->sql_query_s[i]).c_str());
      std::cout << line;
    }
    std::cout << "\n";
  }

  std::cout << "\ntargets:\n";
  std::cout << "  full dashboard <= " << kTargetDashboardMs << " ms: " << Ms(engine) << " -> "
            << Verdict(engine && *engine * 1000 <= kTargetDashboardMs) << "\n";
  for (const auto& b : backends) {
    if (b->sql->postgres()) {
      auto pg = rep.Seconds("dashboard/postgres_sql");
      bool met = pg && engine && *pg / *engine >= kTargetTimesFasterThanPostgres;
      std::cout << "  >= " << kTargetTimesFasterThanPostgres << "x faster than PostgreSQL SQL: " << Times(pg, engine)
                << " -> " << Verdict(met) << "\n";
      auto gs = rep.Seconds("dashboard/postgres_grouping_sets");
      if (gs && engine) {
        std::cout << "     (against one GROUPING SETS statement: " << Times(gs, engine) << " -> "
                  << Verdict(*gs / *engine >= kTargetTimesFasterThanPostgres) << ")\n";
      }
      std::cout << "  import " << n << " projects on PostgreSQL (COPY): " << Sec(b->load.projects_s) << "\n";
    } else {
      std::cout << "  import " << n << " projects on SQLite <= " << kTargetSqliteImportSeconds
                << " s: " << Sec(b->load.projects_s) << " -> "
                << Verdict(b->load.projects_s <= kTargetSqliteImportSeconds) << "\n";
    }
  }
  std::cout << "\nmemory:\n";
  for (const auto& b : backends) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "  %s: LoadStatsSource result %.0f MiB (transient), engine column cache %.0f MiB; "
                  "kp_bench VmHWM after its import %ld MiB\n",
                  b->name.c_str(), b->source_bytes / kMiB, b->engine_bytes / kMiB, b->hwm_after_load_kb / 1024);
    std::cout << line;
  }
  std::cout << "  kp_bench peak RSS (VmHWM): " << ProcStatusKb("VmHWM") / 1024 << " MiB, RSS now "
            << ProcStatusKb("VmRSS") / 1024 << " MiB\n";
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::optional<Options> opt = ParseOptions(argc, argv);
  if (!opt) return 2;
  const Options& o = *opt;

  auto start = std::chrono::steady_clock::now();
  const Province province = GenerateProvince(o.shape, o.seed);
  const double generate_s = SecondsSince(start);
  const long generated_hwm_kb = ProcStatusKb("VmHWM");

  std::vector<std::unique_ptr<Backend>> backends;
  {
    std::filesystem::path db(o.sqlite_path);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
    auto b = std::make_unique<Backend>();
    b->name = "SQLite";
    b->url = "sqlite:" + o.sqlite_path;
    backends.push_back(std::move(b));
  }
  if (!o.pg_url.empty()) {
    auto b = std::make_unique<Backend>();
    b->name = "PostgreSQL";
    b->url = o.pg_url;
    backends.push_back(std::move(b));
  } else {
    std::cout << "kp_bench: no PostgreSQL (set KP_TEST_PG_URL or --pg=URL); SQLite only\n";
  }
  for (auto& b : backends) {
    if (Status s = LoadBackend(*b, province); !s.ok()) {
      std::cerr << "kp_bench: " << b->name << ": " << s.message() << "\n";
      return 1;
    }
  }

  // ---- checks: every witness must give the same dashboard --------------------------------
  DashboardSpec spec;
  spec.year = o.shape.year;
  spec.month = o.month;
  const stats::StatsEngine& engine = *backends[0]->engine;
  const std::vector<stats::StatsQuery> queries = DashboardQueries(spec);
  const DashboardTables want = TablesOf(ComputeDashboard(engine, queries));
  bool ok = true;
  {
    const GroupSums& total = want[0].at(kTotalLabel);
    GroupSums gen = GeneratorTotal(province, o.month);
    if (gen == total) {
      std::cout << "check: engine total agrees with the generator (" << total.projects << " projects, plan "
                << total.plan.yuan << " yuan, completed " << total.completed.yuan << " yuan)\n";
    } else {
      std::cout << "CHECK FAILED: engine total differs from the generator's sums\n";
      ok = false;
    }
  }
  for (size_t i = 1; i < backends.size(); ++i) {
    ok = Agree("engine built from " + backends[i]->name, want,
               TablesOf(ComputeDashboard(*backends[i]->engine, queries))) &&
         ok;
  }
  for (auto& b : backends) {
    auto fail = [&](const Status& s) {
      std::cerr << "kp_bench: " << b->name << " SQL: " << s.message() << "\n";
      return 1;
    };
    auto sql = SqlDashboard::Open(b->url);
    if (!sql.ok()) return fail(sql.status());
    b->sql = std::move(*sql);
    if (Status s = b->sql->Prepare(); !s.ok()) return fail(s);
    auto warm = b->sql->Run(spec);  // warms the caches, and is the checked answer
    if (!warm.ok()) return fail(warm.status());
    ok = Agree(b->name + " SQL", want, *warm) && ok;
    if (b->sql->postgres()) {
      // JIT compilation can cost PostgreSQL more than it saves on queries this size: time the
      // dashboard with and without, and keep the faster setting for the competitor.
      std::array<double, kDashboardQueries> with_jit{}, without_jit{};
      auto a = b->sql->Run(spec, &with_jit);
      if (!a.ok()) return fail(a.status());
      if (Status s = b->sql->SetPostgresParameter("jit", "off"); !s.ok()) return fail(s);
      auto c = b->sql->Run(spec, &without_jit);
      if (!c.ok()) return fail(c.status());
      double sum_with = 0, sum_without = 0;
      for (size_t i = 0; i < kDashboardQueries; ++i) {
        sum_with += with_jit[i];
        sum_without += without_jit[i];
      }
      std::cout << "PostgreSQL dashboard with jit (default): " << Ms(sum_with) << ", jit off: " << Ms(sum_without)
                << "\n";
      if (sum_with < sum_without) {
        if (Status s = b->sql->SetPostgresParameter("jit", "on"); !s.ok()) return fail(s);
        b->sql_query_s = with_jit;
        b->pg_jit = "on (faster)";
      } else {
        b->sql_query_s = without_jit;
        b->pg_jit = "off (faster)";
      }
      auto gs = b->sql->RunGroupingSets(spec);
      if (!gs.ok()) return fail(gs.status());
      ok = Agree("PostgreSQL GROUPING SETS", want, *gs) && ok;
    } else if (auto timed = b->sql->Run(spec, &b->sql_query_s); !timed.ok()) {
      return fail(timed.status());
    }
  }
  if (!ok) {
    std::cerr << "kp_bench: the dashboards disagree; nothing timed\n";
    return 1;
  }

  // ---- timed: the engine, then the SQL of each database ----------------------------------
  benchmark::RegisterBenchmark("dashboard/engine",
                               [&](benchmark::State& state) {
                                 for (auto _ : state) benchmark::DoNotOptimize(ComputeDashboard(engine, queries));
                               })
      ->Unit(benchmark::kMillisecond)
      ->MinTime(kEngineMinTimeSeconds)
      ->Repetitions(kEngineRepetitions)
      ->UseRealTime();
  for (size_t i = 0; i < kDashboardQueries; ++i) {
    benchmark::RegisterBenchmark((std::string("query/engine/") + DashboardQueryName(i)).c_str(),
                                 [&, i](benchmark::State& state) {
                                   for (auto _ : state) benchmark::DoNotOptimize(engine.Compute(queries[i]));
                                 })
        ->Unit(benchmark::kMillisecond)
        ->Repetitions(kEngineRepetitions)
        ->UseRealTime();
  }
  for (auto& b : backends) {
    SqlDashboard* sql = b->sql.get();
    std::string key = sql->postgres() ? "postgres" : "sqlite";
    benchmark::RegisterBenchmark(("dashboard/" + key + "_sql").c_str(),
                                 [sql, spec](benchmark::State& state) {
                                   for (auto _ : state) {
                                     auto r = sql->Run(spec);
                                     if (!r.ok()) state.SkipWithError(r.status().message().c_str());
                                     benchmark::DoNotOptimize(r);
                                   }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->Iterations(kSqlIterations)
        ->UseRealTime();
    if (sql->postgres()) {
      benchmark::RegisterBenchmark("dashboard/postgres_grouping_sets",
                                   [sql, spec](benchmark::State& state) {
                                     for (auto _ : state) {
                                       auto r = sql->RunGroupingSets(spec);
                                       if (!r.ok()) state.SkipWithError(r.status().message().c_str());
                                       benchmark::DoNotOptimize(r);
                                     }
                                   })
          ->Unit(benchmark::kMillisecond)
          ->Iterations(kSqlIterations)
          ->UseRealTime();
    }
  }
  CollectingReporter reporter;
  BusyMeter busy;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  PrintSummary(o, province, generate_s, generated_hwm_kb, want, backends, reporter);
  std::cout << "while timing: " << busy.Report() << " (PostgreSQL's own processes count as others)\n";
  return 0;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) { return kp::bench::Main(argc, argv); }
