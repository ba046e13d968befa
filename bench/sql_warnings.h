#pragma once
// The competitor of StatsEngine::Warnings: the four colour rules of PRACTICES.md §2 written as one
// SQL statement over the product's tables (annual_plans, monthly_reports, projects, project_nodes),
// answering the colour counts of every counted project, grouped by region (the cities, through
// SqlDashboard's bench_region_ancestor), as of a date. Exact like the engine: points behind are
// compared as integers (schedule num × plan − 100 × completed × schedule den against threshold ×
// den × plan), never as floating point.
// Thread-safety: none; one caller at a time.
#include <array>
#include <map>
#include <memory>
#include <string>

#include "common/dates.h"
#include "common/status.h"
#include "stats/warnings.h"

namespace kp::bench {

// Colour counts by group name (region), by stats::Colour; "" is the total.
using ColourTable = std::map<std::string, std::array<int64_t, 3>>;

class SqlWarnings {
 public:
  // url: as for store::Store::Open. Same session settings as SqlDashboard.
  static Result<std::unique_ptr<SqlWarnings>> Open(const std::string& url);
  ~SqlWarnings();

  bool postgres() const;
  // Bench data: twelve nodes per project of the year (the seventh named 开工), with planned dates
  // spread over the year and most of them done a few days early or late, written in one statement
  // from the projects in code order, so both databases hold the same nodes. Replaces any nodes.
  Status GenerateNodes(int year);
  Status SetPostgresParameter(const std::string& name, const std::string& value);
  // Colour counts of every project with a plan in as_of's year, by city (region depth 1).
  // REQUIRES: SqlDashboard::Prepare() made bench_region_ancestor on this database.
  Result<ColourTable> Counts(const Date& as_of, const stats::WarningRules& rules);

  struct Impl;

 private:
  explicit SqlWarnings(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kp::bench
