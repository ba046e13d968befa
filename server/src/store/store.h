#pragma once
// The system of record. All SQL of the product lives in store/. One code path over SOCI for
// SQLite (embedded default, WAL) and PostgreSQL; bulk loads use the native fast path of each
// (prepared inserts in one transaction on SQLite, COPY on PostgreSQL).
// Thread-safety: every method may be called from any thread; calls are serialised internally.
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "store/audit_chain.h"

namespace soci {
class session;
}

namespace kp::store {

struct ProjectQuery {
  std::string q;  // substring of name, owner or code
  std::vector<Level> levels;
  std::vector<int64_t> region_ids;  // any of these (callers expand a region to its subtree)
  std::string industry, unit, leader, status, owner, nature;
  std::optional<bool> demo;
  std::optional<int> plan_year;  // only projects with a plan in this year
  std::optional<std::vector<int64_t>> ids;  // only these projects (e.g. of a warning colour); empty: none
  std::string sort = "code";     // code name level industry region total_investment updated_at status
  bool desc = false;
  int page = 1;
  int page_size = 20;  // 0 = all
};

struct AuditQuery {
  std::string actor, action, entity, entity_id;
  std::string from, to;  // ISO date or timestamp prefixes, inclusive
  int page = 1;
  int page_size = 50;
};

struct AuditPage {
  std::vector<AuditEntry> items;
  int64_t total = 0;
};

struct ProjectPage {
  std::vector<Project> items;
  int64_t total = 0;
};

// Everything the in-memory statistics need, read in a few set-based queries. Plans and
// reports are slim (ids and amounts): 1.2M reports take ~30 MB, not the ~400 MB of full records.
struct PlanAmount {
  int64_t project_id = 0;
  int32_t year = 0;
  Money plan;
};
struct ReportAmount {
  int64_t project_id = 0;
  int16_t year = 0;
  int8_t month = 0;
  Money completed;
};
struct StatsSource {
  std::vector<Region> regions;
  std::vector<Project> projects;  // not deleted
  std::vector<PlanAmount> plans;
  std::vector<ReportAmount> reports;
  std::vector<ProjectNode> nodes;  // dates, names, unit and person of live projects' nodes (no notes)
};

// What an import wrote, for the statistics to take in without reading everything again.
struct ImportApplied {
  bool regions_created = false;
  std::vector<int64_t> revived;  // deleted projects that came back: their older plans and reports too
  std::vector<Project> projects;  // created or changed, with ids and regions
  std::vector<PlanAmount> plans;
  std::vector<ReportAmount> reports;
};

// Changes committed by other processes since a sequence number (see change_log).
struct ChangeBatch {
  int64_t last_seq = 0;             // the newest row read: ask from here next time
  bool gap = false;                 // rows were pruned before they were read: reload everything
  bool all = false;                 // a change that touches everything (settings, truncate, large import)
  bool regions = false;             // the region tree changed
  bool sessions = false;            // sessions or users changed (a sign-out, a disabled user)
  std::vector<int64_t> project_ids;  // projects whose record, plans or reports changed
};

struct SessionRecord {
  std::string csrf;
  User user;
  int64_t created_at = 0;
  int64_t last_seen = 0;
};

enum class LoginGate { kAllowed, kLocked };

class Db;

class Store {
 public:
  // url: a file path, "sqlite:PATH", or "postgresql://USER[:PASS]@HOST:PORT/DB".
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  virtual ~Store() = default;

  virtual bool IsPostgres() const = 0;
  virtual Status Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;

  // Settings: small key/value pairs (current year, schedule convention …).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  // Writes several keys and the audit entry of the change in one transaction: all or none.
  virtual Status SetSettings(const std::vector<std::pair<std::string, std::string>>& values,
                             const std::optional<AuditEntry>& audit) = 0;
  // Writes `values` only while every key of `expected` still holds its expected value (nullopt: not
  // stored), with the audit entry, in one transaction; kConflict when another writer changed one since
  // it was read (so an audit entry's `before` is always what the write replaced).
  virtual Status SetSettingsIf(const std::vector<std::pair<std::string, std::string>>& values,
                               const std::map<std::string, std::optional<std::string>>& expected,
                               const std::optional<AuditEntry>& audit) = 0;
  Status SetSettingIf(const std::string& key, const std::optional<std::string>& expected, const std::string& value,
                      const std::optional<AuditEntry>& audit) {
    return SetSettingsIf({{key, value}}, {{key, expected}}, audit);
  }

  virtual Result<std::vector<Region>> ListRegions() = 0;
  virtual Result<Region> CreateRegion(std::optional<int64_t> parent_id, const std::string& name,
                                      const std::string& code) = 0;
  // Region changes, each one transaction with its audit entry (entity "region"); the rules are the
  // domain's (Register). Retired regions stay in ListRegions, marked. Each refuses (kConflict) a
  // region retired meanwhile.
  virtual Result<Region> RenameRegion(int64_t id, const std::string& name, const std::string& code,
                                      const Actor& by) = 0;
  struct RegionMerge {
    int64_t projects = 0;  // live projects moved (each with a history entry and a new version)
    int64_t regions = 0;   // child regions moved
    int64_t users = 0;     // users whose region it was
  };
  // Moves `from`'s projects (deleted ones too), child regions and users to `into`, and retires
  // `from` as merged into it.
  virtual Result<RegionMerge> MergeRegion(int64_t from, int64_t into, const Actor& by) = 0;
  // Retires a region that holds no live project and no region in use (else kConflict).
  virtual Status RetireRegion(int64_t id, const Actor& by) = 0;

  virtual Result<Project> GetProject(int64_t id) = 0;
  virtual Result<ProjectPage> ListProjects(const ProjectQuery& q) = 0;
  // Creates a project (code must be new) and, given one, its first annual plan, in one
  // transaction; records a "create" history entry.
  struct FirstPlan {
    int year = 0;
    Money plan;
  };
  // `also` (another slice's SQL, e.g. a lead becoming this project) runs inside the same
  // transaction with the new id; anything but Ok rolls the project back too.
  using ProjectHook = std::function<Status(soci::session&, int64_t project_id)>;
  virtual Result<Project> CreateProject(const Project& p, const Actor& by, std::optional<FirstPlan> plan = std::nullopt,
                                        const ProjectHook& also = nullptr) = 0;
  // Replaces the editable fields when p.version matches the stored version (else kConflict);
  // records the changed fields. Returns the stored project with its new version.
  virtual Result<Project> UpdateProject(const Project& p, const Actor& by) = 0;
  virtual Status DeleteProject(int64_t id, int expected_version, const Actor& by) = 0;
  virtual Result<std::vector<HistoryEntry>> ProjectHistory(int64_t id) = 0;

  virtual Result<std::vector<AnnualPlan>> ListPlans(int64_t project_id) = 0;
  virtual Result<std::vector<PlanRevision>> ListPlanRevisions(int64_t project_id) = 0;
  // Writes the plan of a year; a changed value keeps the previous one as a revision.
  virtual Result<AnnualPlan> UpsertPlan(int64_t project_id, int year, Money plan, const Actor& by) = 0;

  virtual Result<std::vector<MonthlyReport>> ListReports(int64_t project_id) = 0;
  virtual Result<std::vector<MonthlyReport>> ListReportsForMonth(YearMonth month) = 0;
  virtual Result<std::vector<ReportRevision>> ListReportRevisions(int64_t project_id) = 0;
  // Writes a month's report; a re-submission replaces it and keeps the old values.
  virtual Result<MonthlyReport> UpsertReport(const MonthlyReport& r, const Actor& by) = 0;

  // Existing project codes (not deleted), for import validation.
  virtual Result<std::vector<std::string>> ProjectCodes() = 0;

  // All-or-nothing imports: one transaction. Regions named in rows that do not exist are
  // created under the home region (setting "home_region_id", else the first root).
  // `applied`, when given, receives what was written.
  virtual Result<ImportSummary> ImportProjects(const std::vector<ProjectImportRow>& rows, const Actor& by,
                                               ImportApplied* applied = nullptr) = 0;
  virtual Result<ImportSummary> ImportReports(const std::vector<ReportImportRow>& rows, const Actor& by,
                                              ImportApplied* applied = nullptr) = 0;

  virtual Result<StatsSource> LoadStatsSource() = 0;

  // Streams rows to fn without holding them all (exports). The store is locked meanwhile.
  virtual Status StreamProjects(const ProjectQuery& q, const std::function<void(const Project&)>& fn) = 0;
  // Reports of a year (every month, or one), ordered by project code and month, with the code.
  virtual Status StreamReports(int year, std::optional<int> month,
                               const std::function<void(const std::string& code, const std::string& name,
                                                        const MonthlyReport&)>& fn) = 0;

  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<std::optional<User>> FindUser(const std::string& login) = 0;
  virtual Result<User> GetUser(int64_t id) = 0;
  // Creates (login must be new) or replaces every field of a user; audited without the hash.
  virtual Result<User> CreateUser(const User& u, const Actor& by) = 0;
  virtual Result<User> UpdateUser(const User& u, const Actor& by) = 0;
  // Counts a sign-in attempt (not audited as a user change; the caller audits the attempt).
  virtual Status SetLoginState(int64_t user_id, int failed_attempts, int64_t locked_until) = 0;

  // The audit log is append-only: there is no update or delete.
  virtual Status AppendAudit(const AuditEntry& e) = 0;
  virtual Result<AuditPage> ListAudit(const AuditQuery& q) = 0;
  // This process's id in the change log: its own rows are skipped by ChangesSince.
  virtual const std::string& origin() const = 0;
  virtual Result<ChangeBatch> ChangesSince(int64_t seq) = 0;
  virtual Result<int64_t> LatestChange() = 0;
  virtual Status PruneChanges(int64_t through_seq) = 0;
  // The live projects among ids with all their plans and reports (a targeted reload).
  virtual Result<StatsSource> LoadStatsSourceFor(const std::vector<int64_t>& ids) = 0;

  // Sessions, shared by every server on the database. token_hash is the SHA-256 (hex) of the cookie.
  virtual Status CreateSession(const std::string& token_hash, const std::string& csrf, int64_t user_id,
                               int64_t now) = 0;
  // The live session and its user as stored now; a session idle longer than idle_seconds, or of a
  // disabled user, is deleted and not returned. last_seen is written when older than touch_after.
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash, int64_t now,
                                                           int64_t idle_seconds, int64_t touch_after) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Every session of the user except the one given (empty: all of them).
  virtual Status DeleteSessionsOf(int64_t user_id, const std::string& except_hash) = 0;
  virtual Status DeleteIdleSessions(int64_t seen_before) = 0;
  // Counts a sign-in attempt before its password is checked, atomically: kLocked when the account
  // is locked; the attempt that reaches max_failures locks it for lock_seconds.
  virtual Result<LoginGate> BeginLoginAttempt(int64_t user_id, int64_t now, int max_failures, int lock_seconds) = 0;

  // Whether any project, region or user exists (the demo loads only into an empty database).
  virtual Result<bool> HasData() = 0;

  // Every audit entry in id order with its chain hash, then the chain's head (audit_chain.h).
  virtual Status ScanAuditChain(const std::function<void(const AuditEntry&, const std::string& hash)>& fn,
                                AuditChainHead* head) = 0;
  // The shared connection the store's other slices (node_store …) write through.
  virtual Db& db() = 0;

  // Removes every row of every table (tests and `demo --reset`).
  virtual Status Truncate() = 0;
};

// Splits a --db value into backend and SOCI connection string.
struct DbUrl {
  bool postgres = false;
  std::string connect;  // SOCI connection string
  std::string path;     // SQLite file path
};
Result<DbUrl> ParseDbUrl(const std::string& url);

}  // namespace kp::store
