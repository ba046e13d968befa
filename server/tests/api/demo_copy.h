#pragma once
// The demo database, built once per binary and backend and copied for each test that starts from it.
//
// `demo --reset` hashes ten random passwords (Argon2id: a fifth of a second of CPU and 64 MiB each) and
// writes a county's projects, reports, nodes, problems and photos: about 3 s on SQLite and 6 s on
// PostgreSQL, paid by each of the ~140 API cases before this. The first test process that needs the demo
// builds it under a file lock, in a folder named by the binary's size and modification time (a rebuilt
// binary builds a new one); every test then takes a copy: the SQLite file and the photos' blobs/ folder
// beside it, or on PostgreSQL a database created from it as a template (its photos are in ./data/blobs,
// where the demo that built it put them, as before). A copy holds the same rows and the same random
// passwords as the demo that built it (its logins file is copied too): what a fresh `demo --reset` writes.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "http_client.h"

namespace kp::testing {

class DemoCopy {
 public:
  // Loads the demo into `db` (a SQLite path, or this process's PostgreSQL database URL) and writes its
  // logins (login TAB password TAB role, readable by the owner only) to `logins_out`. "" or what failed.
  static std::string Load(const std::string& bin, const std::string& db, const std::string& logins_out) {
    DemoCopy c(bin);
    if (!c.error_.empty()) return c.error_;
    return db.rfind("postgresql://", 0) == 0 ? c.LoadPostgres(db, logins_out) : c.LoadSqlite(db, logins_out);
  }

 private:
  explicit DemoCopy(const std::string& bin) : bin_(bin) {
    struct stat st {};
    if (::stat(bin.c_str(), &st) != 0) {
      error_ = "no binary at " + bin;
      return;
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("kp-demo-" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "-" +
            std::to_string(st.st_mtim.tv_nsec));
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    lock_ = ::open((dir_ / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_ < 0 || ::flock(lock_, LOCK_EX) != 0) error_ = "cannot lock " + (dir_ / "lock").string();
  }
  ~DemoCopy() {
    if (lock_ >= 0) ::close(lock_);  // releases the lock
  }
  DemoCopy(const DemoCopy&) = delete;
  DemoCopy& operator=(const DemoCopy&) = delete;

  static bool CopyLogins(const std::filesystem::path& from, const std::string& to) {
    std::error_code ec;
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return false;
    std::filesystem::permissions(to, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    return !ec;
  }

  std::string LoadSqlite(const std::string& db, const std::string& logins_out) {
    const auto built = dir_ / "demo.db", logins = dir_ / "demo.logins";
    if (!std::filesystem::exists(built) || !std::filesystem::exists(logins)) {
      const auto tmp = dir_ / "build.db", tmp_logins = dir_ / "build.logins";
      for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(tmp.string() + ext);
      auto [code, out] = RunCommand(bin_ + " --db " + Quote(tmp.string()) + " demo --reset --logins-out " +
                                    Quote(tmp_logins.string()) + " 2>&1");
      if (code != 0) return "demo: " + out;
      // The demo's process has closed the database: its WAL is checkpointed into the file and removed.
      if (std::filesystem::exists(tmp.string() + "-wal")) return "demo left a WAL file beside " + tmp.string();
      std::filesystem::rename(tmp_logins, logins);
      std::filesystem::rename(tmp, built);  // last: the file's presence says the demo is whole
    }
    for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + ext);
    std::error_code ec;
    std::filesystem::copy_file(built, db, ec);
    if (ec) return "copy " + built.string() + ": " + ec.message();
    std::filesystem::permissions(db, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    // The demo's photos are files in a blobs/ folder beside a SQLite database (named by their SHA-256).
    const auto blobs = dir_ / "blobs";
    if (std::filesystem::exists(blobs)) {
      const auto parent = std::filesystem::path(db).parent_path();
      std::filesystem::copy(blobs, (parent.empty() ? std::filesystem::path(".") : parent) / "blobs",
                            std::filesystem::copy_options::recursive | std::filesystem::copy_options::skip_existing, ec);
      if (ec) return "copy " + blobs.string() + ": " + ec.message();
    }
    return CopyLogins(logins, logins_out) ? "" : "copy " + logins.string();
  }

  static std::string Quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  }

  // psql on the server's maintenance database (KP_TEST_PG_URL): its exit code and output.
  static std::pair<int, std::string> Psql(const std::string& base, const std::string& sql) {
    return RunCommand("psql -qtA -v ON_ERROR_STOP=1 " + Quote(base) + " -c " + Quote(sql) + " 2>&1");
  }

  std::string LoadPostgres(const std::string& db, const std::string& logins_out) {
    const char* env = std::getenv("KP_TEST_PG_URL");
    if (!env || !*env) return "KP_TEST_PG_URL is not set";
    const std::string base = env;
    const size_t slash = db.rfind('/');
    const std::string name = db.substr(slash + 1, db.find('?', slash) - slash - 1);
    // One template per binary and server (the server part of the URL names it: a new throwaway server, a new demo).
    const std::string server = base.substr(0, base.rfind('/'));
    const std::string tmpl = "kp_demo_" + std::to_string(std::hash<std::string>{}(dir_.string() + server) % 1000000000);
    const auto logins = dir_ / (tmpl + ".logins");
    auto [c0, exists] = Psql(base, "SELECT count(*) FROM pg_database WHERE datname = '" + tmpl + "'");
    if (c0 != 0) return "psql: " + exists;
    if (exists.rfind("1", 0) != 0 || !std::filesystem::exists(logins)) {
      const std::string building = tmpl + "_build";
      auto [c1, o1] = Psql(base, "DROP DATABASE IF EXISTS " + tmpl + " WITH (FORCE)");
      auto [c2, o2] = Psql(base, "DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
      auto [c3, o3] = Psql(base, "CREATE DATABASE " + building);
      if (c1 | c2 | c3) return "psql: " + o1 + o2 + o3;
      const auto tmp_logins = dir_ / (tmpl + ".build.logins");
      auto [code, out] = RunCommand(bin_ + " --db " + Quote(server + "/" + building) + " demo --reset --logins-out " +
                                    Quote(tmp_logins.string()) + " 2>&1");
      if (code != 0) return "demo: " + out;
      auto [c4, o4] = Psql(base, "ALTER DATABASE " + building + " RENAME TO " + tmpl);
      if (c4 != 0) return "psql: " + o4;
      std::filesystem::rename(tmp_logins, logins);
    }
    auto [c5, o5] = Psql(base, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    auto [c6, o6] = Psql(base, "CREATE DATABASE " + name + " TEMPLATE " + tmpl);
    if (c5 | c6) return "psql: " + o5 + o6;
    return CopyLogins(logins, logins_out) ? "" : "copy " + logins.string();
  }

  std::string bin_, error_;
  std::filesystem::path dir_;
  int lock_ = -1;
};

}  // namespace kp::testing
