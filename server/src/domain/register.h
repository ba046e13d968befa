#pragma once
// The register's rules: projects, annual plans, monthly reports, regions, settings and imports.
// Validates input, writes through the store, and keeps the statistics cache in step.
// Thread-safety: every method may be called concurrently. Writes take one lock around the store
// write and the cache update, so the cache and the database change together, in commit order.
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/import_parser.h"
#include "domain/model.h"
#include "domain/problem_model.h"
#include "stats/stats_engine.h"
#include "stats/stats_query.h"
#include "store/store.h"

namespace kp {

struct Settings {
  int current_year = 2024;
  stats::Schedule schedule = stats::Schedule::kMonth;
  int report_deadline_day = 5;  // reports for month M are due on this day of month M+1
  std::optional<int64_t> home_region_id;
  int headline_threshold_pct = 80;        // 填报率 a month needs to become the default month
  std::optional<YearMonth> pinned_month;  // the bureau's current period, when pinned
  int report_pct_decimals = 2;            // rates in generated reports (trailing zeros dropped), 0-4
  int reminder_hour = 8;                  // the server's daily reminder run, from this hour (Beijing), 0-23
};

// The defaults of a statistics question under these settings, as of `today` (Beijing date).
stats::StatsDefaults StatsDefaultsOf(const Settings& s, Date today);

// Who has and has not reported a month (填报率), with late reports marked.
struct ReportingStatus {
  YearMonth month;
  Date deadline;  // reports for `month` are due by the end of this day (Beijing time)
  struct Item {
    Project project;
    bool reported = false;
    bool late = false;
    std::string submitted_at;
    Money completed;
  };
  std::vector<Item> items;  // projects with a plan in the month's year, in the caller's scope
  int64_t reported = 0;
  int64_t late = 0;
  std::optional<Ratio> rate_pct;  // reported / items × 100; nullopt when there are no items
};

struct ImportOptions {
  std::string sheet;     // empty: the first sheet whose header matches
  bool dry_run = false;  // validate and preview only
};

template <typename Row>
struct ImportOutcome {
  ParsedImport<Row> parsed;  // errors non-empty means nothing was written
  ImportSummary summary;
  NodeImportSummary node_summary;  // node imports
  ProblemImportSummary problem_summary;  // problem imports
  bool ok() const { return parsed.errors.empty(); }
};

class Register {
 public:
  Register(store::Store& store, stats::StatsEngine& stats) : store_(store), stats_(stats) {}

  // Rebuilds the statistics cache from the database.
  Status LoadStats();
  // Takes in what other processes (servers, CLI imports) committed since the last call, from the
  // change log: the projects named are reloaded, or everything on a gap or a global change.
  struct Followed {
    bool stats = false;     // the cache changed
    bool sessions = false;  // sessions or users changed elsewhere: cached sessions are stale
  };
  // Any thread may call it (a publication takes in the latest before it freezes figures); word that
  // sessions changed is also kept for the ChangeFollower, whichever call saw it (TakeForeignSessions).
  Result<Followed> FollowChanges();
  bool TakeForeignSessions() { return foreign_sessions_.exchange(false); }
  // The change-log sequence the cache reflects.
  int64_t applied_seq() const { return seq_.load(); }
  // Seconds since the cache was last found equal to the change log (a load or FollowChanges).
  double SecondsSinceSync() const;

  Result<Settings> GetSettings();
  Status SaveSettings(const Settings& s, const Actor& by);

  Result<std::vector<Region>> Regions() { return store_.ListRegions(); }
  Result<Region> CreateRegion(std::optional<int64_t> parent_id, const std::string& name, const std::string& code,
                              const Actor& by);
  // The admin's changes to the tree; each is one transaction, audited, and the statistics follow.
  // A new name and code (unique among the parent's regions in use).
  Result<Region> RenameRegion(int64_t id, const std::string& name, const std::string& code, const Actor& by);
  // Moves `from`'s projects, child regions and users to `into` and retires `from` (kept for history;
  // imports naming it land in `into`). Not into itself or a region below it, not the home region,
  // not when a child's name is already taken under `into`.
  Result<store::Store::RegionMerge> MergeRegion(int64_t from, int64_t into, const Actor& by);
  // Hides a region from pickers, kept for history: only without projects, regions in use below it
  // or users, and not the home region.
  Status RetireRegion(int64_t id, const Actor& by);
  // The ids of a region and all regions below it.
  Result<std::vector<int64_t>> RegionSubtree(int64_t region_id);

  Result<Project> GetProject(int64_t id) { return store_.GetProject(id); }
  Result<store::ProjectPage> ListProjects(const store::ProjectQuery& q) { return store_.ListProjects(q); }
  // Everything is checked before anything is written; the project and its first plan are written
  // in one transaction.
  Result<Project> CreateProject(const Project& p, const Actor& by,
                                std::optional<store::Store::FirstPlan> plan = std::nullopt,
                                const store::Store::ProjectHook& also = nullptr);
  Result<Project> UpdateProject(const Project& p, const Actor& by);
  Status DeleteProject(int64_t id, int version, const Actor& by);
  Result<std::vector<HistoryEntry>> History(int64_t id) { return store_.ProjectHistory(id); }

  Result<std::vector<AnnualPlan>> Plans(int64_t project_id) { return store_.ListPlans(project_id); }
  Result<std::vector<PlanRevision>> PlanRevisions(int64_t project_id) { return store_.ListPlanRevisions(project_id); }
  Result<AnnualPlan> SetPlan(int64_t project_id, int year, Money plan, const Actor& by);

  Result<std::vector<MonthlyReport>> Reports(int64_t project_id) { return store_.ListReports(project_id); }
  Result<std::vector<ReportRevision>> ReportRevisions(int64_t id) { return store_.ListReportRevisions(id); }
  Result<MonthlyReport> SubmitReport(const MonthlyReport& r, const Actor& by);

  // CSV, .xlsx or .xls. With dry_run nothing is written: the outcome is the preview.
  Result<ImportOutcome<ProjectImportRow>> ImportProjectsFile(std::string_view bytes, const Actor& by,
                                                             const ImportOptions& options = {});
  Result<ImportOutcome<ReportImportRow>> ImportReportsFile(std::string_view bytes, const Actor& by,
                                                           const ImportOptions& options = {});
  // Writes already-validated rows (the demo generator and tests use this).
  Result<ImportSummary> ImportProjectRows(const std::vector<ProjectImportRow>& rows, const Actor& by);
  Result<ImportSummary> ImportReportRows(const std::vector<ReportImportRow>& rows, const Actor& by);

  // scope narrows the projects (a department's unit, an owner's name); its paging is ignored.
  Result<ReportingStatus> Reporting(YearMonth month, store::ProjectQuery scope);

  // Runs another slice's write (nodes …) under the write lock, then reloads the projects it
  // names into the statistics: cache and database change together, in commit order.
  Status WriteProjects(const std::function<Status(std::vector<int64_t>& touched)>& write);

  stats::StatsResult Stats(const stats::StatsQuery& q) const { return stats_.Compute(q); }
  stats::StatsEngine& stats_engine() { return stats_; }
  store::Store& store() { return store_; }

 private:
  // The project's rules, and that its region exists.
  Status CheckProject(const Project& p);
  // REQUIRES: regions already resolved (ResolveRegions).
  Result<ImportSummary> WriteProjectRows(const std::vector<ProjectImportRow>& rows, const Actor& by);
  // Takes what an import wrote into the statistics (a reload when a deleted project came back).
  // REQUIRES: write_mu_ held.
  Status ApplyToStats(const store::ImportApplied& applied);
  Status LoadStatsLocked();
  Status ReloadProjectsLocked(const std::vector<int64_t>& ids);
  Status ReloadRegionsLocked();

  store::Store& store_;
  stats::StatsEngine& stats_;
  std::mutex write_mu_;          // one write at a time through store and cache
  std::atomic<int64_t> seq_{0};  // change_log sequence taken in
  std::atomic<int64_t> synced_ms_{0};  // steady clock of the last sync
  std::atomic<bool> foreign_sessions_{false};  // FollowChanges saw sessions change elsewhere
};

}  // namespace kp
