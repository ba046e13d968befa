#pragma once
// Test databases: a fresh SQLite file per test, and a PostgreSQL database of the test process's
// own on the server that `make test` starts (KP_TEST_PG_URL), emptied before each test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "domain/register.h"
#include "pg_test_database.h"
#include "store/store.h"

namespace kp::testing {

// This process's own database on the PostgreSQL server `make test` starts (KP_TEST_PG_URL).
inline std::string PgUrl() { return PgTestDatabase::Url(); }

inline std::string FreshSqlitePath() {
  static int n = 0;
  auto dir = std::filesystem::temp_directory_path() / ("kp-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / ("t" + std::to_string(++n) + ".db");
  std::filesystem::remove(path);
  return path.string();
}

// Param: "sqlite" or "postgresql".
class DbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgresql") {
      url = PgUrl();
      if (url.empty() && !std::getenv("KP_ALLOW_NO_PG")) FAIL() << "no PostgreSQL: run the tests through scripts/with-postgres.sh (make test does), or set KP_ALLOW_NO_PG=1 to skip its cases";
      if (url.empty()) GTEST_SKIP() << "KP_TEST_PG_URL not set (make test sets it)";
    } else {
      url = FreshSqlitePath();
    }
    url_ = url;
    auto s = store::Store::Open(url);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
    ASSERT_TRUE(store_->Truncate().ok());
    reg_ = std::make_unique<Register>(*store_, engine_);
    ASSERT_TRUE(reg_->LoadStats().ok());
  }
  std::string url_;  // the database, for a second process's store
  std::unique_ptr<store::Store> store_;
  stats::StatsEngine engine_;
  std::unique_ptr<Register> reg_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace kp::testing
