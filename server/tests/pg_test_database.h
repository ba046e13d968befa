#pragma once
// A PostgreSQL database of this test process's own, on the server KP_TEST_PG_URL names
// (scripts/with-postgres.sh starts one), so tests run in parallel (`ctest -j2`: one process per
// test) without seeing each other's rows. Created on first use with psql, dropped when the process
// ends (WITH (FORCE): a server a failed test left behind does not keep it).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace kp::testing {

class PgTestDatabase {
 public:
  // The URL of this process's database, or "" when KP_TEST_PG_URL is unset.
  static const std::string& Url() {
    static PgTestDatabase db;
    return db.url_;
  }

 private:
  PgTestDatabase() {
    const char* base = std::getenv("KP_TEST_PG_URL");
    if (!base || !*base) return;
    base_ = base;
    name_ = "kp_t_" + std::to_string(::getpid());
    // A database left by an earlier process with the same id is dropped first.
    int code = Psql("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)") | Psql("CREATE DATABASE " + name_);
    if (code != 0) std::fprintf(stderr, "pg_test_database: could not create %s on %s\n", name_.c_str(), base);
    const size_t slash = base_.rfind('/');
    const size_t query = base_.find('?', slash);
    url_ = base_.substr(0, slash + 1) + name_ + (query == std::string::npos ? "" : base_.substr(query));
  }
  ~PgTestDatabase() {
    if (!name_.empty()) Psql("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  int Psql(const std::string& sql) const {
    std::string cmd = "psql -q -v ON_ERROR_STOP=1 '" + base_ + "' -c '" + sql + "' >/dev/null 2>&1";
    return std::system(cmd.c_str());
  }

  std::string base_, name_, url_;
};

}  // namespace kp::testing
