#include "province_loader.h"

#include "domain/import_parser.h"

#include <chrono>
#include <numeric>
#include <string>

namespace kp::bench {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status Mismatch(const std::string& what, int64_t got, int64_t want) {
  return Internal("import of " + what + " created " + std::to_string(got) + ", expected " + std::to_string(want));
}

}  // namespace

double LoadTimes::reports_s() const { return std::accumulate(months_s.begin(), months_s.end(), 0.0); }

Result<LoadTimes> LoadProvince(store::Store& store, const Province& province, int months) {
  LoadTimes t;
  if (Status s = store.Truncate(); !s.ok()) return s;

  auto start = std::chrono::steady_clock::now();
  for (const GeneratedRegion& r : province.regions) {
    std::optional<int64_t> parent;
    if (r.parent >= 0) parent = t.region_ids[r.parent];
    auto created = store.CreateRegion(parent, r.name, r.code);
    if (!created.ok()) return created.status();
    t.region_ids.push_back(created->id);
  }
  t.regions_s = SecondsSince(start);
  if (Status s = store.SetSettings({{"current_year", std::to_string(province.shape.year)},
                                    {"home_region_id", std::to_string(t.region_ids[0])}},
                                   std::nullopt);
      !s.ok()) {
    return s;
  }

  // The product's import path: the domain resolves 所在地区 against the tree, the store writes.
  start = std::chrono::steady_clock::now();
  std::vector<ProjectImportRow> rows = province.projects;
  auto regions = store.ListRegions();
  if (!regions.ok()) return regions.status();
  if (auto errors = ResolveRegions(rows, *regions); !errors.empty()) return Internal(FormatImportError(errors[0]));
  auto projects = store.ImportProjects(rows, "bench");
  t.projects_s = SecondsSince(start);
  if (!projects.ok()) return projects.status();
  const int64_t n = static_cast<int64_t>(province.projects.size());
  if (projects->projects_created != n) return Mismatch("projects", projects->projects_created, n);
  if (projects->plans_written != n) return Mismatch("plans", projects->plans_written, n);
  if (!projects->regions_created.empty()) {
    return Internal("import created region " + projects->regions_created.front() + ": names did not resolve");
  }

  for (int month = 1; month <= months; ++month) {
    std::vector<ReportImportRow> month_rows = GenerateMonthReports(province, month);
    start = std::chrono::steady_clock::now();
    auto reports = store.ImportReports(month_rows, "bench");
    t.months_s.push_back(SecondsSince(start));
    if (!reports.ok()) return reports.status();
    if (reports->reports_created != n)
      return Mismatch("reports of month " + std::to_string(month), reports->reports_created, n);
  }
  return t;
}

}  // namespace kp::bench
