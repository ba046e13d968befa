// Store over SOCI: SQLite and PostgreSQL share every statement below; only the auto-increment
// key in migrations and the bulk-load fast path differ.
#include <libpq-fe.h>
#include <boost/json.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <unistd.h>
#include <thread>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"
#include "domain/project_diff.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/db.h"
#include "store/node_store.h"

namespace kp::store {
namespace {

using Row = std::vector<std::optional<std::string>>;

constexpr int kFetchBatch = 20000;
constexpr const char* kPgLockNotAvailable = "55P03";  // lock_timeout, NOWAIT

// ---- SQL, as named constants ----------------------------------------------------------------
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";
constexpr const char* kSelectSchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr const char* kSelectAppliedMigrations = "SELECT version FROM schema_migrations";
constexpr const char* kInsertMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)";
constexpr const char* kSelectSetting = "SELECT value FROM settings WHERE key = :k";
constexpr const char* kUpsertSetting =
    "INSERT INTO settings (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
constexpr const char* kSelectRegions =
    "SELECT id, parent_id, name, code, retired_at, merged_into FROM regions ORDER BY id";
// Region changes (rename, merge, retire); each is guarded against a region retired meanwhile.
constexpr const char* kRenameRegion = "UPDATE regions SET name = :n, code = :c WHERE id = :id AND retired_at IS NULL";
constexpr const char* kMergeRetireRegion =
    "UPDATE regions SET retired_at = :a, merged_into = :m WHERE id = :id AND retired_at IS NULL";
constexpr const char* kRetireEmptyRegion =
    "UPDATE regions SET retired_at = :a WHERE id = :id AND retired_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM projects WHERE region_id = :p AND deleted = 0) "
    "AND NOT EXISTS (SELECT 1 FROM regions c WHERE c.parent_id = :c AND c.retired_at IS NULL)";
constexpr const char* kSelectLiveRegion = "SELECT COUNT(*) FROM regions WHERE id = :id AND retired_at IS NULL";
constexpr const char* kSelectRegionProjectIds =
    "SELECT id FROM projects WHERE region_id = :r AND deleted = 0 ORDER BY id";
constexpr const char* kMoveProjectRegion =
    "UPDATE projects SET region_id = :to, version = version + 1, updated_at = :ua WHERE id = :id";
constexpr const char* kMoveDeletedProjects = "UPDATE projects SET region_id = :to WHERE region_id = :from AND deleted = 1";
constexpr const char* kMoveChildRegions = "UPDATE regions SET parent_id = :to WHERE parent_id = :from";
constexpr const char* kMoveRegionUsers = "UPDATE users SET region_id = :to WHERE region_id = :from";
constexpr const char* kInsertRegion =
    "INSERT INTO regions (parent_id, name, code, created_at) VALUES (:p, :n, :c, :a) RETURNING id";
constexpr const char* kProjectColumns =
    "p.id, p.code, p.name, p.level, p.nature, p.industry, p.region_id, p.total_investment_yuan, p.owner, p.unit, "
    "p.person, p.leader, p.is_demo, p.status, p.planned_start, p.planned_end, p.content, p.version, p.created_at, "
    "p.updated_at, r.name";
constexpr const char* kProjectFrom = " FROM projects p LEFT JOIN regions r ON r.id = p.region_id ";
constexpr const char* kSelectDeletedProjectIds = "SELECT id FROM projects WHERE deleted = 1";
constexpr const char* kInsertProject =
    "INSERT INTO projects (code, name, level, nature, industry, region_id, total_investment_yuan, owner, unit, person, "
    "leader, is_demo, status, planned_start, planned_end, content, version, deleted, created_at, updated_at) VALUES "
    "(:code, :name, :level, :nature, :industry, :region, :total, :owner, :unit, :person, :leader, :demo, :status, "
    ":ps, :pe, :content, 1, 0, :ca, :ua) RETURNING id";
constexpr const char* kUpdateProject =
    "UPDATE projects SET code = :code, name = :name, level = :level, nature = :nature, industry = :industry, "
    "region_id = :region, total_investment_yuan = :total, owner = :owner, unit = :unit, person = :person, "
    "leader = :leader, is_demo = :demo, status = :status, planned_start = :ps, planned_end = :pe, content = :content, "
    "version = version + 1, updated_at = :ua WHERE id = :id AND version = :ver AND deleted = 0";
constexpr const char* kDeleteProject =
    "UPDATE projects SET deleted = 1, version = version + 1, updated_at = :ua WHERE id = :id AND version = :ver AND "
    "deleted = 0";
constexpr const char* kSelectCodeTaken = "SELECT COUNT(*) FROM projects WHERE code = :c AND id <> :id";
constexpr const char* kInsertHistory =
    "INSERT INTO project_history (project_id, changed_at, changed_by, action, changes) VALUES (:p, :a, :b, :c, :d)";
constexpr const char* kSelectHistory =
    "SELECT project_id, changed_at, changed_by, action, changes FROM project_history WHERE project_id = :p ORDER BY id";
constexpr const char* kSelectPlans =
    "SELECT project_id, year, plan_yuan, updated_at, updated_by FROM annual_plans WHERE project_id = :p ORDER BY year";
constexpr const char* kSelectPlan = "SELECT plan_yuan FROM annual_plans WHERE project_id = :p AND year = :y";
constexpr const char* kInsertPlan =
    "INSERT INTO annual_plans (project_id, year, plan_yuan, updated_at, updated_by) VALUES (:p, :y, :v, :a, :b)";
constexpr const char* kUpdatePlan =
    "UPDATE annual_plans SET plan_yuan = :v, updated_at = :a, updated_by = :b WHERE project_id = :p AND year = :y";
constexpr const char* kSelectPlanRevisions =
    "SELECT project_id, year, old_plan_yuan, new_plan_yuan, changed_at, changed_by FROM plan_revisions "
    "WHERE project_id = :p ORDER BY id";
constexpr const char* kInsertPlanRevision =
    "INSERT INTO plan_revisions (project_id, year, old_plan_yuan, new_plan_yuan, changed_at, changed_by) "
    "VALUES (:p, :y, :o, :n, :a, :b)";
constexpr const char* kReportColumns =
    "SELECT project_id, year, month, completed_yuan, progress, problems, submitted_at, submitted_by FROM monthly_reports ";
constexpr const char* kSelectReport =
    "SELECT completed_yuan, progress, problems, submitted_at, submitted_by FROM monthly_reports "
    "WHERE project_id = :p AND year = :y AND month = :m";
constexpr const char* kInsertReport =
    "INSERT INTO monthly_reports (project_id, year, month, completed_yuan, progress, problems, submitted_at, "
    "submitted_by) VALUES (:p, :y, :m, :c, :g, :q, :a, :b)";
constexpr const char* kUpdateReport =
    "UPDATE monthly_reports SET completed_yuan = :c, progress = :g, problems = :q, submitted_at = :a, "
    "submitted_by = :b WHERE project_id = :p AND year = :y AND month = :m";
constexpr const char* kInsertReportRevision =
    "INSERT INTO report_history (project_id, year, month, old_completed_yuan, old_progress, old_problems, "
    "old_submitted_at, old_submitted_by, replaced_at, replaced_by) VALUES (:p, :y, :m, :c, :g, :q, :sa, :sb, :a, :b)";
constexpr const char* kSelectReportRevisions =
    "SELECT project_id, year, month, old_completed_yuan, old_progress, old_problems, old_submitted_at, "
    "old_submitted_by, replaced_at, replaced_by FROM report_history WHERE project_id = :p ORDER BY id";
constexpr const char* kSelectProjectCodes = "SELECT code FROM projects WHERE deleted = 0";
constexpr const char* kSelectAllPlanAmounts = "SELECT project_id, year, plan_yuan FROM annual_plans";
constexpr const char* kSelectAllReportAmounts = "SELECT project_id, year, month, completed_yuan FROM monthly_reports";
constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (at, actor, ip, action, entity, entity_id, before_json, after_json, hash) "
    "VALUES (:at, :actor, :ip, :action, :entity, :eid, :b, :a, :h) RETURNING id";
// The chain head (audit_chain.h): bumped first, so concurrent appenders queue on its row.
constexpr const char* kBumpAuditChain =
    "INSERT INTO audit_chain (id, entries, last_id, last_hash) VALUES (1, 1, 0, '') "
    "ON CONFLICT (id) DO UPDATE SET entries = audit_chain.entries + 1";
constexpr const char* kSelectAuditChainHead = "SELECT entries, last_id, last_hash FROM audit_chain WHERE id = 1";
constexpr const char* kSetAuditChainHead = "UPDATE audit_chain SET last_id = :i, last_hash = :h WHERE id = 1";
constexpr const char* kSetAuditChainCount = "UPDATE audit_chain SET entries = :n WHERE id = 1";
constexpr const char* kSelectAuditChain =
    "SELECT id, at, actor, ip, action, entity, entity_id, before_json, after_json, hash FROM audit_log ORDER BY id";
constexpr const char* kSnapshotTransaction = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
constexpr const char* kSetAuditHash = "UPDATE audit_log SET hash = :h WHERE id = :i";
constexpr const char* kUserColumns =
    "SELECT id, login, display_name, role, unit, region_id, password_hash, must_change_password, disabled, "
    "failed_attempts, locked_until, created_at FROM users ";
constexpr const char* kInsertUser =
    "INSERT INTO users (login, display_name, role, unit, region_id, password_hash, must_change_password, disabled, "
    "failed_attempts, locked_until, created_at, updated_at) VALUES (:l, :d, :r, :u, :g, :h, :m, :x, 0, 0, :c, :c2) "
    "RETURNING id";
constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = :d, role = :r, unit = :u, region_id = :g, password_hash = :h, "
    "must_change_password = :m, disabled = :x, failed_attempts = :f, locked_until = :k, updated_at = :t WHERE id = :id";
constexpr const char* kSetLoginState = "UPDATE users SET failed_attempts = :f, locked_until = :k WHERE id = :id";
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kBegin = "BEGIN";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
// Every PostgreSQL writer takes this transaction-scoped lock first: writes commit one at a time,
// so change_log's sequence is the commit order and two servers writing one new cell never race.
constexpr const char* kPgWriteLock = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7342001)) t";
constexpr const char* kPgNotify = "SELECT 1 FROM (SELECT pg_notify('kp_changes', :o)) t";
constexpr const char* kInsertChange = "INSERT INTO change_log (origin, kind, project_id, at) VALUES (:o, :k, :p, :a)";
constexpr const char* kSelectChangesSince =
    "SELECT seq, origin, kind, project_id FROM change_log WHERE seq > :s ORDER BY seq";
constexpr const char* kSelectChangeBounds = "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM change_log";
constexpr const char* kPruneChanges = "DELETE FROM change_log WHERE seq <= :s";
constexpr const char* kChangeProject = "project";
constexpr const char* kChangeRegions = "regions";
constexpr const char* kChangeAll = "all";
constexpr const char* kChangeSessions = "sessions";
// A write naming more projects than this is logged as one 'all' (a reload is cheaper).
constexpr size_t kMaxChangeRows = 1000;
constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, csrf, user_id, created_at, last_seen) VALUES (:h, :c, :u, :a, :s)";
constexpr const char* kSelectSession = "SELECT csrf, user_id, created_at, last_seen FROM sessions WHERE token_hash = :h";
constexpr const char* kTouchSession = "UPDATE sessions SET last_seen = :s WHERE token_hash = :h";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE token_hash = :h";
constexpr const char* kDeleteSessionsOf = "DELETE FROM sessions WHERE user_id = :u AND token_hash <> :h";
constexpr const char* kDeleteIdleSessions = "DELETE FROM sessions WHERE last_seen < :s";
constexpr const char* kSelectLoginState = "SELECT failed_attempts, locked_until FROM users WHERE id = :id";
constexpr const char* kCountData =
    "SELECT (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM regions) + (SELECT COUNT(*) FROM users)";
constexpr const char* kTruncateOrder[] = {"published_redblack", "published_reports", "tour_scores", "tour_raters", "tour_stops", "tours", "lead_events", "leads", "carriers", "instructions", "financing_events", "financing_disbursements", "financing_pushes", "financing_demands", "photos", "visit_findings", "visit_stops", "visits", "problem_events", "problems", "notifications", "jobs", "webhooks", "project_nodes", "node_templates", "sessions", "audit_chain", "audit_log", "users", "report_history", "monthly_reports", "plan_revisions", "annual_plans",
                                          "project_history", "projects", "regions", "settings"};

const char* kProjectTableColumns[] = {"code", "name", "level", "nature", "industry", "region_id",
                                      "total_investment_yuan", "owner", "unit", "person", "leader", "is_demo",
                                      "status", "planned_start", "planned_end", "content", "version", "deleted",
                                      "created_at", "updated_at"};

std::string Str(long long v) { return std::to_string(v); }
std::optional<std::string> OptDate(const std::optional<Date>& d) {
  return d ? std::optional<std::string>(d->ToString()) : std::nullopt;
}

// Columns of one project row, bound by reference to a statement.
struct ProjectBinder {
  long long id = 0, level = 0, region_id = 0, total = 0, is_demo = 0, version = 0;
  std::string code, name, nature, industry, owner, unit, person, leader, status, start, end, content, created, updated,
      region_name;
  soci::indicator region_ind = soci::i_ok, start_ind = soci::i_ok, end_ind = soci::i_ok, rname_ind = soci::i_ok;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(code));
    st.exchange(soci::into(name));
    st.exchange(soci::into(level));
    st.exchange(soci::into(nature));
    st.exchange(soci::into(industry));
    st.exchange(soci::into(region_id, region_ind));
    st.exchange(soci::into(total));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(person));
    st.exchange(soci::into(leader));
    st.exchange(soci::into(is_demo));
    st.exchange(soci::into(status));
    st.exchange(soci::into(start, start_ind));
    st.exchange(soci::into(end, end_ind));
    st.exchange(soci::into(content));
    st.exchange(soci::into(version));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
    st.exchange(soci::into(region_name, rname_ind));
  }

  Project Get() const {
    Project p;
    p.id = id;
    p.code = code;
    p.name = name;
    p.level = static_cast<Level>(level);
    p.nature = nature;
    p.industry = industry;
    if (region_ind == soci::i_ok) p.region_id = region_id;
    if (rname_ind == soci::i_ok) p.region_name = region_name;
    p.total_investment = Money(total);
    p.owner = owner;
    p.unit = unit;
    p.person = person;
    p.leader = leader;
    p.is_demo = is_demo != 0;
    p.status = status;
    if (start_ind == soci::i_ok) {
      if (auto d = ParseDate(start); d.ok()) p.planned_start = *d;
    }
    if (end_ind == soci::i_ok) {
      if (auto d = ParseDate(end); d.ok()) p.planned_end = *d;
    }
    p.content = content;
    p.version = static_cast<int>(version);
    p.created_at = created;
    p.updated_at = updated;
    return p;
  }
};

struct UserBinder {
  long long id = 0, region_id = 0, must = 0, disabled = 0, failed = 0, locked = 0;
  std::string login, display, role, unit, hash, created;
  soci::indicator region_ind = soci::i_ok;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(login));
    st.exchange(soci::into(display));
    st.exchange(soci::into(role));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(region_id, region_ind));
    st.exchange(soci::into(hash));
    st.exchange(soci::into(must));
    st.exchange(soci::into(disabled));
    st.exchange(soci::into(failed));
    st.exchange(soci::into(locked));
    st.exchange(soci::into(created));
  }
  User Get() const {
    User u;
    u.id = id;
    u.login = login;
    u.display_name = display;
    u.role = ParseRole(role).value_or(Role::kLeader);
    u.unit = unit;
    if (region_ind == soci::i_ok) u.region_id = region_id;
    u.password_hash = hash;
    u.must_change_password = must != 0;
    u.disabled = disabled != 0;
    u.failed_attempts = static_cast<int>(failed);
    u.locked_until = locked;
    u.created_at = created;
    return u;
  }
};

// A user for the audit log: never the password hash.
std::string UserAuditJson(const User& u) {
  boost::json::object o{{"login", u.login},
                        {"display_name", u.display_name},
                        {"role", RoleName(u.role)},
                        {"unit", u.unit},
                        {"region_id", u.region_id ? boost::json::value(*u.region_id) : boost::json::value(nullptr)},
                        {"disabled", u.disabled},
                        {"must_change_password", u.must_change_password}};
  return boost::json::serialize(o);
}

// Values of a project for INSERT/UPDATE binding.
struct ProjectValues {
  std::string code, name, nature, industry, owner, unit, person, leader, status, content, start, end;
  long long level, region_id, total, is_demo;
  soci::indicator region_ind, start_ind, end_ind;
  explicit ProjectValues(const Project& p)
      : code(p.code), name(p.name), nature(p.nature), industry(p.industry), owner(p.owner), unit(p.unit),
        person(p.person), leader(p.leader), status(p.status), content(p.content),
        start(p.planned_start ? p.planned_start->ToString() : ""), end(p.planned_end ? p.planned_end->ToString() : ""),
        level(static_cast<long long>(p.level)), region_id(p.region_id.value_or(0)),
        total(p.total_investment.yuan), is_demo(p.is_demo ? 1 : 0),
        region_ind(p.region_id ? soci::i_ok : soci::i_null), start_ind(p.planned_start ? soci::i_ok : soci::i_null),
        end_ind(p.planned_end ? soci::i_ok : soci::i_null) {}
};

// One row's values for a bulk write, in column order. Text() must stay alive until the row is
// written; OwnedText() takes a temporary. Bulk writes bind straight from the caller's data: no
// row of strings is built per record (at 100k projects that building was a fifth of an import).
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Text(std::string_view s) = 0;
  virtual void OwnedText(std::string s) = 0;
  virtual void Int(int64_t v) = 0;
  virtual void Null() = 0;
  void OptInt(const std::optional<int64_t>& v) { v ? Int(*v) : Null(); }
  void OptDate(const std::optional<Date>& d) { d ? OwnedText(d->ToString()) : Null(); }
};

// Fills one row; `i` counts rows from 0.
using RowFiller = std::function<void(size_t i, RowSink& out)>;

// Collects a row as text (for staged updates).
class RowCollector final : public RowSink {
 public:
  Row row;
  void Text(std::string_view s) override { row.emplace_back(std::string(s)); }
  void OwnedText(std::string s) override { row.emplace_back(std::move(s)); }
  void Int(int64_t v) override { row.emplace_back(std::to_string(v)); }
  void Null() override { row.emplace_back(std::nullopt); }
};

// The columns of kProjectTableColumns.
void ProjectCells(RowSink& out, const Project& p, const std::string& now) {
  out.Text(p.code);
  out.Text(p.name);
  out.Int(static_cast<int>(p.level));
  out.Text(p.nature);
  out.Text(p.industry);
  out.OptInt(p.region_id);
  out.Int(p.total_investment.yuan);
  out.Text(p.owner);
  out.Text(p.unit);
  out.Text(p.person);
  out.Text(p.leader);
  out.Int(p.is_demo ? 1 : 0);
  out.Text(p.status);
  out.OptDate(p.planned_start);
  out.OptDate(p.planned_end);
  out.Text(p.content);
  out.Int(p.version);
  out.Int(0);  // deleted
  out.Text(p.created_at.empty() ? now : p.created_at);
  out.Text(now);
}

Row ProjectRow(const Project& p, const std::string& now) {
  RowCollector c;
  ProjectCells(c, p, now);
  return std::move(c.row);
}

bool SameFields(const Project& a, const Project& b) {
  return a.name == b.name && a.level == b.level && a.nature == b.nature && a.industry == b.industry &&
         a.region_id == b.region_id && a.total_investment == b.total_investment && a.owner == b.owner &&
         a.unit == b.unit && a.person == b.person && a.leader == b.leader && a.is_demo == b.is_demo &&
         a.status == b.status && a.planned_start == b.planned_start && a.planned_end == b.planned_end &&
         a.content == b.content;
}

std::string LikePattern(const std::string& q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string SummaryJson(const ImportSummary& s) {
  return boost::json::serialize(boost::json::object{{"rows", s.rows},
                                                    {"projects_created", s.projects_created},
                                                    {"projects_updated", s.projects_updated},
                                                    {"plans_written", s.plans_written},
                                                    {"reports_created", s.reports_created},
                                                    {"reports_replaced", s.reports_replaced}});
}

// SQLite in WAL mode copies the log back into the database file at checkpoints. By default the
// committing connection does that itself, so a 100k-row import waited ~0.4 s at commit for it.
// The store's connection has auto-checkpoints off; this thread checkpoints on its own
// connection (PASSIVE: it never blocks readers or the writer) when nudged after a write and
// once a second. When the store closes, the last connection's close checkpoints what is left.
class WalCheckpointer {
 public:
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path) {
    using namespace sqlite_api;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string why = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      return Status(ErrorCode::kUnavailable, "无法打开数据库 (cannot open database for checkpoints): " + why);
    }
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(db));
  }
  ~WalCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    sqlite_api::sqlite3_close(db_);
  }
  void Nudge() {
    {
      std::lock_guard lock(mu_);
      nudged_ = true;
    }
    wake_.notify_all();
  }

 private:
  explicit WalCheckpointer(sqlite_api::sqlite3* db) : db_(db), thread_([this] { Loop(); }) {}
  void Loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || nudged_; });
      if (stop_) break;
      nudged_ = false;
      lock.unlock();
      // A connection finds the WAL when it first reads; before that a checkpoint does nothing.
      sqlite_api::sqlite3_exec(db_, "SELECT 1 FROM sqlite_master LIMIT 1", nullptr, nullptr, nullptr);
      sqlite_api::sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  sqlite_api::sqlite3* db_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false, nudged_ = false;
  std::thread thread_;  // last: starts after the fields above exist
};

class SociStore final : public Store, public Db {
 public:
  SociStore(DbUrl url) : url_(std::move(url)) {}

  Status Connect() {
    try {
      if (url_.postgres) {
        sql_.open(soci::postgresql, url_.connect);
      } else {
        std::filesystem::path p(url_.path);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
        sql_.open(soci::sqlite3, url_.connect);
        std::string mode;
        sql_ << "PRAGMA journal_mode=WAL", soci::into(mode);
        // FULL: a commit is on disk before it is acknowledged (NORMAL may lose the last commits
        // on power loss in WAL mode). Measured cost in bench/README.md.
        sql_ << "PRAGMA synchronous=FULL";
        sql_ << "PRAGMA foreign_keys=ON";
        sql_ << "PRAGMA busy_timeout=10000";
        if (mode == "wal") {
          // Checkpoints run on a second connection, off the write path (see WalCheckpointer).
          auto ck = WalCheckpointer::Start(url_.path);
          if (!ck.ok()) return ck.status();
          checkpointer_ = std::move(*ck);
          sql_ << "PRAGMA wal_autocheckpoint=0";
          sql_ << "PRAGMA journal_size_limit=67108864";
        }
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return {ErrorCode::kUnavailable, std::string("无法打开数据库 (cannot open database): ") + e.what()};
    }
  }

  bool IsPostgres() const override { return url_.postgres; }

  Db& db() override { return *this; }
  bool postgres() const override { return url_.postgres; }
  Status Read(const std::function<Status(soci::session&)>& fn) override {
    return Run([&]() -> Status { return fn(sql_); });
  }
  Status Write(const std::function<Status(soci::session&, WriteScope&)>& fn) override;

  Status Migrate() override {
    return Run([&]() -> Status {
      sql_ << kCreateMigrationsTable;
      // Every migration not recorded yet, in order (not only those above the highest recorded).
      std::set<int> applied;
      {
        int v = 0;
        soci::statement st = (sql_.prepare << kSelectAppliedMigrations, soci::into(v));
        st.execute(false);
        while (st.fetch()) applied.insert(v);
      }
      for (const Migration& m : Migrations()) {
        if (applied.count(m.version)) continue;
        soci::transaction tr(sql_);
        std::string text = m.sql;
        const std::string id = url_.postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        for (size_t pos; (pos = text.find("@ID@")) != std::string::npos;) text.replace(pos, 4, id);
        for (const std::string& stmt : SplitStatements(text)) sql_ << stmt;
        if (m.version == kAuditChainMigration) HashExistingAudit();
        std::string name = m.name, now = NowIso();
        sql_ << kInsertMigration, soci::use(m.version), soci::use(name), soci::use(now);
        tr.commit();
      }
      return Status::Ok();
    });
  }

  Result<int> SchemaVersion() override {
    int v = 0;
    Status s = Run([&]() -> Status {
      sql_ << kCreateMigrationsTable;
      sql_ << kSelectSchemaVersion, soci::into(v);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return v;
  }

  Result<std::optional<std::string>> GetSetting(const std::string& key) override {
    std::optional<std::string> out;
    Status s = Run([&]() -> Status {
      std::string v;
      soci::indicator ind = soci::i_null;
      sql_ << kSelectSetting, soci::use(key), soci::into(v, ind);
      if (sql_.got_data() && ind == soci::i_ok) out = v;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status SetSettings(const std::vector<std::pair<std::string, std::string>>& values,
                     const std::optional<AuditEntry>& audit) override {
    return SetSettingsIf(values, {}, audit);  // nothing to compare
  }

  Status SetSettingsIf(const std::vector<std::pair<std::string, std::string>>& values,
                       const std::map<std::string, std::optional<std::string>>& expected,
                       const std::optional<AuditEntry>& audit) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);  // holds the write lock: nothing changes the keys between the reads and the writes
      for (const auto& [key, want] : expected) {
        std::string v;
        soci::indicator ind = soci::i_null;
        sql_ << kSelectSetting, soci::use(key), soci::into(v, ind);
        std::optional<std::string> stored;
        if (sql_.got_data() && ind == soci::i_ok) stored = v;
        if (stored != want) {
          return Status{ErrorCode::kConflict, "设置已被他人修改，请刷新后重试 (the setting was changed meanwhile)"};
        }
      }
      for (const auto& [key, value] : values) sql_ << kUpsertSetting, soci::use(key), soci::use(value);
      tr.ChangedAll();
      if (audit) {
        Audit(Actor(audit->actor, audit->ip), audit->action, audit->entity, audit->entity_id, audit->before_json,
              audit->after_json);
      }
      tr.commit();
      return Status::Ok();
    });
  }

  Result<std::vector<Region>> ListRegions() override {
    std::vector<Region> out;
    Status s = Run([&]() { return LoadRegions(out); });
    if (!s.ok()) return s;
    return out;
  }

  Result<Region> CreateRegion(std::optional<int64_t> parent_id, const std::string& name,
                              const std::string& code) override {
    Region r;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      r = InsertRegion(parent_id, name, code);
      tr.ChangedRegions();
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return r;
  }

  Result<Region> RenameRegion(int64_t id, const std::string& name, const std::string& code,
                              const Actor& by) override {
    Region out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<Region> before = SelectRegion(id);
      if (!before) return NotFound("地区不存在 (no region with id " + std::to_string(id) + ")");
      long long rid = id;
      soci::statement st = (sql_.prepare << kRenameRegion, soci::use(name), soci::use(code), soci::use(rid));
      st.execute(true);
      if (st.get_affected_rows() != 1) return Conflict("地区已停用 (the region was retired)");
      out = *before;
      out.name = name;
      out.code = code;
      Audit(by, "update", "region", Str(id), RegionJson(*before), RegionJson(out));
      tr.ChangedRegions();
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<RegionMerge> MergeRegion(int64_t from, int64_t into, const Actor& by) override {
    RegionMerge out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<Region> before = SelectRegion(from);
      if (!before) return NotFound("地区不存在 (no region with id " + std::to_string(from) + ")");
      long long from_id = from, into_id = into, live = 0;
      sql_ << kSelectLiveRegion, soci::use(into_id), soci::into(live);
      if (live != 1) return Conflict("合并目标地区已停用 (the region to merge into was retired)");
      const std::string now = NowIso();
      soci::statement retire = (sql_.prepare << kMergeRetireRegion, soci::use(now), soci::use(into_id),
                                soci::use(from_id));
      retire.execute(true);
      if (retire.get_affected_rows() != 1) return Conflict("地区已停用 (the region was retired)");
      // Live projects: each gets a new version (an edit opened before the merge cannot move it back)
      // and a history entry saying where it went.
      std::vector<int64_t> moved;
      {
        long long pid = 0;
        soci::statement sel = (sql_.prepare << kSelectRegionProjectIds, soci::use(from_id), soci::into(pid));
        sel.execute(false);
        while (sel.fetch()) moved.push_back(pid);
      }
      for (int64_t pid : moved) {
        std::optional<Project> p = SelectProject(pid);
        if (!p) continue;
        Project after = *p;
        after.region_id = into;
        long long id = pid;
        sql_ << kMoveProjectRegion, soci::use(into_id), soci::use(now), soci::use(id);
        std::string changes = ProjectChangesJson(&*p, &after), action = "update";
        sql_ << kInsertHistory, soci::use(id), soci::use(now), soci::use(by.login), soci::use(action), soci::use(changes);
        tr.Changed(pid);
      }
      out.projects = static_cast<int64_t>(moved.size());
      sql_ << kMoveDeletedProjects, soci::use(into_id), soci::use(from_id);
      soci::statement children = (sql_.prepare << kMoveChildRegions, soci::use(into_id), soci::use(from_id));
      children.execute(true);
      out.regions = children.get_affected_rows();
      soci::statement users = (sql_.prepare << kMoveRegionUsers, soci::use(into_id), soci::use(from_id));
      users.execute(true);
      out.users = users.get_affected_rows();
      Region after = *before;
      after.retired_at = now;
      after.merged_into = into;
      boost::json::object moved_json{{"merged_into", into},
                                     {"projects", out.projects},
                                     {"regions", out.regions},
                                     {"users", out.users}};
      Audit(by, "merge", "region", Str(from), RegionJson(*before), boost::json::serialize(moved_json));
      // The tree and the projects' regions changed: every server reloads (a merge is rare).
      tr.ChangedAll();
      if (out.users > 0) tr.ChangedSessions();
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status RetireRegion(int64_t id, const Actor& by) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<Region> before = SelectRegion(id);
      if (!before) return NotFound("地区不存在 (no region with id " + std::to_string(id) + ")");
      const std::string now = NowIso();
      long long rid = id, pid = id, cid = id;
      soci::statement st = (sql_.prepare << kRetireEmptyRegion, soci::use(now), soci::use(rid), soci::use(pid),
                            soci::use(cid));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return Conflict("地区已停用，或其下已有项目或下级地区 (the region is retired, or holds projects or regions)");
      }
      Region after = *before;
      after.retired_at = now;
      Audit(by, "retire", "region", Str(id), RegionJson(*before), RegionJson(after));
      tr.ChangedRegions();
      tr.commit();
      return Status::Ok();
    });
  }

  Result<Project> GetProject(int64_t id) override {
    std::optional<Project> p;
    Status s = Run([&]() -> Status {
      p = SelectProject(id);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!p) return NotFound("项目不存在 (no project with id " + std::to_string(id) + ")");
    return *p;
  }

  Result<ProjectPage> ListProjects(const ProjectQuery& q) override {
    ProjectPage page;
    Status s = Run([&]() -> Status {
      std::vector<std::string> params;
      std::string where = ProjectWhere(q, params);
      {
        soci::statement st(sql_);
        st.alloc();
        st.prepare(std::string("SELECT COUNT(*)") + kProjectFrom + where);
        long long total = 0;
        st.exchange(soci::into(total));
        for (auto& p : params) st.exchange(soci::use(p));
        st.define_and_bind();
        st.execute(true);
        page.total = total;
      }
      SelectProjects(q, where, params, [&](const Project& p) { page.items.push_back(p); });
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return page;
  }

  Status StreamProjects(const ProjectQuery& q, const std::function<void(const Project&)>& fn) override {
    return Run([&]() -> Status {
      std::vector<std::string> params;
      std::string where = ProjectWhere(q, params);
      SelectProjects(q, where, params, fn);
      return Status::Ok();
    });
  }

  Status StreamReports(int year, std::optional<int> month,
                       const std::function<void(const std::string&, const std::string&, const MonthlyReport&)>& fn)
      override {
    return Run([&]() -> Status {
      std::string q =
          "SELECT p.code, p.name, m.project_id, m.year, m.month, m.completed_yuan, m.progress, m.problems, "
          "m.submitted_at, m.submitted_by FROM monthly_reports m JOIN projects p ON p.id = m.project_id "
          "WHERE p.deleted = 0 AND m.year = " + Str(year) + (month ? " AND m.month = " + Str(*month) : "") +
          " ORDER BY p.code, m.month";
      std::string code, name;
      long long pid = 0, amount = 0;
      int y = 0, mo = 0;
      MonthlyReport r;
      soci::statement st = (sql_.prepare << q, soci::into(code), soci::into(name), soci::into(pid), soci::into(y),
                            soci::into(mo), soci::into(amount), soci::into(r.progress), soci::into(r.problems),
                            soci::into(r.submitted_at), soci::into(r.submitted_by));
      st.execute(false);
      while (st.fetch()) {
        r.project_id = pid;
        r.month = YearMonth{y, mo};
        r.completed = Money(amount);
        fn(code, name, r);
      }
      return Status::Ok();
    });
  }

  Result<Project> CreateProject(const Project& p, const Actor& by, std::optional<FirstPlan> plan,
                                const ProjectHook& also) override {
    std::optional<Project> out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      long long taken = 0, none = -1;
      sql_ << kSelectCodeTaken, soci::use(p.code), soci::use(none), soci::into(taken);
      if (taken > 0) return Status(ErrorCode::kAlreadyExists, "项目编码已存在 (project code already exists): " + p.code, "code");
      std::string now = NowIso();
      ProjectValues v(p);
      long long id = 0;
      sql_ << kInsertProject, soci::use(v.code), soci::use(v.name), soci::use(v.level), soci::use(v.nature),
          soci::use(v.industry), soci::use(v.region_id, v.region_ind), soci::use(v.total), soci::use(v.owner),
          soci::use(v.unit), soci::use(v.person), soci::use(v.leader), soci::use(v.is_demo), soci::use(v.status),
          soci::use(v.start, v.start_ind), soci::use(v.end, v.end_ind), soci::use(v.content), soci::use(now),
          soci::use(now), soci::into(id);
      std::string changes = ProjectChangesJson(nullptr, &p);
      std::string action = "create";
      sql_ << kInsertHistory, soci::use(id), soci::use(now), soci::use(by.login), soci::use(action), soci::use(changes);
      out = SelectProject(id);
      Audit(by, "create", "project", Str(id), std::nullopt, ProjectSnapshotJson(*out));
      if (plan) WritePlan(id, plan->year, plan->plan, by, now);
      if (also) {
        if (Status st = also(sql_, id); !st.ok()) return st;  // ~WriteTx rolls the project back
      }
      tr.Changed(id);
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return *out;
  }

  Result<Project> UpdateProject(const Project& p, const Actor& by) override {
    std::optional<Project> out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<Project> before = SelectProject(p.id);
      if (!before) return NotFound("项目不存在 (no project with id " + std::to_string(p.id) + ")");
      if (before->version != p.version) {
        return Conflict("项目已被他人修改（当前版本 " + std::to_string(before->version) + "，您提交的版本 " +
                        std::to_string(p.version) + "），请刷新后重试 (the project was changed by someone else)");
      }
      long long taken = 0, id = p.id;
      sql_ << kSelectCodeTaken, soci::use(p.code), soci::use(id), soci::into(taken);
      if (taken > 0) return Status(ErrorCode::kAlreadyExists, "项目编码已存在 (project code already exists): " + p.code, "code");
      std::string changes = ProjectChangesJson(&*before, &p);
      if (changes.empty()) {
        out = before;
        return Status::Ok();
      }
      std::string now = NowIso();
      ProjectValues v(p);
      long long ver = p.version;
      soci::statement st = (sql_.prepare << kUpdateProject, soci::use(v.code), soci::use(v.name), soci::use(v.level),
                            soci::use(v.nature), soci::use(v.industry), soci::use(v.region_id, v.region_ind),
                            soci::use(v.total), soci::use(v.owner), soci::use(v.unit), soci::use(v.person),
                            soci::use(v.leader), soci::use(v.is_demo), soci::use(v.status),
                            soci::use(v.start, v.start_ind), soci::use(v.end, v.end_ind), soci::use(v.content),
                            soci::use(now), soci::use(id), soci::use(ver));
      st.execute(true);
      if (st.get_affected_rows() != 1) return Conflict("项目已被他人修改，请刷新后重试 (the project was changed by someone else)");
      std::string action = "update";
      sql_ << kInsertHistory, soci::use(id), soci::use(now), soci::use(by.login), soci::use(action), soci::use(changes);
      out = SelectProject(p.id);
      Audit(by, "update", "project", Str(id), ProjectSnapshotJson(*before), ProjectSnapshotJson(*out));
      tr.Changed(id);
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return *out;
  }

  Status DeleteProject(int64_t pid, int expected_version, const Actor& by) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<Project> before = SelectProject(pid);
      if (!before) return NotFound("项目不存在 (no project with id " + std::to_string(pid) + ")");
      if (before->version != expected_version) {
        return Conflict("项目已被他人修改，请刷新后重试 (the project was changed by someone else)");
      }
      std::string now = NowIso();
      long long id = pid, ver = expected_version;
      soci::statement st = (sql_.prepare << kDeleteProject, soci::use(now), soci::use(id), soci::use(ver));
      st.execute(true);
      if (st.get_affected_rows() != 1) return Conflict("项目已被他人修改，请刷新后重试 (the project was changed by someone else)");
      std::string changes = ProjectChangesJson(&*before, nullptr), action = "delete";
      sql_ << kInsertHistory, soci::use(id), soci::use(now), soci::use(by.login), soci::use(action), soci::use(changes);
      Audit(by, "delete", "project", Str(id), ProjectSnapshotJson(*before), std::nullopt);
      tr.Changed(id);
      tr.commit();
      return Status::Ok();
    });
  }

  Result<std::vector<HistoryEntry>> ProjectHistory(int64_t pid) override {
    std::vector<HistoryEntry> out;
    Status s = Run([&]() -> Status {
      long long id = pid, project_id = 0;
      HistoryEntry h;
      soci::statement st = (sql_.prepare << kSelectHistory, soci::use(id), soci::into(project_id),
                            soci::into(h.changed_at), soci::into(h.changed_by), soci::into(h.action),
                            soci::into(h.changes));
      st.execute(false);
      while (st.fetch()) {
        h.project_id = project_id;
        out.push_back(h);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<AnnualPlan>> ListPlans(int64_t pid) override {
    std::vector<AnnualPlan> out;
    Status s = Run([&]() -> Status {
      long long id = pid, project_id = 0, plan = 0;
      int year = 0;
      AnnualPlan a;
      soci::statement st = (sql_.prepare << kSelectPlans, soci::use(id), soci::into(project_id), soci::into(year),
                            soci::into(plan), soci::into(a.updated_at), soci::into(a.updated_by));
      st.execute(false);
      while (st.fetch()) {
        a.project_id = project_id;
        a.year = year;
        a.plan = Money(plan);
        out.push_back(a);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<PlanRevision>> ListPlanRevisions(int64_t pid) override {
    std::vector<PlanRevision> out;
    Status s = Run([&]() -> Status {
      long long id = pid, project_id = 0, old_plan = 0, new_plan = 0;
      int year = 0;
      soci::indicator old_ind = soci::i_ok;
      PlanRevision r;
      soci::statement st = (sql_.prepare << kSelectPlanRevisions, soci::use(id), soci::into(project_id),
                            soci::into(year), soci::into(old_plan, old_ind), soci::into(new_plan),
                            soci::into(r.changed_at), soci::into(r.changed_by));
      st.execute(false);
      while (st.fetch()) {
        r.project_id = project_id;
        r.year = year;
        r.old_plan = old_ind == soci::i_ok ? std::optional<Money>(Money(old_plan)) : std::nullopt;
        r.new_plan = Money(new_plan);
        out.push_back(r);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<AnnualPlan> UpsertPlan(int64_t pid, int year, Money plan, const Actor& by) override {
    AnnualPlan out{pid, year, plan, NowIso(), by.login};
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      if (!SelectProject(pid)) return NotFound("项目不存在 (no project with id " + std::to_string(pid) + ")");
      WritePlan(pid, year, plan, by, out.updated_at);
      tr.Changed(pid);
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<MonthlyReport>> ListReports(int64_t pid) override {
    return SelectReports(std::string(kReportColumns) + "WHERE project_id = " + Str(pid) + " ORDER BY year, month");
  }

  Result<std::vector<MonthlyReport>> ListReportsForMonth(YearMonth m) override {
    return SelectReports(std::string(kReportColumns) + "WHERE year = " + Str(m.year) + " AND month = " + Str(m.month) +
                         " ORDER BY project_id");
  }

  Result<std::vector<ReportRevision>> ListReportRevisions(int64_t pid) override {
    std::vector<ReportRevision> out;
    Status s = Run([&]() -> Status {
      long long id = pid, project_id = 0, amount = 0;
      int year = 0, month = 0;
      ReportRevision r;
      soci::statement st =
          (sql_.prepare << kSelectReportRevisions, soci::use(id), soci::into(project_id), soci::into(year),
           soci::into(month), soci::into(amount), soci::into(r.old_progress), soci::into(r.old_problems),
           soci::into(r.old_submitted_at), soci::into(r.old_submitted_by), soci::into(r.replaced_at),
           soci::into(r.replaced_by));
      st.execute(false);
      while (st.fetch()) {
        r.project_id = project_id;
        r.month = YearMonth{year, month};
        r.old_completed = Money(amount);
        out.push_back(r);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<MonthlyReport> UpsertReport(const MonthlyReport& r, const Actor& by) override {
    MonthlyReport out = r;
    out.submitted_at = NowIso();
    out.submitted_by = by.login;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      if (!SelectProject(r.project_id)) {
        return NotFound("项目不存在 (no project with id " + std::to_string(r.project_id) + ")");
      }
      long long id = r.project_id, amount = r.completed.yuan, old_amount = 0;
      int year = r.month.year, month = r.month.month;
      std::string old_progress, old_problems, old_at, old_by;
      sql_ << kSelectReport, soci::use(id), soci::use(year), soci::use(month), soci::into(old_amount),
          soci::into(old_progress), soci::into(old_problems), soci::into(old_at), soci::into(old_by);
      bool exists = sql_.got_data();
      if (exists) {
        sql_ << kInsertReportRevision, soci::use(id), soci::use(year), soci::use(month), soci::use(old_amount),
            soci::use(old_progress), soci::use(old_problems), soci::use(old_at), soci::use(old_by),
            soci::use(out.submitted_at), soci::use(by.login);
        sql_ << kUpdateReport, soci::use(amount), soci::use(r.progress), soci::use(r.problems),
            soci::use(out.submitted_at), soci::use(by.login), soci::use(id), soci::use(year), soci::use(month);
      } else {
        sql_ << kInsertReport, soci::use(id), soci::use(year), soci::use(month), soci::use(amount),
            soci::use(r.progress), soci::use(r.problems), soci::use(out.submitted_at), soci::use(by.login);
      }
      auto report_json = [&](long long v, const std::string& progress, const std::string& problems) {
        return boost::json::serialize(boost::json::object{{"project_id", id},
                                                           {"month", r.month.ToString()},
                                                           {"completed_wan", FormatWan(Money(v))},
                                                           {"progress", progress},
                                                           {"problems", problems}});
      };
      Audit(by, exists ? "update" : "create", "report", Str(id) + "/" + r.month.ToString(),
            exists ? std::optional<std::string>(report_json(old_amount, old_progress, old_problems)) : std::nullopt,
            report_json(amount, r.progress, r.problems));
      tr.Changed(id);
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<std::string>> ProjectCodes() override {
    std::vector<std::string> out;
    Status s = Run([&]() -> Status {
      std::string code;
      soci::statement st = (sql_.prepare << kSelectProjectCodes, soci::into(code));
      st.execute(false);
      while (st.fetch()) out.push_back(code);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<ImportSummary> ImportProjects(const std::vector<ProjectImportRow>& rows, const Actor& by,
                                       ImportApplied* applied) override {
    ImportApplied local;
    ImportApplied& out = applied ? *applied : local;
    out = ImportApplied{};
    ImportSummary sum;
    sum.rows = static_cast<int>(rows.size());
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      const std::string now = NowIso();
      // 1. Regions: the domain resolved known ones into region_id; create the rest under their
      // named parent or the home region (once per parent and name).
      std::vector<Region> regions;
      if (Status st = LoadRegions(regions); !st.ok()) return st;
      std::optional<int64_t> home = HomeRegion(regions);
      std::map<std::pair<int64_t, std::string>, int64_t> created;
      std::vector<std::optional<int64_t>> row_region(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].project.region_id) {
          row_region[i] = rows[i].project.region_id;
          continue;
        }
        const std::string& leaf = rows[i].region_text;
        if (leaf.empty()) continue;
        std::optional<int64_t> parent = rows[i].region_parent;
        if (!parent) {
          if (!home) {
            Region root = InsertRegion(std::nullopt, "本地区", "");
            home = root.id;
          }
          parent = home;
        }
        auto key = std::make_pair(*parent, leaf);
        auto it = created.find(key);
        if (it == created.end()) {
          Region r = InsertRegion(parent, leaf, "");
          it = created.emplace(key, r.id).first;
          sum.regions_created.push_back(leaf);
          out.regions_created = true;
        }
        row_region[i] = it->second;
      }
      // 2. Projects: diff against what is stored (deleted ones are revived).
      std::unordered_map<std::string, Project> existing;
      {
        ProjectBinder b;
        soci::statement st(sql_);
        st.alloc();
        st.prepare(std::string("SELECT ") + kProjectColumns + kProjectFrom);
        b.Bind(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) existing.emplace(b.code, b.Get());
      }
      std::unordered_set<int64_t> deleted_ids;
      {
        long long id = 0;
        soci::statement st = (sql_.prepare << kSelectDeletedProjectIds, soci::into(id));
        st.execute(false);
        while (st.fetch()) deleted_ids.insert(id);
      }
      std::vector<Row> updates, history;
      std::vector<size_t> created_rows;       // index into out.projects
      std::vector<size_t> created_from;       // the row each creation comes from
      std::vector<int64_t> row_pid(rows.size(), 0);
      for (size_t i = 0; i < rows.size(); ++i) {
        Project p = rows[i].project;
        p.region_id = row_region[i];
        auto it = existing.find(p.code);
        if (it == existing.end()) {
          p.version = 1;
          p.created_at = p.updated_at = now;
          ++sum.projects_created;
          created_rows.push_back(out.projects.size());
          created_from.push_back(i);
          out.projects.push_back(std::move(p));
          continue;
        }
        const Project& old = it->second;
        row_pid[i] = old.id;
        const bool revived = deleted_ids.count(old.id) > 0;  // a deleted project named again comes back
        if (SameFields(old, p) && !revived) {
          ++sum.projects_unchanged;
          continue;
        }
        if (revived) out.revived.push_back(old.id);
        p.id = old.id;
        p.version = old.version + 1;
        p.created_at = old.created_at;
        Row row = ProjectRow(p, now);
        row.insert(row.begin(), Str(p.id));
        updates.push_back(std::move(row));
        std::string changes = ProjectChangesJson(&old, &p);
        history.push_back(Row{Str(p.id), now, by.login, revived ? "restore" : "update",
                              changes.empty() ? std::string("{}") : std::move(changes)});
        ++sum.projects_updated;
        out.projects.push_back(std::move(p));
      }
      // The creations' history text is made on a second thread while the rows are inserted.
      std::vector<std::string> created_json(created_rows.size());
      std::thread json_maker([&] {
        for (size_t k = 0; k < created_rows.size(); ++k) {
          created_json[k] = ProjectChangesJson(nullptr, &out.projects[created_rows[k]]);
        }
      });
      struct Join {
        std::thread& t;
        ~Join() {
          if (t.joinable()) t.join();
        }
      } join{json_maker};
      std::vector<std::string> cols(std::begin(kProjectTableColumns), std::end(kProjectTableColumns));
      std::vector<int64_t> new_ids;
      if (Status st = BulkWrite(
              "projects", cols, created_rows.size(),
              [&](size_t k, RowSink& row) { ProjectCells(row, out.projects[created_rows[k]], now); }, &new_ids);
          !st.ok()) {
        return st;
      }
      if (!updates.empty()) {
        std::vector<std::string> stage_cols = cols;
        stage_cols.insert(stage_cols.begin(), "id");
        if (Status st = StageAndUpdate("projects", "id", stage_cols, updates); !st.ok()) return st;
      }
      // 3. History: the creations (their new ids), then the changes.
      json_maker.join();
      for (size_t k = 0; k < created_rows.size(); ++k) {
        out.projects[created_rows[k]].id = new_ids[k];
        row_pid[created_from[k]] = new_ids[k];
      }
      const std::vector<std::string> history_cols = {"project_id", "changed_at", "changed_by", "action", "changes"};
      if (Status st = BulkWrite("project_history", history_cols, created_rows.size(),
                                [&](size_t k, RowSink& row) {
                                  row.Int(new_ids[k]);
                                  row.Text(now);
                                  row.Text(by.login);
                                  row.Text("create");
                                  row.Text(created_json[k]);
                                });
          !st.ok()) {
        return st;
      }
      if (Status st = BulkInsert("project_history", history_cols, history); !st.ok()) return st;
      // 4. Annual plans with their revision trail.
      std::set<int> years;
      for (const ProjectImportRow& r : rows) {
        if (r.plan_year) years.insert(*r.plan_year);
      }
      std::map<std::pair<int64_t, int>, int64_t> plans = PlansOfYears(years);
      std::vector<Row> plan_updates;
      std::vector<size_t> plan_inserts;          // into out.plans
      std::vector<std::optional<int64_t>> olds;  // per out.plans: the plan it replaces
      for (size_t i = 0; i < rows.size(); ++i) {
        const ProjectImportRow& r = rows[i];
        if (!r.plan_year || !r.plan) continue;
        const int64_t pid = row_pid[i];
        auto key = std::make_pair(pid, *r.plan_year);
        auto it = plans.find(key);
        if (it != plans.end() && it->second == r.plan->yuan) continue;
        if (it == plans.end()) {
          plan_inserts.push_back(out.plans.size());
          olds.push_back(std::nullopt);
        } else {
          plan_updates.push_back(Row{Str(pid), Str(*r.plan_year), Str(r.plan->yuan), now, by.login});
          olds.push_back(it->second);
        }
        plans[key] = r.plan->yuan;
        out.plans.push_back(PlanAmount{pid, *r.plan_year, *r.plan});
        ++sum.plans_written;
      }
      std::vector<std::string> plan_cols = {"project_id", "year", "plan_yuan", "updated_at", "updated_by"};
      if (Status st = BulkWrite("annual_plans", plan_cols, plan_inserts.size(),
                                [&](size_t k, RowSink& row) {
                                  const PlanAmount& a = out.plans[plan_inserts[k]];
                                  row.Int(a.project_id);
                                  row.Int(a.year);
                                  row.Int(a.plan.yuan);
                                  row.Text(now);
                                  row.Text(by.login);
                                });
          !st.ok()) {
        return st;
      }
      if (Status st = StageAndUpdate("annual_plans", "project_id,year", plan_cols, plan_updates); !st.ok()) return st;
      if (Status st = BulkWrite("plan_revisions",
                                {"project_id", "year", "old_plan_yuan", "new_plan_yuan", "changed_at", "changed_by"},
                                out.plans.size(),
                                [&](size_t k, RowSink& row) {
                                  const PlanAmount& a = out.plans[k];
                                  row.Int(a.project_id);
                                  row.Int(a.year);
                                  row.OptInt(olds[k]);
                                  row.Int(a.plan.yuan);
                                  row.Text(now);
                                  row.Text(by.login);
                                });
          !st.ok()) {
        return st;
      }
      Audit(by, "import", "projects", "", std::nullopt, SummaryJson(sum));
      if (out.regions_created) tr.ChangedAll();
      for (const Project& p : out.projects) tr.Changed(p.id);
      for (const PlanAmount& a : out.plans) tr.Changed(a.project_id);
      tr.commit();
      return Status::Ok();
    });
    if (checkpointer_) checkpointer_->Nudge();
    if (!s.ok()) return s;
    return sum;
  }

  Result<ImportSummary> ImportReports(const std::vector<ReportImportRow>& rows, const Actor& by,
                                      ImportApplied* applied) override {
    ImportApplied local;
    ImportApplied& out = applied ? *applied : local;
    out = ImportApplied{};
    ImportSummary sum;
    sum.rows = static_cast<int>(rows.size());
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      const std::string now = NowIso();
      std::unordered_map<std::string, int64_t> ids = CodeIds(/*live_only=*/true);
      struct Old {
        int64_t amount;
        std::string progress, problems, at, by;
      };
      std::map<std::tuple<int64_t, int, int>, Old> existing;
      std::set<std::pair<int, int>> months;
      for (const ReportImportRow& r : rows) months.insert({r.report.month.year, r.report.month.month});
      std::string where;
      for (auto [y, m] : months) {
        where += (where.empty() ? "WHERE " : " OR ") + std::string("(year = ") + Str(y) + " AND month = " + Str(m) + ")";
      }
      if (!months.empty()) {
        long long pid = 0, amount = 0;
        int year = 0, month = 0;
        Old o;
        soci::statement st = (sql_.prepare << std::string(kReportColumns) + where, soci::into(pid), soci::into(year), soci::into(month),
                              soci::into(amount), soci::into(o.progress), soci::into(o.problems), soci::into(o.at),
                              soci::into(o.by));
        st.execute(false);
        while (st.fetch()) {
          o.amount = amount;
          existing[{pid, year, month}] = o;
        }
      }
      std::vector<Row> updates, revisions;
      std::vector<std::pair<const ReportImportRow*, int64_t>> inserts;  // row, project id
      for (const ReportImportRow& r : rows) {
        auto idit = ids.find(r.project_code);
        if (idit == ids.end()) return InvalidArgument("未知的项目编码 (unknown project code): " + r.project_code);
        int64_t pid = idit->second;
        const MonthlyReport& m = r.report;
        auto it = existing.find({pid, m.month.year, m.month.month});
        const ReportAmount amount{pid, static_cast<int16_t>(m.month.year), static_cast<int8_t>(m.month.month),
                                  m.completed};
        if (it == existing.end()) {
          out.reports.push_back(amount);
          inserts.emplace_back(&r, pid);
          ++sum.reports_created;
          continue;
        }
        const Old& o = it->second;
        if (o.amount == m.completed.yuan && o.progress == m.progress && o.problems == m.problems) {
          ++sum.reports_unchanged;
          continue;
        }
        revisions.push_back(Row{Str(pid), Str(m.month.year), Str(m.month.month), Str(o.amount), o.progress, o.problems,
                                o.at, o.by, now, by.login});
        out.reports.push_back(amount);
        updates.push_back(Row{Str(pid), Str(m.month.year), Str(m.month.month), Str(m.completed.yuan), m.progress,
                              m.problems, m.submitted_at.empty() ? now : m.submitted_at, by.login});
        ++sum.reports_replaced;
      }
      std::vector<std::string> cols = {"project_id", "year",     "month",        "completed_yuan",
                                       "progress",   "problems", "submitted_at", "submitted_by"};
      if (Status st = BulkWrite("monthly_reports", cols, inserts.size(),
                                [&](size_t k, RowSink& row) {
                                  const MonthlyReport& m = inserts[k].first->report;
                                  row.Int(inserts[k].second);
                                  row.Int(m.month.year);
                                  row.Int(m.month.month);
                                  row.Int(m.completed.yuan);
                                  row.Text(m.progress);
                                  row.Text(m.problems);
                                  row.Text(m.submitted_at.empty() ? now : m.submitted_at);
                                  row.Text(by.login);
                                });
          !st.ok()) {
        return st;
      }
      if (Status st = StageAndUpdate("monthly_reports", "project_id,year,month", cols, updates); !st.ok()) return st;
      if (Status st = BulkInsert("report_history",
                                 {"project_id", "year", "month", "old_completed_yuan", "old_progress", "old_problems",
                                  "old_submitted_at", "old_submitted_by", "replaced_at", "replaced_by"},
                                 revisions);
          !st.ok()) {
        return st;
      }
      Audit(by, "import", "reports", "", std::nullopt, SummaryJson(sum));
      for (const ReportAmount& a : out.reports) tr.Changed(a.project_id);
      tr.commit();
      return Status::Ok();
    });
    if (checkpointer_) checkpointer_->Nudge();
    if (!s.ok()) return s;
    return sum;
  }

  Result<StatsSource> LoadStatsSource() override {
    StatsSource src;
    Status s = Run([&]() -> Status {
      if (Status st = LoadRegions(src.regions); !st.ok()) return st;
      {
        ProjectBinder b;
        soci::statement st(sql_);
        st.alloc();
        st.prepare(std::string("SELECT ") + kProjectColumns + kProjectFrom + " WHERE p.deleted = 0 ORDER BY p.id");
        b.Bind(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) src.projects.push_back(b.Get());
      }
      {
        std::vector<long long> pid(kFetchBatch), plan(kFetchBatch);
        std::vector<int> year(kFetchBatch);
        soci::statement st = (sql_.prepare << kSelectAllPlanAmounts, soci::into(pid), soci::into(year), soci::into(plan));
        st.execute(false);
        while (st.fetch()) {
          for (size_t i = 0; i < pid.size(); ++i) src.plans.push_back(PlanAmount{pid[i], year[i], Money(plan[i])});
          pid.resize(kFetchBatch);
          year.resize(kFetchBatch);
          plan.resize(kFetchBatch);
        }
      }
      {
        std::vector<long long> pid(kFetchBatch), amount(kFetchBatch);
        std::vector<int> year(kFetchBatch), month(kFetchBatch);
        soci::statement st = (sql_.prepare << kSelectAllReportAmounts, soci::into(pid), soci::into(year),
                              soci::into(month), soci::into(amount));
        st.execute(false);
        while (st.fetch()) {
          for (size_t i = 0; i < pid.size(); ++i) {
            src.reports.push_back(ReportAmount{pid[i], static_cast<int16_t>(year[i]), static_cast<int8_t>(month[i]),
                                               Money(amount[i])});
          }
          pid.resize(kFetchBatch);
          year.resize(kFetchBatch);
          month.resize(kFetchBatch);
          amount.resize(kFetchBatch);
        }
      }
      LoadNodeDates(sql_, "", src.nodes);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return src;
  }

  Result<std::vector<User>> ListUsers() override {
    std::vector<User> out;
    Status s = Run([&]() -> Status {
      UserBinder b;
      soci::statement st(sql_);
      st.alloc();
      st.prepare(std::string(kUserColumns) + "ORDER BY id");
      b.Bind(st);
      st.define_and_bind();
      st.execute(false);
      while (st.fetch()) out.push_back(b.Get());
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::optional<User>> FindUser(const std::string& login) override {
    std::optional<User> out;
    Status s = Run([&]() -> Status {
      out = SelectUser("login = :l", login);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<User> GetUser(int64_t id) override {
    std::optional<User> out;
    Status s = Run([&]() -> Status {
      out = SelectUser("id = :id", std::to_string(id));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!out) return NotFound("用户不存在 (no user with id " + std::to_string(id) + ")");
    return *out;
  }

  Result<User> CreateUser(const User& u, const Actor& by) override {
    std::optional<User> out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      if (SelectUser("login = :l", u.login)) {
        return Status(ErrorCode::kAlreadyExists, "登录名已存在 (login already exists): " + u.login, "login");
      }
      std::string now = NowIso(), role = RoleName(u.role);
      long long region = u.region_id.value_or(0), must = u.must_change_password, disabled = u.disabled, id = 0;
      soci::indicator ri = u.region_id ? soci::i_ok : soci::i_null;
      sql_ << kInsertUser, soci::use(u.login), soci::use(u.display_name), soci::use(role), soci::use(u.unit),
          soci::use(region, ri), soci::use(u.password_hash), soci::use(must), soci::use(disabled), soci::use(now),
          soci::use(now), soci::into(id);
      out = SelectUser("id = :id", std::to_string(id));
      Audit(by, "create", "user", std::to_string(id), std::nullopt, UserAuditJson(*out));
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return *out;
  }

  Result<User> UpdateUser(const User& u, const Actor& by) override {
    std::optional<User> out;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      std::optional<User> before = SelectUser("id = :id", std::to_string(u.id));
      if (!before) return NotFound("用户不存在 (no user with id " + std::to_string(u.id) + ")");
      std::string now = NowIso(), role = RoleName(u.role);
      long long region = u.region_id.value_or(0), must = u.must_change_password, disabled = u.disabled,
                failed = u.failed_attempts, locked = u.locked_until, id = u.id;
      soci::indicator ri = u.region_id ? soci::i_ok : soci::i_null;
      sql_ << kUpdateUser, soci::use(u.display_name), soci::use(role), soci::use(u.unit), soci::use(region, ri),
          soci::use(u.password_hash), soci::use(must), soci::use(disabled), soci::use(failed), soci::use(locked),
          soci::use(now), soci::use(id);
      out = SelectUser("id = :id", std::to_string(u.id));
      std::string b = UserAuditJson(*before), a = UserAuditJson(*out);
      if (before->password_hash != out->password_hash) a.insert(a.size() - 1, ",\"password\":\"changed\"");
      Audit(by, "update", "user", std::to_string(u.id), b, a);
      tr.ChangedSessions();  // a role, unit or disabled flag: cached sessions must be read again
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return *out;
  }

  Status SetLoginState(int64_t user_id, int failed_attempts, int64_t locked_until) override {
    return Run([&]() -> Status {
      long long id = user_id, f = failed_attempts, k = locked_until;
      sql_ << kSetLoginState, soci::use(f), soci::use(k), soci::use(id);
      return Status::Ok();
    });
  }

  Status AppendAudit(const AuditEntry& e) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);  // the chain head and the entry together
      Audit(Actor(e.actor, e.ip), e.action, e.entity, e.entity_id, e.before_json, e.after_json);
      tr.commit();
      return Status::Ok();
    });
  }

  Status ScanAuditChain(const std::function<void(const AuditEntry&, const std::string& hash)>& fn,
                        AuditChainHead* head) override {
    return Run([&]() -> Status {
      // One transaction: on PostgreSQL a snapshot, so rows and head agree while writers go on.
      soci::transaction tr(sql_);
      if (url_.postgres) sql_ << kSnapshotTransaction;
      ReadAuditChainHead(head);
      AuditEntry e;
      long long id = 0;
      std::string before, after, hash;
      soci::indicator bi = soci::i_ok, ai = soci::i_ok;
      soci::statement st = (sql_.prepare << kSelectAuditChain, soci::into(id), soci::into(e.at), soci::into(e.actor),
                            soci::into(e.ip), soci::into(e.action), soci::into(e.entity), soci::into(e.entity_id),
                            soci::into(before, bi), soci::into(after, ai), soci::into(hash));
      st.execute(false);
      while (st.fetch()) {
        e.id = id;
        e.before_json = bi == soci::i_ok ? std::optional<std::string>(before) : std::nullopt;
        e.after_json = ai == soci::i_ok ? std::optional<std::string>(after) : std::nullopt;
        fn(e, hash);
      }
      tr.commit();
      return Status::Ok();
    });
  }

  Result<AuditPage> ListAudit(const AuditQuery& q) override {
    AuditPage page;
    Status s = Run([&]() -> Status {
      std::string where = " WHERE 1 = 1";
      std::vector<std::string> params;
      auto add = [&](const std::string& clause, const std::string& v) {
        if (v.empty()) return;
        params.push_back(v);
        where += " AND " + clause + " :p" + std::to_string(params.size());
      };
      add("actor =", q.actor);
      add("action =", q.action);
      add("entity =", q.entity);
      add("entity_id =", q.entity_id);
      add("at >=", q.from);
      if (!q.to.empty()) add("at <=", q.to + (q.to.size() == 10 ? "T99" : ""));
      {
        soci::statement st(sql_);
        st.alloc();
        st.prepare("SELECT COUNT(*) FROM audit_log" + where);
        long long total = 0;
        st.exchange(soci::into(total));
        for (auto& p : params) st.exchange(soci::use(p));
        st.define_and_bind();
        st.execute(true);
        page.total = total;
      }
      AuditEntry e;
      long long id = 0;
      std::string before, after;
      soci::indicator bi = soci::i_ok, ai = soci::i_ok;
      soci::statement st(sql_);
      st.alloc();
      st.prepare("SELECT id, at, actor, ip, action, entity, entity_id, before_json, after_json FROM audit_log" + where +
                 " ORDER BY id DESC LIMIT " + Str(q.page_size) + " OFFSET " +
                 Str(static_cast<long long>(q.page - 1) * q.page_size));
      st.exchange(soci::into(id));
      st.exchange(soci::into(e.at));
      st.exchange(soci::into(e.actor));
      st.exchange(soci::into(e.ip));
      st.exchange(soci::into(e.action));
      st.exchange(soci::into(e.entity));
      st.exchange(soci::into(e.entity_id));
      st.exchange(soci::into(before, bi));
      st.exchange(soci::into(after, ai));
      for (auto& p : params) st.exchange(soci::use(p));
      st.define_and_bind();
      st.execute(false);
      while (st.fetch()) {
        e.id = id;
        e.before_json = bi == soci::i_ok ? std::optional<std::string>(before) : std::nullopt;
        e.after_json = ai == soci::i_ok ? std::optional<std::string>(after) : std::nullopt;
        page.items.push_back(e);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return page;
  }

  const std::string& origin() const override { return origin_; }

  Result<ChangeBatch> ChangesSince(int64_t after) override {
    ChangeBatch out;
    out.last_seq = after;
    Status s = Run([&]() -> Status {
      long long lo = 0, hi = 0;
      sql_ << kSelectChangeBounds, soci::into(lo), soci::into(hi);
      // Rows after `after` were pruned (or the log was reset): what they said is unknown.
      if (hi < after || (lo > after + 1 && hi > 0)) out.gap = true;
      long long seq = 0, pid = 0, from = after;
      std::string origin, kind;
      soci::indicator ind = soci::i_null;
      soci::statement st = (sql_.prepare << kSelectChangesSince, soci::use(from), soci::into(seq), soci::into(origin),
                            soci::into(kind), soci::into(pid, ind));
      st.execute(false);
      while (st.fetch()) {
        out.last_seq = seq;
        if (origin == origin_) continue;
        if (kind == kChangeAll) out.all = true;
        else if (kind == kChangeRegions) out.regions = true;
        else if (kind == kChangeSessions) out.sessions = true;
        else if (ind == soci::i_ok) out.project_ids.push_back(pid);
      }
      if (out.gap) out.last_seq = hi;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<int64_t> LatestChange() override {
    long long lo = 0, hi = 0;
    Status s = Run([&]() -> Status {
      sql_ << kSelectChangeBounds, soci::into(lo), soci::into(hi);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return static_cast<int64_t>(hi);
  }

  Status PruneChanges(int64_t through) override {
    return Run([&]() -> Status {
      long long upto = through;
      sql_ << kPruneChanges, soci::use(upto);
      return Status::Ok();
    });
  }

  Result<StatsSource> LoadStatsSourceFor(const std::vector<int64_t>& ids) override {
    StatsSource src;
    Status s = Run([&]() -> Status {
      constexpr size_t kChunk = 500;
      for (size_t from = 0; from < ids.size(); from += kChunk) {
        std::string in;
        for (size_t i = from; i < std::min(ids.size(), from + kChunk); ++i) in += (in.empty() ? "" : ",") + Str(ids[i]);
        {
          ProjectBinder b;
          soci::statement st(sql_);
          st.alloc();
          st.prepare(std::string("SELECT ") + kProjectColumns + kProjectFrom + " WHERE p.deleted = 0 AND p.id IN (" +
                     in + ")");
          b.Bind(st);
          st.define_and_bind();
          st.execute(false);
          while (st.fetch()) src.projects.push_back(b.Get());
        }
        long long pid = 0, amount = 0;
        int year = 0, month = 0;
        {
          soci::statement st = (sql_.prepare << std::string(kSelectAllPlanAmounts) + " WHERE project_id IN (" + in + ")",
                                soci::into(pid), soci::into(year), soci::into(amount));
          st.execute(false);
          while (st.fetch()) src.plans.push_back(PlanAmount{pid, year, Money(amount)});
        }
        {
          soci::statement st =
              (sql_.prepare << std::string(kSelectAllReportAmounts) + " WHERE project_id IN (" + in + ")",
               soci::into(pid), soci::into(year), soci::into(month), soci::into(amount));
          st.execute(false);
          while (st.fetch()) {
            src.reports.push_back(
                ReportAmount{pid, static_cast<int16_t>(year), static_cast<int8_t>(month), Money(amount)});
          }
        }
        LoadNodeDates(sql_, in, src.nodes);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return src;
  }

  Status CreateSession(const std::string& token_hash, const std::string& csrf, int64_t user_id, int64_t now) override {
    return Run([&]() -> Status {
      long long uid = user_id, at = now;
      sql_ << kInsertSession, soci::use(token_hash), soci::use(csrf), soci::use(uid), soci::use(at), soci::use(at);
      return Status::Ok();
    });
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash, int64_t now, int64_t idle_seconds,
                                                   int64_t touch_after) override {
    std::optional<SessionRecord> out;
    Status s = Run([&]() -> Status {
      std::string csrf;
      long long uid = 0, created = 0, seen = 0;
      sql_ << kSelectSession, soci::use(token_hash), soci::into(csrf), soci::into(uid), soci::into(created),
          soci::into(seen);
      if (!sql_.got_data()) return Status::Ok();
      if (now - seen > idle_seconds) {
        sql_ << kDeleteSession, soci::use(token_hash);
        return Status::Ok();
      }
      std::optional<User> u = SelectUser("id = :id", Str(uid));
      if (!u || u->disabled) {
        sql_ << kDeleteSession, soci::use(token_hash);
        return Status::Ok();
      }
      if (now - seen >= touch_after) {
        long long at = now;
        sql_ << kTouchSession, soci::use(at), soci::use(token_hash);
        seen = now;
      }
      out = SessionRecord{csrf, *u, created, seen};
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status DeleteSession(const std::string& token_hash) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);
      sql_ << kDeleteSession, soci::use(token_hash);
      tr.ChangedSessions();
      tr.commit();
      return Status::Ok();
    });
  }

  Status DeleteSessionsOf(int64_t user_id, const std::string& except_hash) override {
    return Run([&]() -> Status {
      WriteTx tr(*this);
      long long uid = user_id;
      sql_ << kDeleteSessionsOf, soci::use(uid), soci::use(except_hash);
      tr.ChangedSessions();
      tr.commit();
      return Status::Ok();
    });
  }

  Status DeleteIdleSessions(int64_t seen_before) override {
    return Run([&]() -> Status {
      long long t = seen_before;
      sql_ << kDeleteIdleSessions, soci::use(t);
      return Status::Ok();
    });
  }

  Result<LoginGate> BeginLoginAttempt(int64_t user_id, int64_t now, int max_failures, int lock_seconds) override {
    LoginGate gate = LoginGate::kAllowed;
    Status s = Run([&]() -> Status {
      WriteTx tr(*this);
      long long uid = user_id, locked = 0;
      int failed = 0;
      sql_ << kSelectLoginState, soci::use(uid), soci::into(failed), soci::into(locked);
      if (!sql_.got_data()) return NotFound("用户不存在 (no such user)");
      if (locked > now) {
        gate = LoginGate::kLocked;
        tr.commit();
        return Status::Ok();
      }
      // The attempt counts before the password is checked: however many arrive at once, at most
      // max_failures are verified before the lock (the last one sets it).
      ++failed;
      long long until = 0;
      if (failed >= max_failures) {
        until = now + lock_seconds;
        failed = 0;
      }
      sql_ << kSetLoginState, soci::use(failed), soci::use(until), soci::use(uid);
      tr.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return gate;
  }

  Result<bool> HasData() override {
    long long n = 0;
    Status s = Run([&]() -> Status {
      sql_ << kCountData, soci::into(n);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return n > 0;
  }

  Status Truncate() override {
    return Run([&]() -> Status {
      WriteTx tr(*this);
      for (const char* t : kTruncateOrder) sql_ << std::string("DELETE FROM ") + t;
      tr.ChangedAll();
      tr.commit();
      return Status::Ok();
    });
  }

 private:
  // Sets a project's plan for a year with its revision and audit entry.
  // REQUIRES: mu_ held, inside a transaction, the project exists.
  void WritePlan(int64_t pid, int year, Money plan, const Actor& by, const std::string& at) {
    long long id = pid, old_plan = 0, value = plan.yuan;
    sql_ << kSelectPlan, soci::use(id), soci::use(year), soci::into(old_plan);
    bool exists = sql_.got_data();
    if (exists && old_plan == value) return;
    if (exists) {
      sql_ << kUpdatePlan, soci::use(value), soci::use(at), soci::use(by.login), soci::use(id), soci::use(year);
    } else {
      sql_ << kInsertPlan, soci::use(id), soci::use(year), soci::use(value), soci::use(at), soci::use(by.login);
    }
    soci::indicator old_ind = exists ? soci::i_ok : soci::i_null;
    sql_ << kInsertPlanRevision, soci::use(id), soci::use(year), soci::use(old_plan, old_ind), soci::use(value),
        soci::use(at), soci::use(by.login);
    auto plan_json = [&](long long v) {
      return "{\"project_id\":" + Str(id) + ",\"year\":" + Str(year) + ",\"plan_wan\":\"" + FormatWan(Money(v)) + "\"}";
    };
    Audit(by, exists ? "update" : "create", "plan", Str(id) + "/" + Str(year),
          exists ? std::optional<std::string>(plan_json(old_plan)) : std::nullopt, plan_json(value));
  }

  // Runs fn under the lock, turning database exceptions into a Status.
  template <typename Fn>
  Status Run(Fn&& fn) {
    std::lock_guard lock(mu_);
    try {
      return fn();
    } catch (const soci::soci_error& e) {
      if (IsBusy(e)) return Status(ErrorCode::kBusy, std::string("数据库正忙 (database busy): ") + e.what());
      return Internal(std::string("数据库错误 (database error): ") + e.what());
    } catch (const std::exception& e) {
      return Internal(std::string("数据库错误 (database error): ") + e.what());
    }
  }

  // Whether the error is another writer holding the database (SQLite busy/locked past busy_timeout;
  // PostgreSQL lock_timeout or a lock not available), which passes: the caller may retry.
  static bool IsBusy(const soci::soci_error& e) {
    if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
      const int primary = s->result() & 0xff;  // extended codes keep the primary in the low byte
      return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    }
    if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
      return p->sqlstate() == kPgLockNotAvailable;
    }
    return false;
  }

  // WHERE clause of a project query; string values are bound as :p1, :p2 … into params.
  static std::string ProjectWhere(const ProjectQuery& q, std::vector<std::string>& params) {
    std::string where = " WHERE p.deleted = 0";
    auto add = [&](const std::string& clause, const std::string& value) {
      params.push_back(value);
      where += " AND " + clause + " :p" + std::to_string(params.size());
    };
    if (!q.q.empty()) {
      std::string like = LikePattern(q.q);
      params.push_back(like);
      params.push_back(like);
      params.push_back(like);
      size_t n = params.size();
      where += " AND (p.name LIKE :p" + std::to_string(n - 2) + " ESCAPE '\\' OR p.owner LIKE :p" +
               std::to_string(n - 1) + " ESCAPE '\\' OR p.code LIKE :p" + std::to_string(n) + " ESCAPE '\\')";
    }
    if (!q.levels.empty()) {
      where += " AND p.level IN (";
      for (size_t i = 0; i < q.levels.size(); ++i) where += (i ? "," : "") + Str(static_cast<int>(q.levels[i]));
      where += ")";
    }
    if (!q.region_ids.empty()) {
      where += " AND p.region_id IN (";
      for (size_t i = 0; i < q.region_ids.size(); ++i) where += (i ? "," : "") + Str(q.region_ids[i]);
      where += ")";
    }
    if (!q.industry.empty()) add("p.industry =", q.industry);
    if (!q.unit.empty()) add("p.unit =", q.unit);
    if (!q.leader.empty()) add("p.leader =", q.leader);
    if (!q.status.empty()) add("p.status =", q.status);
    if (!q.owner.empty()) add("p.owner =", q.owner);
    if (!q.nature.empty()) add("p.nature =", q.nature);
    if (q.demo) where += *q.demo ? " AND p.is_demo = 1" : " AND p.is_demo = 0";
    if (q.plan_year) {
      where += " AND EXISTS (SELECT 1 FROM annual_plans ap WHERE ap.project_id = p.id AND ap.year = " +
               Str(*q.plan_year) + ")";
    }
    if (q.ids) {
      if (q.ids->empty()) return where + " AND 1 = 0";
      where += " AND p.id IN (";
      for (size_t i = 0; i < q.ids->size(); ++i) where += (i ? "," : "") + Str((*q.ids)[i]);
      where += ")";
    }
    return where;
  }

  // REQUIRES: the lock is held.
  void SelectProjects(const ProjectQuery& q, const std::string& where, std::vector<std::string>& params,
                      const std::function<void(const Project&)>& fn) {
    static const std::map<std::string, std::string> kSort = {
        {"code", "p.code"},         {"name", "p.name"},         {"level", "p.level"},
        {"industry", "p.industry"}, {"region", "r.name"},       {"total_investment", "p.total_investment_yuan"},
        {"updated_at", "p.updated_at"}, {"status", "p.status"}, {"unit", "p.unit"},
        {"owner", "p.owner"},       {"leader", "p.leader"},     {"id", "p.id"}};
    auto it = kSort.find(q.sort);
    std::string order = (it == kSort.end() ? std::string("p.code") : it->second) + (q.desc ? " DESC" : " ASC");
    std::string sqltext =
        std::string("SELECT ") + kProjectColumns + kProjectFrom + where + " ORDER BY " + order + ", p.id ASC";
    if (q.page_size > 0) {
      sqltext += " LIMIT " + Str(q.page_size) + " OFFSET " + Str(static_cast<long long>(q.page - 1) * q.page_size);
    }
    ProjectBinder b;
    soci::statement st(sql_);
    st.alloc();
    st.prepare(sqltext);
    b.Bind(st);
    for (auto& p : params) st.exchange(soci::use(p));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) fn(b.Get());
  }

  // Appends an entry to the hash chain (audit_chain.h): bumps the head first (on PostgreSQL this
  // waits for any other writer's transaction; on SQLite it takes the write lock), then reads the
  // last hash, inserts and moves the head.
  // REQUIRES: the lock is held, inside a transaction.
  void Audit(const Actor& by, const std::string& action, const std::string& entity, const std::string& entity_id,
             const std::optional<std::string>& before, const std::optional<std::string>& after) {
    AuditEntry e;
    e.at = NowIso();
    e.actor = by.login;
    e.ip = by.ip;
    e.action = action;
    e.entity = entity;
    e.entity_id = entity_id;
    e.before_json = before;
    e.after_json = after;
    sql_ << kBumpAuditChain;
    AuditChainHead head;
    ReadAuditChainHead(&head);
    std::string hash = AuditEntryHash(head.last_hash, e), b = before.value_or(""), a = after.value_or("");
    soci::indicator bi = before ? soci::i_ok : soci::i_null, ai = after ? soci::i_ok : soci::i_null;
    long long id = 0;
    sql_ << kInsertAudit, soci::use(e.at), soci::use(e.actor), soci::use(e.ip), soci::use(e.action),
        soci::use(e.entity), soci::use(e.entity_id), soci::use(b, bi), soci::use(a, ai), soci::use(hash),
        soci::into(id);
    sql_ << kSetAuditChainHead, soci::use(id), soci::use(hash);
  }

  // REQUIRES: the lock is held.
  void ReadAuditChainHead(AuditChainHead* head) {
    long long entries = 0, last_id = 0;
    std::string last_hash;
    sql_ << kSelectAuditChainHead, soci::into(entries), soci::into(last_id), soci::into(last_hash);
    if (!sql_.got_data()) return;
    head->entries = entries;
    head->last_id = last_id;
    head->last_hash = last_hash;
  }

  // Hashes the entries written before the chain existed, in id order, and sets the head.
  // REQUIRES: the lock is held, inside the migration's transaction.
  void HashExistingAudit() {
    std::vector<std::pair<long long, std::string>> hashes;
    std::string prev;
    {
      AuditEntry e;
      long long id = 0;
      std::string before, after, hash;
      soci::indicator bi = soci::i_ok, ai = soci::i_ok;
      soci::statement st = (sql_.prepare << kSelectAuditChain, soci::into(id), soci::into(e.at), soci::into(e.actor),
                            soci::into(e.ip), soci::into(e.action), soci::into(e.entity), soci::into(e.entity_id),
                            soci::into(before, bi), soci::into(after, ai), soci::into(hash));
      st.execute(false);
      while (st.fetch()) {
        e.before_json = bi == soci::i_ok ? std::optional<std::string>(before) : std::nullopt;
        e.after_json = ai == soci::i_ok ? std::optional<std::string>(after) : std::nullopt;
        prev = AuditEntryHash(prev, e);
        hashes.emplace_back(id, prev);
      }
    }
    for (auto& [id, hash] : hashes) sql_ << kSetAuditHash, soci::use(hash), soci::use(id);
    if (hashes.empty()) return;
    sql_ << kBumpAuditChain;
    long long n = static_cast<long long>(hashes.size());
    sql_ << kSetAuditChainCount, soci::use(n);
    sql_ << kSetAuditChainHead, soci::use(hashes.back().first), soci::use(hashes.back().second);
  }

  std::optional<User> SelectUser(const std::string& where, const std::string& value) {
    UserBinder b;
    std::string v = value;
    soci::statement st(sql_);
    st.alloc();
    st.prepare(std::string(kUserColumns) + "WHERE " + where);
    b.Bind(st);
    st.exchange(soci::use(v));
    st.define_and_bind();
    if (!st.execute(true)) return std::nullopt;
    return b.Get();
  }

  static std::vector<std::string> SplitStatements(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      std::string_view t = Trim(line);
      if (t.starts_with("--") || t.empty()) continue;
      cur += line + "\n";
      if (t.ends_with(";")) {
        cur.erase(cur.find_last_of(';'));
        out.push_back(cur);
        cur.clear();
      }
    }
    if (!Trim(cur).empty()) out.push_back(cur);
    return out;
  }

  Status LoadRegions(std::vector<Region>& out) {
    long long id = 0, parent = 0, merged = 0;
    soci::indicator parent_ind = soci::i_ok, retired_ind = soci::i_ok, merged_ind = soci::i_ok;
    Region r;
    std::string retired;
    soci::statement st = (sql_.prepare << kSelectRegions, soci::into(id), soci::into(parent, parent_ind),
                          soci::into(r.name), soci::into(r.code), soci::into(retired, retired_ind),
                          soci::into(merged, merged_ind));
    st.execute(false);
    while (st.fetch()) {
      r.id = id;
      r.parent_id = parent_ind == soci::i_ok ? std::optional<int64_t>(parent) : std::nullopt;
      r.retired_at = retired_ind == soci::i_ok ? retired : "";
      r.merged_into = merged_ind == soci::i_ok ? std::optional<int64_t>(merged) : std::nullopt;
      out.push_back(r);
    }
    return Status::Ok();
  }

  std::optional<Region> SelectRegion(int64_t id) {
    std::vector<Region> all;
    if (!LoadRegions(all).ok()) return std::nullopt;
    for (Region& r : all) {
      if (r.id == id) return std::move(r);
    }
    return std::nullopt;
  }

  static std::string RegionJson(const Region& r) {
    boost::json::object o{{"name", r.name},
                          {"code", r.code},
                          {"parent_id", r.parent_id ? boost::json::value(*r.parent_id) : boost::json::value(nullptr)}};
    if (r.retired()) o["retired"] = true;
    if (r.merged_into) o["merged_into"] = *r.merged_into;
    return boost::json::serialize(o);
  }

  Region InsertRegion(std::optional<int64_t> parent_id, const std::string& name, const std::string& code) {
    long long parent = parent_id.value_or(0), id = 0;
    soci::indicator ind = parent_id ? soci::i_ok : soci::i_null;
    std::string now = NowIso();
    sql_ << kInsertRegion, soci::use(parent, ind), soci::use(name), soci::use(code), soci::use(now), soci::into(id);
    Region r;
    r.id = id;
    r.parent_id = parent_id;
    r.name = name;
    r.code = code;
    return r;
  }

  std::optional<int64_t> HomeRegion(const std::vector<Region>& regions) {
    std::string v;
    soci::indicator ind = soci::i_null;
    std::string key = "home_region_id";
    sql_ << kSelectSetting, soci::use(key), soci::into(v, ind);
    if (sql_.got_data() && ind == soci::i_ok) {
      for (const Region& r : regions) {
        if (std::to_string(r.id) == v) return r.id;
      }
    }
    for (const Region& r : regions) {
      if (!r.parent_id) return r.id;
    }
    return std::nullopt;
  }

  std::optional<Project> SelectProject(int64_t pid) {
    ProjectBinder b;
    long long id = pid;
    soci::statement st(sql_);
    st.alloc();
    st.prepare(std::string("SELECT ") + kProjectColumns + kProjectFrom + " WHERE p.id = :id AND p.deleted = 0");
    b.Bind(st);
    st.exchange(soci::use(id));
    st.define_and_bind();
    if (!st.execute(true)) return std::nullopt;
    return b.Get();
  }

  std::unordered_map<std::string, int64_t> CodeIds(bool live_only = false) {
    std::unordered_map<std::string, int64_t> ids;
    long long id = 0;
    std::string code;
    soci::statement st = (sql_.prepare << (live_only ? "SELECT id, code FROM projects WHERE deleted = 0"
                                                     : "SELECT id, code FROM projects"),
                          soci::into(id), soci::into(code));
    st.execute(false);
    while (st.fetch()) ids.emplace(code, id);
    return ids;
  }

  std::map<std::pair<int64_t, int>, int64_t> PlansOfYears(const std::set<int>& years) {
    std::map<std::pair<int64_t, int>, int64_t> plans;
    if (years.empty()) return plans;
    std::string in;
    for (int y : years) in += (in.empty() ? "" : ",") + Str(y);
    long long pid = 0, plan = 0;
    int year = 0;
    soci::statement st = (sql_.prepare << std::string(kSelectAllPlanAmounts) + " WHERE year IN (" + in + ")",
                          soci::into(pid), soci::into(year), soci::into(plan));
    st.execute(false);
    while (st.fetch()) plans[{pid, year}] = plan;
    return plans;
  }

  Result<std::vector<MonthlyReport>> SelectReports(const std::string& query) {
    std::vector<MonthlyReport> out;
    Status s = Run([&]() -> Status {
      long long pid = 0, amount = 0;
      int year = 0, month = 0;
      MonthlyReport r;
      soci::statement st = (sql_.prepare << query, soci::into(pid), soci::into(year), soci::into(month),
                            soci::into(amount), soci::into(r.progress), soci::into(r.problems),
                            soci::into(r.submitted_at), soci::into(r.submitted_by));
      st.execute(false);
      while (st.fetch()) {
        r.project_id = pid;
        r.month = YearMonth{year, month};
        r.completed = Money(amount);
        out.push_back(r);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // Inserts rows (all values as text, nullopt = NULL) with the backend's fast path.
  // REQUIRES: the lock is held and a transaction is open.
  Status BulkInsert(const std::string& table, const std::vector<std::string>& cols, const std::vector<Row>& rows) {
    return BulkWrite(table, cols, rows.size(), [&](size_t i, RowSink& out) {
      for (const auto& v : rows[i]) v ? out.Text(*v) : out.Null();
    });
  }

  // Inserts n rows, each filled by `fill`, with the backend's fast path: SQLite binds the values
  // to one prepared statement, PostgreSQL streams them through COPY.
  // REQUIRES: the lock is held and a transaction is open.
  // `new_ids`, when given, receives the id column's value of each inserted row.
  Status BulkWrite(const std::string& table, const std::vector<std::string>& cols, size_t n, const RowFiller& fill,
                   std::vector<int64_t>* new_ids = nullptr) {
    if (new_ids) new_ids->clear();
    if (n == 0) return Status::Ok();
    std::string col_list;
    for (size_t i = 0; i < cols.size(); ++i) col_list += (i ? ", " : "") + cols[i];
    if (url_.postgres) {
      if (!new_ids) return CopyIn(table, col_list, n, fill);
      // COPY returns no ids: take n from the table's sequence and write them.
      std::vector<long long> taken(n);
      soci::statement st = (sql_.prepare << "SELECT nextval(pg_get_serial_sequence('" + table +
                                                "', 'id')) FROM generate_series(1, " + std::to_string(n) + ")",
                            soci::into(taken));
      st.execute(false);
      while (st.fetch()) {
        for (long long id : taken) new_ids->push_back(id);
        taken.resize(n);
      }
      if (new_ids->size() != n) return Internal("could not reserve ids for " + table);
      return CopyIn(table, "id, " + col_list, n, [&](size_t i, RowSink& row) {
        row.Int((*new_ids)[i]);
        fill(i, row);
      });
    }
    using namespace sqlite_api;  // SOCI wraps sqlite3.h in this namespace
    std::string q = "INSERT INTO " + table + " (" + col_list + ") VALUES (";
    for (size_t i = 0; i < cols.size(); ++i) q += i ? ",?" : "?";
    q += ")";
    sqlite3* db = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend())->conn_;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, q.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return Internal(std::string("bulk insert prepare: ") + sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
    class Binder final : public RowSink {
     public:
      explicit Binder(sqlite3_stmt* st) : st_(st) {}
      void Text(std::string_view s) override {
        sqlite3_bind_text(st_, ++col_, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      }
      void OwnedText(std::string s) override {
        sqlite3_bind_text(st_, ++col_, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      void Int(int64_t v) override { sqlite3_bind_int64(st_, ++col_, v); }
      void Null() override { sqlite3_bind_null(st_, ++col_); }
      int col_ = 0;

     private:
      sqlite3_stmt* st_;
    } binder(stmt);
    for (size_t i = 0; i < n; ++i) {
      binder.col_ = 0;
      fill(i, binder);
      if (sqlite3_step(stmt) != SQLITE_DONE) return Internal(std::string("bulk insert: ") + sqlite3_errmsg(db));
      if (new_ids) new_ids->push_back(sqlite3_last_insert_rowid(db));
      sqlite3_reset(stmt);
    }
    return Status::Ok();
  }

  Status CopyIn(const std::string& table, const std::string& col_list, size_t n, const RowFiller& fill) {
    PGconn* conn = static_cast<soci::postgresql_session_backend*>(sql_.get_backend())->conn_;
    std::unique_ptr<PGresult, void (*)(PGresult*)> res(
        PQexec(conn, ("COPY " + table + " (" + col_list + ") FROM STDIN").c_str()), PQclear);
    if (PQresultStatus(res.get()) != PGRES_COPY_IN) return Internal(std::string("COPY: ") + PQerrorMessage(conn));
    // COPY's text format: tab between values, \N for NULL, backslash escapes.
    class Line final : public RowSink {
     public:
      std::string buf;
      bool first = true;
      void Text(std::string_view s) override {
        Sep();
        for (char c : s) {
          switch (c) {
            case '\\': buf += "\\\\"; break;
            case '\t': buf += "\\t"; break;
            case '\n': buf += "\\n"; break;
            case '\r': buf += "\\r"; break;
            default: buf += c;
          }
        }
      }
      void OwnedText(std::string s) override { Text(s); }
      void Int(int64_t v) override {
        Sep();
        buf += std::to_string(v);
      }
      void Null() override {
        Sep();
        buf += "\\N";
      }

     private:
      void Sep() {
        if (!first) buf += '\t';
        first = false;
      }
    } line;
    constexpr size_t kChunk = 1 << 20;
    for (size_t i = 0; i < n; ++i) {
      line.first = true;
      fill(i, line);
      line.buf += '\n';
      if (line.buf.size() > kChunk) {
        if (PQputCopyData(conn, line.buf.data(), static_cast<int>(line.buf.size())) != 1) {
          return Internal(std::string("COPY data: ") + PQerrorMessage(conn));
        }
        line.buf.clear();
      }
    }
    if (!line.buf.empty() && PQputCopyData(conn, line.buf.data(), static_cast<int>(line.buf.size())) != 1) {
      return Internal(std::string("COPY data: ") + PQerrorMessage(conn));
    }
    if (PQputCopyEnd(conn, nullptr) != 1) return Internal(std::string("COPY end: ") + PQerrorMessage(conn));
    Status status = Status::Ok();
    while (PGresult* r = PQgetResult(conn)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) status = Internal(std::string("COPY: ") + PQresultErrorMessage(r));
      PQclear(r);
    }
    return status;
  }

  // Loads rows into a temporary copy of `table` and updates the matching rows of `table` from it.
  // key: comma-separated key columns, which are among cols.
  Status StageAndUpdate(const std::string& table, const std::string& key, const std::vector<std::string>& cols,
                        const std::vector<Row>& rows) {
    if (rows.empty()) return Status::Ok();
    const std::string stage = "kp_stage_" + table;
    sql_ << "DROP TABLE IF EXISTS " + stage;
    sql_ << "CREATE TEMP TABLE " + stage + " AS SELECT * FROM " + table + " WHERE 1 = 0";
    if (Status st = BulkInsert(stage, cols, rows); !st.ok()) return st;
    std::set<std::string> keys;
    std::string where;
    for (size_t start = 0; start <= key.size();) {
      size_t end = key.find(',', start);
      if (end == std::string::npos) end = key.size();
      std::string k = key.substr(start, end - start);
      keys.insert(k);
      where += (where.empty() ? "" : " AND ") + table + "." + k + " = s." + k;
      start = end + 1;
    }
    std::string set;
    for (const std::string& c : cols) {
      if (keys.count(c)) continue;
      set += (set.empty() ? "" : ", ") + c + " = s." + c;
    }
    sql_ << "UPDATE " + table + " SET " + set + " FROM " + stage + " s WHERE " + where;
    sql_ << "DROP TABLE " + stage;
    return Status::Ok();
  }

  // One write transaction. SQLite takes the write lock at BEGIN (IMMEDIATE), so two processes
  // never fail on a lock upgrade; PostgreSQL serialises writers on an advisory lock, so the change
  // log's order is the commit order. commit() appends the change rows (and NOTIFY) in the same
  // transaction. REQUIRES: the store's lock is held (inside Run).
  class WriteTx {
   public:
    explicit WriteTx(SociStore& s) : s_(s) {
      s_.sql_ << (s_.url_.postgres ? kBegin : kBeginImmediate);
      open_ = true;
      if (s_.url_.postgres) {
        try {
          int one = 0;
          s_.sql_ << kPgWriteLock, soci::into(one);
        } catch (...) {
          // No destructor runs for a constructor that throws: end the transaction here, or the
          // connection stays in an aborted transaction and every later write fails.
          Rollback();
          throw;
        }
      }
    }
    ~WriteTx() { Rollback(); }
    void Rollback() {
      if (!open_) return;
      open_ = false;
      try {
        s_.sql_ << kRollback;
      } catch (const std::exception&) {  // the connection is gone: nothing was committed
      }
    }
    WriteTx(const WriteTx&) = delete;
    WriteTx& operator=(const WriteTx&) = delete;
    void Changed(int64_t project_id) { ids_.push_back(project_id); }
    void ChangedRegions() { regions_ = true; }
    void ChangedSessions() { sessions_ = true; }
    void ChangedAll() { all_ = true; }
    void commit() {
      s_.AppendChanges(all_, regions_, sessions_, ids_);
      s_.sql_ << kCommit;
      open_ = false;
    }

   private:
    SociStore& s_;
    std::vector<int64_t> ids_;
    bool regions_ = false, sessions_ = false, all_ = false, open_ = false;
  };

  // REQUIRES: inside a WriteTx.
  void AppendChanges(bool all, bool regions, bool sessions, std::vector<int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() > kMaxChangeRows) all = true;
    if (!all && !regions && !sessions && ids.empty()) return;
    const std::string now = NowIso();
    long long pid = 0;
    soci::indicator ind = soci::i_null;
    std::string kind;
    soci::statement st = (sql_.prepare << kInsertChange, soci::use(origin_), soci::use(kind), soci::use(pid, ind),
                          soci::use(now));
    auto put = [&](const char* k, std::optional<int64_t> id) {
      kind = k;
      pid = id.value_or(0);
      ind = id ? soci::i_ok : soci::i_null;
      st.execute(true);
    };
    if (sessions) put(kChangeSessions, std::nullopt);
    if (all) {
      put(kChangeAll, std::nullopt);
    } else {
      if (regions) put(kChangeRegions, std::nullopt);
      for (int64_t id : ids) put(kChangeProject, id);
    }
    if (url_.postgres) {
      int one = 0;
      sql_ << kPgNotify, soci::use(origin_), soci::into(one);
    }
  }

  static std::string RandomOrigin() {
    std::random_device rd;
    std::ostringstream out;
    out << std::hex << rd() << rd() << ::getpid();
    return out.str();
  }

  DbUrl url_;
  const std::string origin_ = RandomOrigin();
  std::mutex mu_;
  soci::session sql_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // declared last: stopped before sql_ closes
};

Status SociStore::Write(const std::function<Status(soci::session&, WriteScope&)>& fn) {
  class Scope final : public WriteScope {
   public:
    Scope(SociStore& s, WriteTx& tx) : s_(s), tx_(tx) {}
    void Changed(int64_t project_id) override { tx_.Changed(project_id); }
    void Audit(const Actor& by, const std::string& action, const std::string& entity, const std::string& entity_id,
               const std::optional<std::string>& before, const std::optional<std::string>& after) override {
      s_.Audit(by, action, entity, entity_id, before, after);
    }
    void History(int64_t project_id, const Actor& by, const std::string& action, const std::string& changes) override {
      long long id = project_id;
      std::string now = NowIso(), a = action, c = changes;
      s_.sql_ << kInsertHistory, soci::use(id), soci::use(now), soci::use(by.login), soci::use(a), soci::use(c);
    }

   private:
    SociStore& s_;
    WriteTx& tx_;
  };
  return Run([&]() -> Status {
    WriteTx tr(*this);
    Scope scope(*this, tr);
    if (Status st = fn(sql_, scope); !st.ok()) return st;
    tr.commit();
    return Status::Ok();
  });
}

}  // namespace

Result<DbUrl> ParseDbUrl(const std::string& url) {
  DbUrl out;
  std::string u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    out.postgres = true;
    std::string rest = u.substr(u.find("://") + 3);
    std::string user, pass, host = "127.0.0.1", port = "5432", db;
    size_t at = rest.rfind('@');
    if (at != std::string::npos) {
      std::string cred = rest.substr(0, at);
      rest = rest.substr(at + 1);
      size_t colon = cred.find(':');
      user = cred.substr(0, colon);
      if (colon != std::string::npos) pass = cred.substr(colon + 1);
    }
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return InvalidArgument("PostgreSQL 地址缺少数据库名 (missing /DB in " + url + ")");
    std::string hostport = rest.substr(0, slash);
    db = rest.substr(slash + 1);
    size_t q = db.find('?');
    if (q != std::string::npos) db = db.substr(0, q);
    size_t colon = hostport.rfind(':');
    if (colon != std::string::npos) {
      port = hostport.substr(colon + 1);
      hostport = hostport.substr(0, colon);
    }
    if (!hostport.empty()) host = hostport;
    if (db.empty()) return InvalidArgument("PostgreSQL 地址缺少数据库名 (missing database name in " + url + ")");
    out.connect = "host=" + host + " port=" + port + " dbname=" + db;
    if (!user.empty()) out.connect += " user=" + user;
    if (!pass.empty()) out.connect += " password=" + pass;
    return out;
  }
  if (u.starts_with("sqlite:")) u = u.substr(7);
  if (u.starts_with("//")) u = u.substr(2);
  if (u.empty()) return InvalidArgument("数据库路径为空 (empty database path)");
  out.path = u;
  out.connect = "db=" + u + " timeout=10";
  return out;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  auto parsed = ParseDbUrl(url);
  if (!parsed.ok()) return parsed.status();
  auto store = std::make_unique<SociStore>(*parsed);
  if (Status s = store->Connect(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace kp::store
