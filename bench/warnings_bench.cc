// kp_bench_warnings: warning colours at province scale (issue 10's speed targets: all colours and
// counts as of any date ≤ 50 ms for 100k projects × 12 nodes and 1.2M reports, ≥ 50× faster than
// the same rules as SQL on PostgreSQL in the same run).
//
//   kp_bench_warnings [--projects=N] [--sqlite=PATH] [--pg=URL] [--load-only]
//
// Loads a generated province (bench/province_generator.h) through the product's Store into SQLite
// (and PostgreSQL: --pg, default KP_TEST_PG_URL; empty skips it), adds twelve nodes per project with
// one SQL statement (SqlWarnings::GenerateNodes, the same nodes on both), builds the statistics
// engine from the SQLite store as the server does at start, then, as of several dates:
//  - times StatsEngine::Warnings grouped by region: colours and counts, and with every project's
//    warnings (the /api/warnings body); the median of kRuns;
//  - times the same four rules as one SQL statement on each database (sql_warnings.h), after a
//    warm-up, kSqlRuns runs (PostgreSQL: JIT on and off, the faster kept), and checks that every
//    region's counts equal the engine's, or exits 1.
// --load-only stops after loading (the wall chart export bench in scripts/bench.sh uses the file).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "province_generator.h"
#include "province_loader.h"
#include "sql_dashboard.h"
#include "sql_warnings.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr int kRuns = 15;
constexpr int kSqlRuns = 3;
constexpr double kTargetMs = 50;
constexpr double kTargetRatio = 50;

double MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Database {
  std::string name, url;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<SqlWarnings> sql;
  LoadTimes load;
};

Status Load(Database& db, const Province& province) {
  auto store = store::Store::Open(db.url);
  if (!store.ok()) return store.status();
  db.store = std::move(*store);
  if (Status s = db.store->Migrate(); !s.ok()) return s;
  auto t = std::chrono::steady_clock::now();
  auto load = LoadProvince(*db.store, province);
  if (!load.ok()) return load.status();
  db.load = *load;
  auto dash = SqlDashboard::Open(db.url);  // bench_region_ancestor and ANALYZE
  if (!dash.ok()) return dash.status();
  if (Status s = (*dash)->Prepare(); !s.ok()) return s;
  auto sql = SqlWarnings::Open(db.url);
  if (!sql.ok()) return sql.status();
  db.sql = std::move(*sql);
  if (Status s = db.sql->GenerateNodes(province.shape.year); !s.ok()) return s;
  std::printf("[%s] province and nodes loaded in %.1f s\n", db.name.c_str(), MsSince(t) / 1000);
  return Status::Ok();
}

ColourTable TableOf(const stats::WarningResult& r) {
  ColourTable t;
  t[""] = r.counts;
  for (const stats::ColourCounts& g : r.groups) t[g.key] = g.counts;
  return t;
}

void PrintCounts(const char* who, const std::array<int64_t, 3>& c) {
  std::printf("    %s: red %lld yellow %lld green %lld\n", who, static_cast<long long>(c[2]),
              static_cast<long long>(c[1]), static_cast<long long>(c[0]));
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) {
  using namespace kp;
  using namespace kp::bench;
  ProvinceShape shape;
  std::string sqlite_path = "bench/out/warnings.db";
  const char* pg_env = std::getenv("KP_TEST_PG_URL");
  std::string pg_url = pg_env ? pg_env : "";
  bool load_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--projects=", 0) == 0) shape.projects = std::stoi(a.substr(11));
    else if (a.rfind("--sqlite=", 0) == 0) sqlite_path = a.substr(9);
    else if (a.rfind("--pg=", 0) == 0) pg_url = a.substr(5);
    else if (a == "--load-only") load_only = true;
    else {
      std::fprintf(stderr, "usage: kp_bench_warnings [--projects=N] [--sqlite=PATH] [--pg=URL] [--load-only]\n");
      return 2;
    }
  }
  std::remove(sqlite_path.c_str());
  std::vector<Database> dbs;
  dbs.push_back({"sqlite", sqlite_path, nullptr, nullptr, {}});
  if (!load_only && !pg_url.empty()) dbs.push_back({"postgres", pg_url, nullptr, nullptr, {}});

  Province province = GenerateProvince(shape);
  for (Database& db : dbs) {
    if (Status s = Load(db, province); !s.ok()) {
      std::fprintf(stderr, "[%s] load failed: %s\n", db.name.c_str(), s.message().c_str());
      return 1;
    }
  }
  if (load_only) return 0;

  stats::StatsEngine engine;
  auto t0 = std::chrono::steady_clock::now();
  {
    auto src = dbs[0].store->LoadStatsSource();
    if (!src.ok()) {
      std::fprintf(stderr, "LoadStatsSource: %s\n", src.status().message().c_str());
      return 1;
    }
    engine.Rebuild(*src);
    engine.SetRegions(src->regions, dbs[0].load.region_ids[0]);
    std::printf("projects %zu, nodes %zu, reports %zu; engine loaded from SQLite in %.0f ms\n", src->projects.size(),
                src->nodes.size(), src->reports.size(), MsSince(t0));
  }

  bool ok = true, fast = true, exact = true;
  std::vector<double> ratios;
  const stats::WarningRules rules;
  for (Date as_of : {Date{2024, 3, 31}, Date{2024, 6, 30}, Date{2024, 9, 15}}) {
    std::printf("== as of %s, grouped by region (cities) ==\n", as_of.ToString().c_str());
    stats::WarningQuery q;
    q.as_of = as_of;
    q.by = stats::GroupBy::kRegion;
    double counts_ms = 0;
    stats::WarningResult counted;
    for (bool listed : {false, true}) {
      q.list_projects = listed;
      std::vector<double> ms;
      stats::WarningResult r;
      for (int k = 0; k < kRuns; ++k) {
        auto s = std::chrono::steady_clock::now();
        r = engine.Warnings(q, rules);
        ms.push_back(MsSince(s));
      }
      const double median = Median(ms);
      std::printf("  engine, %s: median %.1f ms (min %.1f) of %d\n",
                  listed ? "colours, counts and every project's warnings" : "colours and counts", median,
                  *std::min_element(ms.begin(), ms.end()), kRuns);
      if (!listed) {
        counts_ms = median;
        counted = std::move(r);
        ok = ok && median <= kTargetMs;
      }
    }
    PrintCounts("engine", counted.counts);
    const ColourTable want = TableOf(counted);
    for (Database& db : dbs) {
      std::vector<std::pair<std::string, std::string>> variants = {{"", ""}};
      if (db.sql->postgres()) variants = {{"jit", "on"}, {"jit", "off"}};
      double best = 0;
      std::string best_variant;
      for (const auto& [param, value] : variants) {
        if (!param.empty()) (void)db.sql->SetPostgresParameter(param, value);
        auto warm = db.sql->Counts(as_of, rules);
        if (!warm.ok()) {
          std::fprintf(stderr, "[%s] SQL failed: %s\n", db.name.c_str(), warm.status().message().c_str());
          return 1;
        }
        if (*warm != want) {
          exact = false;
          std::printf("  [%s] SQL counts DIFFER from the engine's:\n", db.name.c_str());
          PrintCounts("SQL", (*warm)[""]);
          for (const auto& [key, c] : *warm) {
            auto it = want.find(key);
            if (it == want.end() || it->second != c) PrintCounts(("SQL group " + key).c_str(), c);
          }
        }
        std::vector<double> ms;
        for (int k = 0; k < kSqlRuns; ++k) {
          auto s = std::chrono::steady_clock::now();
          auto r = db.sql->Counts(as_of, rules);
          ms.push_back(MsSince(s));
        }
        const double median = Median(ms);
        std::printf("  %s SQL%s: median %.0f ms of %d (one statement, four rules, by city)\n", db.name.c_str(),
                    param.empty() ? "" : (", " + param + " " + value).c_str(), median, kSqlRuns);
        if (best == 0 || median < best) {
          best = median;
          best_variant = param.empty() ? "" : param + " " + value;
        }
      }
      const double ratio = best / counts_ms;
      std::printf("  engine is %.0f x faster than %s SQL%s (%.1f ms vs %.0f ms)\n", ratio, db.name.c_str(),
                  best_variant.empty() ? "" : (" (" + best_variant + ")").c_str(), counts_ms, best);
      if (db.sql->postgres()) {
        ratios.push_back(ratio);
        fast = fast && ratio >= kTargetRatio;
      }
    }
  }
  std::printf("== summary ==\n");
  std::printf("SQL counts equal the engine's, region by region: %s\n", exact ? "yes" : "NO");
  std::printf("target: all colours and counts <= %.0f ms: %s\n", kTargetMs, ok ? "met" : "NOT met");
  if (!ratios.empty()) {
    std::printf("target: >= %.0f x faster than PostgreSQL's SQL: %s (lowest %.0f x)\n", kTargetRatio,
                fast ? "met" : "NOT met", *std::min_element(ratios.begin(), ratios.end()));
  }
  return exact ? 0 : 1;
}
