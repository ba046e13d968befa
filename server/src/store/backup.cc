#include "store/backup.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "store/store.h"

extern char** environ;

namespace kp::store {
namespace {

namespace fs = std::filesystem;

constexpr char kSqliteMagic[] = "SQLite format 3";  // the first 16 bytes, with the NUL
constexpr char kPgDumpMagic[] = "PGDMP";
constexpr const char* kPgToolDirs = "/usr/lib/postgresql";
constexpr const char* kSelectSqliteTables =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'";
constexpr const char* kSelectPgTables =
    "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' "
    "AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'";
constexpr const char* kStandaloneJournal = "PRAGMA journal_mode=DELETE";
constexpr const char* kSqliteHasAuditLog = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'";

std::string FileStart(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

bool IsSqliteFile(const std::string& path) {
  return FileStart(path, sizeof kSqliteMagic) == std::string(kSqliteMagic, sizeof kSqliteMagic);
}
bool IsPgDump(const std::string& path) { return FileStart(path, 5) == kPgDumpMagic; }

// ---- SQLite ------------------------------------------------------------------------------------
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;

Result<SqliteDb> OpenSqlite(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) {
    return Status(ErrorCode::kUnavailable, "无法打开 (cannot open) " + path + ": " +
                                               (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

// Copies every page of src into dest in one step (one read transaction on src).
Status CopySqlite(sqlite3* src, sqlite3* dest, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", src, "main");
  if (!b) return Internal("备份失败 (backup failed) " + what + ": " + sqlite3_errmsg(dest));
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return Internal("备份失败 (backup failed) " + what + ": " + sqlite3_errstr(rc));
  return Status::Ok();
}

// Tables (but schema_migrations) with at least one row.
Result<std::vector<std::string>> NonEmptySqliteTables(sqlite3* db) {
  std::vector<std::string> tables, full;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, kSelectSqliteTables, -1, &st, nullptr) != SQLITE_OK) {
    return Internal(std::string("数据库错误 (database error): ") + sqlite3_errmsg(db));
  }
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const std::string& t : tables) {
    std::string q = "SELECT 1 FROM \"" + t + "\" LIMIT 1";
    if (sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
    if (sqlite3_step(st) == SQLITE_ROW) full.push_back(t);
    sqlite3_finalize(st);
  }
  return full;
}

Status BackupSqlite(const DbUrl& url, const std::string& file) {
  if (!fs::exists(url.path)) return NotFound("数据库不存在 (no database at) " + url.path);
  auto src = OpenSqlite(url.path, SQLITE_OPEN_READWRITE);
  if (!src.ok()) return src.status();
  std::string partial = file + ".partial";
  fs::remove(partial);
  {
    auto dest = OpenSqlite(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest.ok()) return dest.status();
    if (Status s = CopySqlite(src->get(), dest->get(), url.path); !s.ok()) {
      dest->reset();
      fs::remove(partial);
      return s;
    }
    // A standalone file: no -wal beside it to lose.
    sqlite3_exec(dest->get(), kStandaloneJournal, nullptr, nullptr, nullptr);
  }
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) return Internal("无法写入 (cannot write) " + file + ": " + ec.message());
  return Status::Ok();
}

Status RestoreSqlite(const std::string& file, const DbUrl& url) {
  auto src = OpenSqlite(file, SQLITE_OPEN_READONLY);
  if (!src.ok()) return src.status();
  {
    sqlite3_stmt* st = nullptr;
    int n = 0;
    if (sqlite3_prepare_v2(src->get(), kSqliteHasAuditLog, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    if (n != 1) return InvalidArgument("不是 KeyProject 的备份 (not a KeyProject backup): " + file, "file");
  }
  if (url.path.find(fs::path::preferred_separator) != std::string::npos) {
    fs::path parent = fs::path(url.path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
  }
  auto dest = OpenSqlite(url.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest.ok()) return dest.status();
  auto full = NonEmptySqliteTables(dest->get());
  if (!full.ok()) return full.status();
  if (!full->empty()) {
    return Conflict("目标数据库不是空的 (the target database is not empty: table " + full->front() + " has rows)");
  }
  return CopySqlite(src->get(), dest->get(), file);
}

// ---- PostgreSQL --------------------------------------------------------------------------------
// The newest installed PostgreSQL's tool (pg_dump must not be older than the server), else PATH.
std::string PgTool(const std::string& name) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(kPgToolDirs, ec)) {
    fs::path p = dir.path() / "bin" / name;
    if (fs::exists(p)) found.push_back(p);
  }
  if (found.empty()) return name;
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    auto major = [](const fs::path& p) { return std::atoi(p.parent_path().parent_path().filename().c_str()); };
    return major(a) < major(b);
  });
  return found.back().string();
}

// The SOCI connection string split in two: libpq conninfo without the password, and the password
// (handed to the tools in PGPASSWORD, not on a command line that `ps` shows).
struct PgConn {
  std::string conninfo, password;
};
PgConn SplitPassword(const std::string& connect) {
  PgConn out;
  size_t i = 0;
  while (i < connect.size()) {
    size_t j = connect.find(' ', i);
    if (j == std::string::npos) j = connect.size();
    std::string kv = connect.substr(i, j - i);
    if (kv.starts_with("password=")) {
      out.password = kv.substr(9);
    } else if (!kv.empty()) {
      out.conninfo += (out.conninfo.empty() ? "" : " ") + kv;
    }
    i = j + 1;
  }
  return out;
}

// Runs a tool to completion; its stderr comes back in the error.
Status RunTool(const std::vector<std::string>& args, const std::string& password) {
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with("PGPASSWORD=")) env_text.emplace_back(*e);
  }
  if (!password.empty()) env_text.push_back("PGPASSWORD=" + password);
  std::vector<char*> env, argv;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<std::string> args_copy = args;
  for (auto& a : args_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  int err_pipe[2];
  if (pipe(err_pipe) != 0) return Internal("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(err_pipe[1]);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = read(err_pipe[0], buf, sizeof buf)) > 0;) err.append(buf, static_cast<size_t>(n));
  close(err_pipe[0]);
  if (rc != 0) {
    return Status(ErrorCode::kUnavailable,
                  "无法运行 (cannot run) " + args[0] + " (安装 PostgreSQL 客户端 / install postgresql-client)");
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Internal(fs::path(args[0]).filename().string() + " 失败 (failed): " + err);
  }
  return Status::Ok();
}

// Tables (but schema_migrations) with at least one row.
Result<std::vector<std::string>> NonEmptyPgTables(const std::string& connect) {
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(connect.c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status(ErrorCode::kUnavailable, std::string("无法连接数据库 (cannot connect): ") + PQerrorMessage(conn.get()));
  }
  auto query = [&](const std::string& q) {
    return std::unique_ptr<PGresult, void (*)(PGresult*)>(PQexec(conn.get(), q.c_str()), PQclear);
  };
  auto tables = query(kSelectPgTables);
  if (PQresultStatus(tables.get()) != PGRES_TUPLES_OK) return Internal(PQerrorMessage(conn.get()));
  std::vector<std::string> full;
  for (int i = 0; i < PQntuples(tables.get()); ++i) {
    std::string t = PQgetvalue(tables.get(), i, 0);
    auto rows = query("SELECT 1 FROM " + t + " LIMIT 1");
    if (PQresultStatus(rows.get()) == PGRES_TUPLES_OK && PQntuples(rows.get()) > 0) full.push_back(t);
  }
  return full;
}

Status BackupPg(const DbUrl& url, const std::string& file) {
  PgConn c = SplitPassword(url.connect);
  std::string partial = file + ".partial";
  fs::remove(partial);
  Status s = RunTool({PgTool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file=" + partial,
                      "--dbname=" + c.conninfo},
                     c.password);
  if (!s.ok()) {
    fs::remove(partial);
    return s;
  }
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) return Internal("无法写入 (cannot write) " + file + ": " + ec.message());
  return Status::Ok();
}

Status RestorePg(const std::string& file, const DbUrl& url) {
  auto full = NonEmptyPgTables(url.connect);
  if (!full.ok()) return full.status();
  if (!full->empty()) {
    return Conflict("目标数据库不是空的 (the target database is not empty: table " + full->front() + " has rows)");
  }
  PgConn c = SplitPassword(url.connect);
  // --clean drops the empty tables a migrate may have made; one transaction: all or nothing.
  return RunTool({PgTool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--single-transaction", "--exit-on-error", "--dbname=" + c.conninfo, file},
                 c.password);
}

}  // namespace

Status BackupDatabase(const std::string& url, const std::string& file) {
  auto parsed = ParseDbUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (file.empty()) return InvalidArgument("请用 -o 指定备份文件 (-o FILE is required)", "output");
  return parsed->postgres ? BackupPg(*parsed, file) : BackupSqlite(*parsed, file);
}

Status RestoreDatabase(const std::string& file, const std::string& url) {
  auto parsed = ParseDbUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (!fs::exists(file)) return NotFound("备份文件不存在 (no such backup file): " + file);
  bool sqlite = IsSqliteFile(file), pg = IsPgDump(file);
  if (!sqlite && !pg) return InvalidArgument("不是 KeyProject 的备份 (not a backup file): " + file, "file");
  if (parsed->postgres && !pg) {
    return InvalidArgument("这是 SQLite 备份，只能恢复到 SQLite (a SQLite backup restores into sqlite:PATH)", "file");
  }
  if (!parsed->postgres && !sqlite) {
    return InvalidArgument("这是 PostgreSQL 备份，只能恢复到 PostgreSQL (a pg_dump backup restores into postgresql://…)",
                           "file");
  }
  return parsed->postgres ? RestorePg(file, *parsed) : RestoreSqlite(file, *parsed);
}

}  // namespace kp::store
