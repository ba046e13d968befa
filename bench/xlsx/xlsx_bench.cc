// Spreadsheets at province scale: export the 100k-project register and the 1.2M monthly returns
// as .xlsx, and import both files into an empty SQLite database through the product's own import
// (reader, rules, store). Each step's wall time and the peak memory it added (VmHWM reset through
// /proc/self/clear_refs before the step) are printed; figures go to bench/README.md.
//   kp_bench_xlsx [--dir=DIR] [--projects=N] [--only=WORD] [--reuse]
//   (--reuse keeps the source database of the last run; WORD picks steps by name, e.g. register)
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "../province_generator.h"
#include "../province_loader.h"
#include "documents/table_reader.h"
#include "domain/exports.h"
#include "domain/register.h"
#include "store/store.h"

namespace kp::bench {
namespace {

long StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
  }
  return -1;
}

// Runs fn and reports seconds and the peak RSS it added above the RSS before it.
std::string g_only;  // --only=WORD: run only the steps whose name contains WORD

template <typename Fn>
void Step(const std::string& name, Fn&& fn) {
  if (!g_only.empty() && name.find(g_only) == std::string::npos) return;
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // reset VmHWM to the current RSS
  long before = StatusKb("VmRSS:");
  auto start = std::chrono::steady_clock::now();
  std::string detail = fn();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long peak = StatusKb("VmHWM:");
  std::printf("%-44s %8.2f s   peak +%6.1f MiB   %s\n", name.c_str(), s, (peak - before) / 1024.0, detail.c_str());
  std::fflush(stdout);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Main(int argc, char** argv) {
  std::string dir = "bench/out";
  bool reuse = false;  // --reuse: keep the source database of an earlier run (same --projects)
  ProvinceShape shape;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--dir=", 0) == 0) dir = a.substr(6);
    if (a.rfind("--projects=", 0) == 0) shape.projects = std::stoi(a.substr(11));
    if (a.rfind("--only=", 0) == 0) g_only = a.substr(7);
    if (a == "--reuse") reuse = true;
  }
  std::filesystem::create_directories(dir);
  const std::string src_db = dir + "/xlsx-source.db", dst_db = dir + "/xlsx-target.db";
  const std::string projects_xlsx = dir + "/projects.xlsx", reports_xlsx = dir + "/reports.xlsx";
  reuse = reuse && std::filesystem::exists(src_db);
  for (const auto& f : {src_db, dst_db}) {
    if (reuse && f == src_db) continue;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f + suffix);
  }
  auto src = store::Store::Open(src_db);
  if (!src.ok() || !(*src)->Migrate().ok()) return 1;
  if (!reuse) {
    Province province = GenerateProvince(shape);
    auto loaded = LoadProvince(**src, province);
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      return 1;
    }
  }
  stats::StatsEngine engine;
  Register reg(**src, engine);
  if (!reg.LoadStats().ok()) return 1;
  std::printf("xlsx at province scale: %d projects, %d reports (%s)\n", shape.projects, shape.projects * 12,
              src_db.c_str());

  stats::StatsQuery q;
  q.year = shape.year;
  q.month = 12;
  store::ProjectQuery all;
  all.page_size = 0;
  Step("export 100k-row project register", [&] {
    Status s = ExportProjects(reg, all, q, projects_xlsx);
    return s.ok() ? std::to_string(std::filesystem::file_size(projects_xlsx) >> 20) + " MiB file" : s.message();
  });
  Step("export 1.2M-row monthly returns", [&] {
    Status s = ExportReports(reg, shape.year, std::nullopt, reports_xlsx);
    return s.ok() ? std::to_string(std::filesystem::file_size(reports_xlsx) >> 20) + " MiB file" : s.message();
  });

  auto dst = store::Store::Open(dst_db);
  if (!dst.ok() || !(*dst)->Migrate().ok()) return 1;
  stats::StatsEngine engine2;
  Register target(**dst, engine2);
  Step("  register: .xlsx read alone (cells as text)", [&] {
    std::string bytes = Slurp(projects_xlsx);
    auto sheets = documents::ReadXlsx(bytes);
    if (!sheets.ok()) return sheets.status().message();
    return std::to_string((*sheets)[0].rows.size()) + " rows";
  });
  Step("  register read + checked only (dry run)", [&] {
    std::string bytes = Slurp(projects_xlsx);
    ImportOptions dry;
    dry.dry_run = true;
    auto out = target.ImportProjectsFile(bytes, "bench", dry);
    if (!out.ok()) return out.status().message();
    return std::to_string(out->parsed.rows.size()) + " rows";
  });
  Step("import 100k-row project register .xlsx", [&] {
    std::string bytes = Slurp(projects_xlsx);
    auto out = target.ImportProjectsFile(bytes, "bench");
    if (!out.ok()) return out.status().message();
    if (!out->ok()) return FormatImportError(out->parsed.errors[0]);
    return std::to_string(out->summary.projects_created) + " projects";
  });
  Step("  register: statistics reload alone", [&] {
    Status s = target.LoadStats();
    return s.ok() ? std::string("from the database") : s.message();
  });
  Step("import 1.2M-row monthly returns .xlsx", [&] {
    std::string bytes = Slurp(reports_xlsx);
    auto out = target.ImportReportsFile(bytes, "bench");
    if (!out.ok()) return out.status().message();
    if (!out->ok()) return FormatImportError(out->parsed.errors[0]);
    return std::to_string(out->summary.reports_created) + " reports";
  });
  stats::StatsResult a = reg.Stats(q), b = target.Stats(q);
  bool same = a.total.plan == b.total.plan && a.total.completed == b.total.completed &&
              a.total.projects == b.total.projects;
  std::printf("round trip: totals %s (plan %s / %s 万元, completed %s / %s 万元)\n", same ? "agree" : "DIFFER",
              FormatWan(a.total.plan).c_str(), FormatWan(b.total.plan).c_str(), FormatWan(a.total.completed).c_str(),
              FormatWan(b.total.completed).c_str());
  return same ? 0 : 1;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) { return kp::bench::Main(argc, argv); }
