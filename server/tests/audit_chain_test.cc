// The tamper-evident audit log on SQLite and PostgreSQL: appends form one chain, also from two
// stores writing at once; a row changed, deleted or swapped directly in the database is found.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "store/audit_chain.h"
#include "test_db.h"

namespace kp {
namespace {

class AuditChainTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = testing::PgUrl();
      if (url_.empty() && !std::getenv("KP_ALLOW_NO_PG")) FAIL() << "no PostgreSQL: run the tests through scripts/with-postgres.sh (make test does), or set KP_ALLOW_NO_PG=1 to skip its cases";
      if (url_.empty()) GTEST_SKIP() << "KP_TEST_PG_URL not set (make test sets it)";
    } else {
      url_ = testing::FreshSqlitePath();
    }
    store_ = OpenStore();
    ASSERT_TRUE(store_->Truncate().ok());
  }

  std::unique_ptr<store::Store> OpenStore() {
    auto s = store::Store::Open(url_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE((*s)->Migrate().ok());
    return std::move(*s);
  }

  // A raw session, to tamper with the log behind the store's back.
  std::unique_ptr<soci::session> Raw() {
    auto parsed = store::ParseDbUrl(url_);
    return std::make_unique<soci::session>(parsed->postgres ? "postgresql" : "sqlite3", parsed->connect);
  }

  void Append(store::Store& s, int i) {
    AuditEntry e;
    e.actor = "tester";
    e.ip = "10.0.0." + std::to_string(i % 250);
    e.action = "update";
    e.entity = "project";
    e.entity_id = std::to_string(i);
    e.before_json = R"({"name":"旧名称"})";
    if (i % 3) e.after_json = R"({"name":"新名称 )" + std::to_string(i) + "\"}";
    ASSERT_TRUE(s.AppendAudit(e).ok());
  }

  std::vector<int64_t> Ids() {
    std::vector<int64_t> ids;
    store::AuditChainHead head;
    EXPECT_TRUE(store_->ScanAuditChain([&](const AuditEntry& e, const std::string&) { ids.push_back(e.id); }, &head).ok());
    return ids;
  }

  store::AuditVerification Verify() {
    auto v = store::VerifyAuditChain(*store_);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : store::AuditVerification{};
  }

  std::string url_;
  std::unique_ptr<store::Store> store_;
};

TEST(AuditEntryHash, DependsOnThePreviousHashAndEveryField) {
  AuditEntry e;
  e.at = "2024-03-01T10:00:00Z";
  e.actor = "admin";
  e.action = "update";
  e.entity = "project";
  e.entity_id = "7";
  e.before_json = "{}";
  std::string h = store::AuditEntryHash("", e);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, store::AuditEntryHash("", e));
  EXPECT_NE(h, store::AuditEntryHash(h, e));
  AuditEntry moved = e;
  moved.actor = "admi";
  moved.ip = "n";  // the same bytes joined, in other fields
  EXPECT_NE(h, store::AuditEntryHash("", moved));
  AuditEntry no_before = e;
  no_before.before_json = std::nullopt;
  AuditEntry empty_before = e;
  empty_before.before_json = "";
  EXPECT_NE(store::AuditEntryHash("", no_before), store::AuditEntryHash("", empty_before));
}

TEST_P(AuditChainTest, AnEmptyLogAndAppendedEntriesAreIntact) {
  EXPECT_TRUE(Verify().intact);
  for (int i = 0; i < 20; ++i) Append(*store_, i);
  auto v = Verify();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.entries, 20);
  EXPECT_EQ(v.last_hash.size(), 64u);
}

TEST_P(AuditChainTest, TwoStoresWritingAtOnceKeepOneChain) {
  auto other = OpenStore();
  std::thread a([&] { for (int i = 0; i < 60; ++i) Append(*store_, i); });
  std::thread b([&] { for (int i = 0; i < 60; ++i) Append(*other, 100 + i); });
  a.join();
  b.join();
  auto v = Verify();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.entries, 120);
}

TEST_P(AuditChainTest, AChangedRowIsTheFirstBadEntry) {
  for (int i = 0; i < 10; ++i) Append(*store_, i);
  auto ids = Ids();
  *Raw() << "UPDATE audit_log SET actor = 'someone-else' WHERE id = " + std::to_string(ids[4]);
  auto v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_id, ids[4]);
  EXPECT_EQ(v.entries, 4);
}

TEST_P(AuditChainTest, ADeletedRowMakesTheNextOneBad) {
  for (int i = 0; i < 10; ++i) Append(*store_, i);
  auto ids = Ids();
  *Raw() << "DELETE FROM audit_log WHERE id = " + std::to_string(ids[6]);
  auto v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_id, ids[7]);
}

TEST_P(AuditChainTest, SwappedRowsAreFoundAtTheFirstOfThem) {
  for (int i = 0; i < 10; ++i) Append(*store_, i);
  auto ids = Ids();
  std::string a = std::to_string(ids[2]), b = std::to_string(ids[5]);
  auto raw = Raw();
  *raw << "UPDATE audit_log SET id = -1 WHERE id = " + a;
  *raw << "UPDATE audit_log SET id = " + a + " WHERE id = " + b;
  *raw << "UPDATE audit_log SET id = " + b + " WHERE id = -1";
  auto v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_id, ids[2]);
}

TEST_P(AuditChainTest, DeletingTheLastRowsDisagreesWithTheHead) {
  for (int i = 0; i < 10; ++i) Append(*store_, i);
  auto ids = Ids();
  *Raw() << "DELETE FROM audit_log WHERE id >= " + std::to_string(ids[8]);
  auto v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_id, 0);
  EXPECT_NE(v.reason.find("last id " + std::to_string(ids[9])), std::string::npos) << v.reason;
}

TEST_P(AuditChainTest, EntriesWrittenBeforeTheChainAreHashedByTheMigration) {
  for (int i = 0; i < 5; ++i) Append(*store_, i);
  {
    auto raw = Raw();  // back to schema version 3: no hash column, no head, none of the later tables
    for (const char* later : {"notifications", "webhooks", "jobs"}) *raw << std::string("DROP TABLE ") + later;
    *raw << "DROP TABLE project_nodes";
    *raw << "DROP TABLE node_templates";
    *raw << "DROP TABLE audit_chain";
    *raw << "ALTER TABLE audit_log DROP COLUMN hash";
    *raw << "DELETE FROM schema_migrations WHERE version >= " + std::to_string(store::kAuditChainMigration);
  }
  store_.reset();
  store_ = OpenStore();
  auto v = Verify();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.entries, 5);
  Append(*store_, 5);
  EXPECT_EQ(Verify().entries, 6);
  EXPECT_TRUE(Verify().intact);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
