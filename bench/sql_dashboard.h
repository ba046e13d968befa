#pragma once
// The competitor of the statistics engine: the same full dashboard answered by SQL over the
// product's own tables (annual_plans, monthly_reports, projects), on a connection of its own.
// The region grouping joins bench_region_ancestor, a bench-only helper table created by Prepare():
// for every region and depth 0..8, the region's ancestor at that depth (the region itself when it is
// shallower), which is what the engine walks up to in memory.
// Thread-safety: none; one caller at a time.
#include <array>
#include <memory>
#include <string>

#include "common/status.h"
#include "dashboard_table.h"

namespace kp::bench {

class SqlDashboard {
 public:
  // url: as for store::Store::Open. On SQLite the connection gets a 256 MiB page cache; on
  // PostgreSQL the session gets work_mem = 64MB, so neither competitor is starved of memory.
  static Result<std::unique_ptr<SqlDashboard>> Open(const std::string& url);
  ~SqlDashboard();

  bool postgres() const;
  // (Re)creates bench_region_ancestor from the regions table, then refreshes the planner's
  // statistics (ANALYZE on SQLite, VACUUM ANALYZE on PostgreSQL, as autovacuum would).
  Status Prepare();
  // Sets a PostgreSQL session parameter (e.g. "jit", "off"); a no-op on SQLite.
  Status SetPostgresParameter(const std::string& name, const std::string& value);

  // One statement per query of the dashboard. seconds, when given, receives each one's time.
  // REQUIRES: Prepare() was called after the regions were loaded.
  Result<DashboardTables> Run(const DashboardSpec& spec, std::array<double, kDashboardQueries>* seconds = nullptr);
  // PostgreSQL only: the whole dashboard in one statement with GROUPING SETS (one scan).
  Result<DashboardTables> RunGroupingSets(const DashboardSpec& spec);

  struct Impl;  // SOCI session, kept out of this header

 private:
  explicit SqlDashboard(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kp::bench
