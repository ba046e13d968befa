// The store suite: the same tests on SQLite and on PostgreSQL.
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <set>
#include <filesystem>
#include <thread>

#include "domain/demo_data.h"
#include "domain/redblack.h"
#include "http/request.h"
#include "store/db.h"
#include "stats/redblack.h"
#include "stats/stats_json.h"
#include "test_db.h"

namespace kp {
namespace {

using testing::DbTest;

Project NewProject(const std::string& code, Level level = Level::kMunicipal) {
  Project p;
  p.code = code;
  p.name = "项目" + code;
  p.level = level;
  p.industry = "制造";
  p.owner = "业主甲";
  p.unit = "县发展和改革局";
  p.status = "在建";
  p.total_investment = Money::FromWan(10000);
  return p;
}

TEST_P(DbTest, CreatesReadsUpdatesAndDeletesAProjectWithHistory) {
  auto created = reg_->CreateProject(NewProject("A-1"), "tester");
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->version, 1);
  Project edit = *created;
  edit.name = "改名后的项目";
  edit.total_investment = Money(123'456'789);
  auto updated = reg_->UpdateProject(edit, "tester2");
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->name, "改名后的项目");
  EXPECT_EQ(updated->total_investment.yuan, 123'456'789);
  auto history = reg_->History(created->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "create");
  EXPECT_EQ((*history)[1].action, "update");
  EXPECT_EQ((*history)[1].changed_by, "tester2");
  EXPECT_NE((*history)[1].changes.find("改名后的项目"), std::string::npos);
  EXPECT_NE((*history)[1].changes.find("12345.6789"), std::string::npos);
  ASSERT_TRUE(reg_->DeleteProject(created->id, 2, "tester").ok());
  EXPECT_EQ(reg_->GetProject(created->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(reg_->History(created->id)->size(), 3u);
}

// A second process (a long CLI import) holding the write lock: a write here answers "busy" (503 with
// Retry-After and a Chinese message), not an internal error, and succeeds once the lock is let go.
TEST_P(DbTest, AWriteWhileAnotherConnectionHoldsTheLockIsBusyNotAnError) {
  auto parsed = store::ParseDbUrl(url_);
  ASSERT_TRUE(parsed.ok());
  soci::session other(parsed->postgres ? "postgresql" : "sqlite3", parsed->connect);
  // Wait briefly instead of the product's 10 s, on this store's own connection.
  ASSERT_TRUE(store_->db().Read([&](soci::session& sql) {
    sql << (parsed->postgres ? "SET lock_timeout = '200ms'" : "PRAGMA busy_timeout=200");
    return Status::Ok();
  }).ok());
  if (parsed->postgres) {
    other << "BEGIN";
    other << "SELECT pg_advisory_xact_lock(7342001)";  // the writers' lock (store/soci_store.cc)
  } else {
    other << "BEGIN IMMEDIATE";
  }
  auto held = store_->CreateProject(NewProject("BUSY-1"), "t");
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().code(), ErrorCode::kBusy) << held.status().message();
  http::Response r = http::ErrorResponse(held.status());
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("数据库正忙"), std::string::npos) << r.body;
  bool retry_after = false;
  for (const auto& [k, v] : r.headers) retry_after = retry_after || (k == "Retry-After" && std::stoi(v) > 0);
  EXPECT_TRUE(retry_after);
  other << "ROLLBACK";
  auto free = store_->CreateProject(NewProject("BUSY-1"), "t");
  EXPECT_TRUE(free.ok()) << free.status().message();
}

TEST_P(DbTest, RefusesASaveBasedOnAStaleVersion) {
  auto created = reg_->CreateProject(NewProject("A-2"), "a");
  ASSERT_TRUE(created.ok());
  Project first = *created, second = *created;
  first.name = "第一人的修改";
  second.name = "第二人的修改";
  ASSERT_TRUE(reg_->UpdateProject(first, "a").ok());
  auto r = reg_->UpdateProject(second, "b");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(reg_->GetProject(created->id)->name, "第一人的修改");
}

TEST_P(DbTest, RefusesADuplicateCodeAndInvalidFields) {
  ASSERT_TRUE(reg_->CreateProject(NewProject("A-3"), "a").ok());
  EXPECT_EQ(reg_->CreateProject(NewProject("A-3"), "a").status().code(), ErrorCode::kAlreadyExists);
  Project bad = NewProject("A-4");
  bad.name = "";
  auto r = reg_->CreateProject(bad, "a");
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "name");
  bad = NewProject("A-5");
  bad.status = "乱填";
  EXPECT_EQ(reg_->CreateProject(bad, "a").status().field(), "status");
}

TEST_P(DbTest, PlanRevisionKeepsThePreviousValue) {
  auto p = reg_->CreateProject(NewProject("B-1"), "a");
  ASSERT_TRUE(reg_->SetPlan(p->id, 2024, Money::FromWan(1000), "a").ok());
  ASSERT_TRUE(reg_->SetPlan(p->id, 2024, Money::FromWan(1200), "b").ok());
  auto plans = reg_->Plans(p->id);
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].plan, Money::FromWan(1200));
  auto revs = reg_->PlanRevisions(p->id);
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_FALSE((*revs)[0].old_plan.has_value());
  EXPECT_EQ(*(*revs)[1].old_plan, Money::FromWan(1000));
  EXPECT_EQ((*revs)[1].changed_by, "b");
}

TEST_P(DbTest, ResubmittedMonthReplacesTheOldOneAndKeepsItsTrail) {
  auto p = reg_->CreateProject(NewProject("C-1"), "a");
  ASSERT_TRUE(reg_->SetPlan(p->id, 2024, Money::FromWan(1000), "a").ok());
  MonthlyReport r;
  r.project_id = p->id;
  r.month = {2024, 3};
  r.completed = Money::FromWan(100);
  r.progress = "基础施工";
  ASSERT_TRUE(reg_->SubmitReport(r, "owner").ok());
  r.completed = Money::FromWan(150);
  r.progress = "主体施工";
  ASSERT_TRUE(reg_->SubmitReport(r, "owner").ok());
  auto reports = reg_->Reports(p->id);
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].completed, Money::FromWan(150));
  auto revs = reg_->ReportRevisions(p->id);
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ((*revs)[0].old_completed, Money::FromWan(100));
  EXPECT_EQ((*revs)[0].old_progress, "基础施工");
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  EXPECT_EQ(reg_->Stats(q).total.completed, Money::FromWan(150));
  // The cache agrees with a rebuild from the database.
  ASSERT_TRUE(reg_->LoadStats().ok());
  EXPECT_EQ(reg_->Stats(q).total.completed, Money::FromWan(150));
}

TEST_P(DbTest, ListsProjectsWithFiltersSearchSortAndPaging) {
  for (int i = 0; i < 25; ++i) {
    Project p = NewProject("L-" + std::to_string(100 + i), i % 2 ? Level::kProvincial : Level::kCounty);
    if (i == 7) p.name = "凯江河道综合治理工程";
    if (i == 8) p.owner = "中江县水务投资有限公司";
    p.is_demo = i < 3;
    ASSERT_TRUE(reg_->CreateProject(p, "a").ok());
  }
  store::ProjectQuery q;
  q.page_size = 10;
  auto page = reg_->ListProjects(q);
  EXPECT_EQ(page->total, 25);
  EXPECT_EQ(page->items.size(), 10u);
  EXPECT_EQ(page->items[0].code, "L-100");
  q.page = 3;
  EXPECT_EQ(reg_->ListProjects(q)->items.size(), 5u);
  store::ProjectQuery s;
  s.q = "河道";
  EXPECT_EQ(reg_->ListProjects(s)->total, 1);
  s.q = "水务";
  EXPECT_EQ(reg_->ListProjects(s)->total, 1);
  s.q = "100%";
  EXPECT_EQ(reg_->ListProjects(s)->total, 0);  // % is literal
  store::ProjectQuery f;
  f.levels = {Level::kProvincial};
  EXPECT_EQ(reg_->ListProjects(f)->total, 12);
  f.demo = true;
  EXPECT_EQ(reg_->ListProjects(f)->total, 1);
  store::ProjectQuery sorted;
  sorted.sort = "code";
  sorted.desc = true;
  EXPECT_EQ(reg_->ListProjects(sorted)->items[0].code, "L-124");
}

// ---- CSV imports -------------------------------------------------------------------------

const char* kProjectsCsv =
    "项目编码,项目名称,项目级别,建设性质,所属行业,所在地区,总投资(万元),计划年度,年度计划投资(万元),项目业主,责任单位,"
    "责任人,包抓领导,示范项目,项目状态,计划开工日期,计划竣工日期,建设内容\n"
    "P-001,一号项目,省重点,新建,制造,甲镇,50000,2024,1000.5,业主A,县经信局,张三,李县长,是,在建,2024-01-01,2025-12-31,厂房\n"
    "P-002,二号项目,市重点,改扩建,水利,乙镇,30000,2024,3000,业主B,县水利局,王五,,否,续建,2023/6/1,2026年6月30日,\"渠道, 泵站\"\n";

const char* kReportsCsv =
    "项目编码,填报月份,本月完成投资(万元),形象进度,存在问题\n"
    "P-001,2024-01,100.25,场平,\n"
    "P-001,2024年2月,200,基础,\n"
    "P-002,2024/3,600,主体,用地指标\n";

struct Fingerprint {
  size_t regions, projects, plans, reports;
  int64_t plan_sum, report_sum;
  bool operator==(const Fingerprint&) const = default;
};

Fingerprint Print(store::Store& s) {
  auto src = s.LoadStatsSource();
  EXPECT_TRUE(src.ok());
  Fingerprint f{src->regions.size(), src->projects.size(), src->plans.size(), src->reports.size(), 0, 0};
  for (const auto& p : src->plans) f.plan_sum += p.plan.yuan;
  for (const auto& r : src->reports) f.report_sum += r.completed.yuan;
  return f;
}

TEST_P(DbTest, ImportsProjectsAndReportsFromCsv) {
  ASSERT_TRUE(reg_->CreateRegion(std::nullopt, "本县", "", "test").ok());
  auto out = reg_->ImportProjectsFile(kProjectsCsv, "cli");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_TRUE(out->ok()) << FormatImportError(out->parsed.errors[0]);
  EXPECT_EQ(out->summary.projects_created, 2);
  EXPECT_EQ(out->summary.plans_written, 2);
  EXPECT_EQ(out->summary.regions_created, (std::vector<std::string>{"甲镇", "乙镇"}));
  auto reports = reg_->ImportReportsFile(kReportsCsv, "cli");
  ASSERT_TRUE(reports.ok());
  ASSERT_TRUE(reports->ok()) << FormatImportError(reports->parsed.errors[0]);
  EXPECT_EQ(reports->summary.reports_created, 3);
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  auto r = reg_->Stats(q);
  EXPECT_EQ(r.total.projects, 2);
  EXPECT_EQ(r.total.plan.yuan, 40'005'000);
  EXPECT_EQ(r.total.completed.yuan, 9'002'500);
  store::ProjectQuery all;
  auto page = reg_->ListProjects(all);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].content, "渠道, 泵站");
  EXPECT_EQ(page->items[1].planned_end->ToString(), "2026-06-30");
  EXPECT_EQ(page->items[0].region_name, "甲镇");
  EXPECT_TRUE(page->items[0].is_demo);
}

TEST_P(DbTest, RegionsResolveByPathAndAmbiguousNamesAreRefused) {
  auto county_a = reg_->CreateRegion(std::nullopt, "甲县", "", "t");
  auto county_b = reg_->CreateRegion(std::nullopt, "乙县", "", "t");
  auto town_a = reg_->CreateRegion(county_a->id, "城关镇", "", "t");
  auto town_b = reg_->CreateRegion(county_b->id, "城关镇", "", "t");
  ASSERT_TRUE(town_a.ok() && town_b.ok());
  const std::string head = "项目编码,项目名称,项目级别,所在地区\n";
  auto ambiguous = reg_->ImportProjectsFile(head + "R-1,甲,县重点,城关镇\n", "t");
  ASSERT_FALSE(ambiguous->ok());
  EXPECT_EQ(ambiguous->parsed.errors[0].row, 2);
  EXPECT_EQ(ambiguous->parsed.errors[0].col, 3);
  EXPECT_NE(ambiguous->parsed.errors[0].reason.find("乙县/城关镇"), std::string::npos);
  auto by_path = reg_->ImportProjectsFile(head + "R-1,甲,县重点,乙县/城关镇\nR-2,乙,县重点,甲县／新设镇\n", "t");
  ASSERT_TRUE(by_path->ok()) << FormatImportError(by_path->parsed.errors[0]);
  store::ProjectQuery q;
  auto page = reg_->ListProjects(q);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].region_id, town_b->id);
  EXPECT_EQ(page->items[1].region_name, "新设镇");
  auto regions = reg_->Regions();
  for (const Region& r : *regions) {
    if (r.name == "新设镇") {
      EXPECT_EQ(r.parent_id, county_a->id);
    }
  }
}

TEST_P(DbTest, ImportingTheSameFilesTwiceLeavesTheSameFigures) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  Fingerprint before = Print(*store_);
  auto again = reg_->ImportProjectsFile(kProjectsCsv, "cli");
  ASSERT_TRUE(again->ok());
  EXPECT_EQ(again->summary.projects_unchanged, 2);
  EXPECT_EQ(again->summary.plans_written, 0);
  auto reports = reg_->ImportReportsFile(kReportsCsv, "cli");
  EXPECT_EQ(reports->summary.reports_unchanged, 3);
  EXPECT_EQ(Print(*store_), before);
}

// The figures of `a` equal `b`'s for every grouping of a few months of 2024.
void ExpectSameStats(Register& a, Register& b, const std::string& when) {
  for (int month : {1, 2, 3, 12}) {
    stats::StatsQuery q;
    q.year = 2024;
    q.month = month;
    for (auto by : {stats::GroupBy::kNone, stats::GroupBy::kLevel, stats::GroupBy::kRegion, stats::GroupBy::kProject}) {
      q.by = by;
      EXPECT_EQ(boost::json::serialize(stats::StatsResultToJson(a.Stats(q))),
                boost::json::serialize(stats::StatsResultToJson(b.Stats(q))))
          << when << ": month " << month << " by " << stats::GroupByName(by);
    }
  }
}

// A publication freezes the database's figures, not a server's cache behind it: another server whose
// register has not yet followed the change log publishes the list a fresh register computes. A period not
// yet over is refused naming its field, and nothing is numbered.
TEST_P(DbTest, APublicationTakesInOtherServersWritesFirst) {
  auto other_store = store::Store::Open(url_);
  ASSERT_TRUE(other_store.ok()) << other_store.status().message();
  stats::StatsEngine other_engine;
  Register other(**other_store, other_engine);
  ASSERT_TRUE(other.LoadStats().ok());  // before the rows below exist
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());

  RedBlackQuestion q;
  q.year = 2024;
  q.month = 3;
  q.by = stats::GroupBy::kProject;
  q.red = 1;
  q.black = 1;
  RedBlackLists lists(other);
  auto p = lists.Publish(q, Actor{"admin"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  boost::json::value frozen = boost::json::parse(p->list);
  stats::StatsQuery sq;
  sq.year = 2024;
  sq.month = 3;
  sq.by = stats::GroupBy::kProject;
  RedBlackLists fresh(*reg_);
  auto live = fresh.Lists(sq, 1, 1);
  ASSERT_TRUE(live.ok());
  const boost::json::object want = stats::RedBlackToJson(*live, true);
  // P-001: 300.25 of 1000.5 万元 = 30.01 % ≥ 25 %, first: red; P-002: 600 of 3000 = 20 %, last: black.
  ASSERT_EQ(frozen.at("red").as_array().size(), 1u);
  EXPECT_EQ(frozen.at("red").at(0).at("key").as_string(), "P-001");
  ASSERT_EQ(frozen.at("black").as_array().size(), 1u);
  EXPECT_EQ(frozen.at("black").at(0).at("key").as_string(), "P-002");
  EXPECT_EQ(boost::json::serialize(frozen.at("red")), boost::json::serialize(want.at("red")));
  EXPECT_EQ(boost::json::serialize(frozen.at("black")), boost::json::serialize(want.at("black")));

  // This month is not over: refused naming the month; a quarter not over names the quarter.
  const Date today = TodayBeijing();
  RedBlackQuestion now = q;
  now.year = today.year;
  now.month = today.month;
  auto early = lists.Publish(now, Actor{"admin"});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().field(), "month") << early.status().message();
  now.kind = "quarterly";
  now.quarter = (today.month + 2) / 3;
  now.month = now.quarter * 3;
  early = lists.Publish(now, Actor{"admin"});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().field(), "quarter") << early.status().message();
  EXPECT_EQ(lists.Published()->size(), 1u);
}

// A setting is written only over the value it was read as: the audit entry's `before` is what the write
// replaced even when another writer came between the read and the write.
TEST_P(DbTest, ASettingIsWrittenOnlyOverWhatWasRead) {
  AuditEntry e;
  e.actor = "admin";
  e.action = "update";
  e.entity = "test_setting";
  ASSERT_TRUE(store_->SetSettingIf("test_setting", std::nullopt, "1", e).ok());
  EXPECT_EQ(store_->SetSettingIf("test_setting", std::nullopt, "2", e).code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->SetSettingIf("test_setting", std::string("0"), "2", e).code(), ErrorCode::kConflict);
  EXPECT_EQ(**store_->GetSetting("test_setting"), "1");
  ASSERT_TRUE(store_->SetSettingIf("test_setting", std::string("1"), "2", e).ok());
  EXPECT_EQ(**store_->GetSetting("test_setting"), "2");
  // Through the red/black rule: two servers save in turn; each entry's before is the entry before's after.
  auto other_store = store::Store::Open(url_);
  ASSERT_TRUE(other_store.ok());
  stats::StatsEngine other_engine;
  Register other(**other_store, other_engine);
  RedBlackLists a(*reg_), b(other);
  for (int n = 1; n <= 4; ++n) {
    stats::RedBlackRule r;
    r.red_n = n;
    ASSERT_TRUE((n % 2 ? a : b).SaveRule(r, Actor{"admin"}).ok());
  }
  store::AuditQuery aq;
  aq.entity = "redblack_rule";
  auto log = store_->ListAudit(aq);
  ASSERT_TRUE(log.ok());
  std::vector<AuditEntry> entries = log->items;
  ASSERT_EQ(entries.size(), 4u);
  std::sort(entries.begin(), entries.end(), [](const AuditEntry& x, const AuditEntry& y) { return x.id < y.id; });
  EXPECT_EQ(entries[0].before_json.value_or(""), boost::json::serialize(stats::RedBlackRuleToJson(stats::RedBlackRule{})));
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].before_json.value_or("?"), entries[i - 1].after_json.value_or("")) << i;
  }
  EXPECT_NE(entries[3].after_json->find("\"red\":4"), std::string::npos) << *entries[3].after_json;
  // The general settings (several keys) likewise.
  for (int n = 1; n <= 4; ++n) {
    Register& r = n % 2 ? *reg_ : other;
    auto st = r.GetSettings();
    ASSERT_TRUE(st.ok());
    st->reminder_hour = n;
    ASSERT_TRUE(r.SaveSettings(*st, Actor{"admin"}).ok());
  }
  aq.entity = "settings";
  entries = store_->ListAudit(aq)->items;
  ASSERT_EQ(entries.size(), 4u);
  std::sort(entries.begin(), entries.end(), [](const AuditEntry& x, const AuditEntry& y) { return x.id < y.id; });
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].before_json.value_or("?"), entries[i - 1].after_json.value_or("")) << i;
  }
  EXPECT_NE(entries[3].after_json->find("\"reminder_hour\":4"), std::string::npos) << *entries[3].after_json;
}

const Region* RegionNamed(const std::vector<Region>& regions, const std::string& name) {
  for (const Region& r : regions) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// Regions are renamed, merged and retired, each in one audited transaction; this server's figures
// and those of another server following the change log equal a rebuild from the database.
TEST_P(DbTest, RegionsAreRenamedMergedAndRetiredAndTheFiguresFollow) {
  auto other_store = store::Store::Open(url_);
  ASSERT_TRUE(other_store.ok()) << other_store.status().message();
  stats::StatsEngine other_engine;
  Register other(**other_store, other_engine);
  ASSERT_TRUE(other.LoadStats().ok());
  auto rebuilt = [&](const std::string& when) {
    stats::StatsEngine fresh_engine;
    Register fresh(*store_, fresh_engine);
    ASSERT_TRUE(fresh.LoadStats().ok());
    ExpectSameStats(*reg_, fresh, when);
    ASSERT_TRUE(other.FollowChanges().ok());
    ExpectSameStats(other, fresh, when + " (another server)");
  };

  auto county = reg_->CreateRegion(std::nullopt, "本县", "", "t");
  ASSERT_TRUE(county.ok());
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  auto regions = reg_->Regions();
  const int64_t jia = RegionNamed(*regions, "甲镇")->id, yi = RegionNamed(*regions, "乙镇")->id;
  auto village = reg_->CreateRegion(jia, "东村", "", "t");
  auto bing = reg_->CreateRegion(county->id, "丙镇", "", "t");
  ASSERT_TRUE(village.ok() && bing.ok());
  store::ProjectQuery by_code;
  by_code.q = "P-001";
  const Project p1 = reg_->ListProjects(by_code)->items.at(0);
  rebuilt("before");

  // Rename: the name is trimmed, siblings' names in use are refused, the field is named.
  auto renamed = reg_->RenameRegion(jia, " 甲镇街道 ", "510001", Actor{"admin"});
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(renamed->name, "甲镇街道");
  EXPECT_EQ(renamed->code, "510001");
  EXPECT_EQ(reg_->RenameRegion(jia, "  ", "", "admin").status().field(), "name");
  auto taken = reg_->RenameRegion(jia, "乙镇", "", "admin");
  EXPECT_EQ(taken.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(taken.status().field(), "name");
  EXPECT_EQ(reg_->RenameRegion(999999, "x", "", "admin").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(reg_->GetProject(p1.id)->region_name, "甲镇街道");
  stats::StatsQuery by_region;
  by_region.year = 2024;
  by_region.month = 3;
  by_region.by = stats::GroupBy::kRegion;
  bool shown = false;
  for (const auto& g : reg_->Stats(by_region).groups) shown = shown || g.key == "甲镇街道";
  EXPECT_TRUE(shown) << "the statistics still name the region by its old name";
  rebuilt("after a rename");

  // Merge: not into itself or a region below it; the projects, child regions follow; the source is retired.
  EXPECT_EQ(reg_->MergeRegion(jia, jia, "admin").status().field(), "into_id");
  auto below = reg_->MergeRegion(county->id, yi, "admin");
  EXPECT_EQ(below.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(below.status().field(), "into_id");
  EXPECT_EQ(reg_->MergeRegion(jia, 999999, "admin").status().field(), "into_id");
  auto clash = reg_->CreateRegion(yi, "东村", "", "t");
  ASSERT_TRUE(clash.ok());
  auto refused = reg_->MergeRegion(jia, yi, "admin");
  EXPECT_EQ(refused.status().code(), ErrorCode::kAlreadyExists) << "two 东村 under 乙镇";
  EXPECT_EQ(refused.status().field(), "into_id");
  ASSERT_TRUE(reg_->RenameRegion(clash->id, "西村", "", "admin").ok());
  const size_t history_before = reg_->History(p1.id)->size();
  auto merged = reg_->MergeRegion(jia, yi, Actor{"admin"});
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->projects, 1);
  EXPECT_EQ(merged->regions, 1);
  EXPECT_EQ(merged->users, 0);
  auto moved = reg_->GetProject(p1.id);
  EXPECT_EQ(moved->region_id, yi);
  EXPECT_EQ(moved->version, p1.version + 1) << "an edit opened before the merge must not move it back";
  EXPECT_EQ(reg_->History(p1.id)->size(), history_before + 1);
  regions = reg_->Regions();
  const Region* gone = RegionNamed(*regions, "甲镇街道");
  ASSERT_NE(gone, nullptr) << "a merged region is kept for history";
  EXPECT_TRUE(gone->retired());
  EXPECT_EQ(gone->merged_into, yi);
  EXPECT_EQ(RegionNamed(*regions, "东村")->parent_id, yi);
  EXPECT_EQ(reg_->MergeRegion(jia, yi, "admin").status().field(), "id") << "merged twice";
  rebuilt("after a merge");
  // A retired region takes no project; an import naming it lands where it went.
  Project in_old = NewProject("R-1");
  in_old.region_id = jia;
  EXPECT_EQ(reg_->CreateProject(in_old, "admin").status().field(), "region_id");
  auto again = reg_->ImportProjectsFile(
      "项目编码,项目名称,项目级别,所在地区,总投资(万元),项目业主,责任单位,项目状态\n"
      "R-2,新项目,县重点,甲镇街道,100,业主,县发展和改革局,前期\n",
      "cli");
  ASSERT_TRUE(again.ok() && again->ok()) << (again.ok() ? FormatImportError(again->parsed.errors.at(0)) : "");
  EXPECT_TRUE(again->summary.regions_created.empty());
  by_code.q = "R-2";
  EXPECT_EQ(reg_->ListProjects(by_code)->items.at(0).region_id, yi);

  // Retire: only a region without projects, regions in use below it or users.
  EXPECT_EQ(reg_->RetireRegion(yi, "admin").field(), "id");
  EXPECT_EQ(reg_->RetireRegion(county->id, "admin").code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(reg_->RetireRegion(bing->id, Actor{"admin"}).ok());
  regions = reg_->Regions();
  EXPECT_TRUE(RegionNamed(*regions, "丙镇")->retired());
  EXPECT_FALSE(RegionNamed(*regions, "丙镇")->merged_into.has_value());
  EXPECT_EQ(reg_->CreateRegion(bing->id, "北村", "", "t").status().field(), "parent_id");
  EXPECT_TRUE(reg_->CreateRegion(county->id, "丙镇", "", "t").ok()) << "a retired name may be used again";
  rebuilt("after a retirement");

  store::AuditQuery aq;
  aq.entity = "region";
  aq.page_size = 100;
  auto audit = reg_->store().ListAudit(aq);
  ASSERT_TRUE(audit.ok());
  std::multiset<std::string> actions;
  for (const AuditEntry& e : audit->items) actions.insert(e.action);
  EXPECT_EQ(actions.count("merge"), 1u);
  EXPECT_EQ(actions.count("retire"), 1u);
  EXPECT_EQ(actions.count("update"), 2u);
}

// Imports feed the statistics what they wrote instead of reloading them: after creations,
// changes, a new region, replaced reports and a demo load, the figures equal a fresh reload's.
TEST_P(DbTest, ImportsUpdateTheStatisticsExactlyAsAReloadWould) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  std::string changed = kProjectsCsv;
  changed.replace(changed.find("1000.5"), 6, "1100.5");
  changed.replace(changed.find("乙镇"), std::string("乙镇").size(), "新设丙镇");
  changed.replace(changed.find("县水利局"), std::string("县水利局").size(), "县农业农村局");
  changed += "P-003,三号项目,县重点,新建,交通,甲镇,800,2024,200,业主C,县交通局,赵六,,否,前期,,,\n";
  auto out = reg_->ImportProjectsFile(changed, "cli2");
  ASSERT_TRUE(out->ok());
  ASSERT_EQ(out->summary.regions_created.size(), 1u);
  ASSERT_TRUE(reg_->ImportReportsFile("项目编码,填报月份,本月完成投资(万元)\nP-001,2024-01,90\nP-003,2024-02,15\n", "cli2")->ok());
  stats::StatsEngine fresh_engine;
  Register fresh(*store_, fresh_engine);
  ASSERT_TRUE(fresh.LoadStats().ok());
  for (int month : {1, 2, 12}) {
    stats::StatsQuery q;
    q.year = 2024;
    q.month = month;
    for (auto by : {stats::GroupBy::kNone, stats::GroupBy::kLevel, stats::GroupBy::kRegion, stats::GroupBy::kUnit,
                    stats::GroupBy::kIndustry, stats::GroupBy::kStatus, stats::GroupBy::kProject}) {
      q.by = by;
      EXPECT_EQ(boost::json::serialize(stats::StatsResultToJson(reg_->Stats(q))),
                boost::json::serialize(stats::StatsResultToJson(fresh.Stats(q))))
          << "month " << month << " by " << stats::GroupByName(by);
    }
  }
}

// A deleted project named again in an import comes back, unchanged fields or not, and the
// statistics count its earlier plans and reports (they were not in the cache while it was deleted).
TEST_P(DbTest, AnImportRevivesADeletedProjectWithItsEarlierFigures) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  store::ProjectQuery q;
  q.q = "P-001";
  auto page = reg_->ListProjects(q);
  ASSERT_EQ(page->total, 1);
  const Project p = page->items[0];
  ASSERT_TRUE(reg_->DeleteProject(p.id, p.version, Actor{"cli"}).ok());
  // A restart: the cache is built without the deleted project's plans and reports.
  stats::StatsEngine restarted_engine;
  Register restarted(*store_, restarted_engine);
  ASSERT_TRUE(restarted.LoadStats().ok());
  auto again = restarted.ImportProjectsFile(kProjectsCsv, "cli");
  ASSERT_TRUE(again->ok());
  EXPECT_EQ(again->summary.projects_updated, 1);  // revived
  EXPECT_EQ(restarted.ListProjects(q)->total, 1);
  stats::StatsEngine fresh_engine;
  Register fresh(*store_, fresh_engine);
  ASSERT_TRUE(fresh.LoadStats().ok());
  stats::StatsQuery sq;
  sq.year = 2024;
  sq.month = 12;
  auto a = restarted.Stats(sq), b = fresh.Stats(sq);
  EXPECT_EQ(a.total.projects, 2);
  EXPECT_EQ(a.total.projects, b.total.projects);
  EXPECT_EQ(a.total.plan.yuan, b.total.plan.yuan);
  EXPECT_EQ(a.total.completed.yuan, b.total.completed.yuan);
  EXPECT_GT(a.total.completed.yuan, 0);
  auto history = restarted.History(p.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().action, "restore");
}

TEST_P(DbTest, ReimportWithChangesUpdatesAndKeepsTrails) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  std::string changed = kProjectsCsv;
  changed.replace(changed.find("一号项目"), std::string("一号项目").size(), "一号项目（更名）");
  changed.replace(changed.find("1000.5"), 6, "1100.5");
  auto out = reg_->ImportProjectsFile(changed, "cli2");
  ASSERT_TRUE(out->ok());
  EXPECT_EQ(out->summary.projects_updated, 1);
  EXPECT_EQ(out->summary.plans_written, 1);
  auto rep = reg_->ImportReportsFile("项目编码,填报月份,本月完成投资(万元)\nP-001,2024-01,90\n", "cli2");
  ASSERT_TRUE(rep->ok());
  EXPECT_EQ(rep->summary.reports_replaced, 1);
  store::ProjectQuery q;
  q.q = "更名";
  auto page = reg_->ListProjects(q);
  ASSERT_EQ(page->total, 1);
  int64_t id = page->items[0].id;
  EXPECT_EQ(page->items[0].version, 2);
  EXPECT_EQ(reg_->History(id)->size(), 2u);
  EXPECT_EQ(reg_->PlanRevisions(id)->size(), 2u);
  auto revs = reg_->ReportRevisions(id);
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ(revs->at(0).old_completed.yuan, 1'002'500);
  stats::StatsQuery sq;
  sq.year = 2024;
  sq.month = 3;
  EXPECT_EQ(reg_->Stats(sq).total.completed.yuan, 900'000 + 2'000'000 + 6'000'000);
}

struct BadCase {
  const char* name;
  const char* csv;
  int row;
  const char* column;
  const char* reason;  // substring
};

class ImportErrors : public DbTest {};

TEST_P(ImportErrors, EveryBadProjectFileIsRejectedWholeAndNamesRowColumnAndReason) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  const std::string h = "项目编码,项目名称,项目级别,年度计划投资(万元),计划年度,示范项目,计划开工日期\n";
  const std::string ok = "Z-1,好项目,县重点,10,2024,否,2024-01-01\n";
  const std::vector<BadCase> cases = {
      {"unknown level", "Z-2,坏项目,乡重点,10,2024,否,", 3, "项目级别", "未知的项目级别"},
      {"negative amount", "Z-2,坏项目,县重点,-10,2024,否,", 3, "年度计划投资(万元)", "负数"},
      {"non-numeric amount", "Z-2,坏项目,县重点,十万,2024,否,", 3, "年度计划投资(万元)", "不是有效的数字"},
      {"too many decimals", "Z-2,坏项目,县重点,1.23456,2024,否,", 3, "年度计划投资(万元)", "小数位数过多"},
      {"duplicate code", "Z-1,重复,县重点,10,2024,否,", 3, "项目编码", "重复"},
      {"empty code", ",无编码,县重点,10,2024,否,", 3, "项目编码", "不能为空"},
      {"bad demo flag", "Z-2,坏项目,县重点,10,2024,也许,", 3, "示范项目", "是 或 否"},
      {"bad date", "Z-2,坏项目,县重点,10,2024,否,2024-02-30", 3, "计划开工日期", "日期不存在"},
      {"bad year", "Z-2,坏项目,县重点,10,24,否,", 3, "计划年度", "四位年份"},
  };
  Fingerprint before = Print(*store_);
  for (const BadCase& c : cases) {
    auto out = reg_->ImportProjectsFile(h + ok + c.csv + "\n", "cli");
    ASSERT_TRUE(out.ok()) << c.name;
    ASSERT_FALSE(out->ok()) << c.name;
    const ImportError& e = out->parsed.errors[0];
    EXPECT_EQ(e.row, c.row) << c.name;
    EXPECT_EQ(e.column, c.column) << c.name;
    EXPECT_NE(e.reason.find(c.reason), std::string::npos) << c.name << ": " << e.reason;
    EXPECT_EQ(Print(*store_), before) << c.name;
  }
}

TEST_P(ImportErrors, FileLevelProblemsAreRejected) {
  Fingerprint before = Print(*store_);
  struct FileCase {
    std::string bytes;
    const char* reason;
  };
  const std::vector<FileCase> cases = {
      {"", "文件为空"},
      {"项目编码,项目名称\nX,Y\n", "缺少必填列"},
      {"项目编码,项目名称,项目级别\n", "没有数据行"},
      {"名字,金额\n甲,1\n", "找不到表头"},
      {"项目编码,项目名称,项目级别\nX,\xFF\xFE\xFD,县重点\n", "编码"},
      {"项目编码,项目名称,项目级别,项目级别\nX,Y,县重点,县重点\n", "列重复"},
  };
  for (const FileCase& c : cases) {
    auto out = reg_->ImportProjectsFile(c.bytes, "cli");
    ASSERT_TRUE(out.ok());
    ASSERT_FALSE(out->ok()) << c.reason;
    EXPECT_NE(out->parsed.errors[0].reason.find(c.reason), std::string::npos) << out->parsed.errors[0].reason;
    EXPECT_EQ(Print(*store_), before);
  }
}

TEST_P(ImportErrors, EveryBadReportFileIsRejectedWhole) {
  ASSERT_TRUE(reg_->ImportProjectsFile(kProjectsCsv, "cli")->ok());
  ASSERT_TRUE(reg_->ImportReportsFile(kReportsCsv, "cli")->ok());
  Fingerprint before = Print(*store_);
  const std::string h = "项目编码,填报月份,本月完成投资(万元)\nP-001,2024-04,10\n";
  const std::vector<BadCase> cases = {
      {"unknown code", "NOPE,2024-04,10", 3, "项目编码", "未知的项目编码"},
      {"month out of range", "P-002,2024-13,10", 3, "填报月份", "月份超出范围"},
      {"bad month", "P-002,三月,10", 3, "填报月份", "无法识别"},
      {"negative", "P-002,2024-04,-1", 3, "本月完成投资(万元)", "负数"},
      {"empty amount", "P-002,2024-04,", 3, "本月完成投资(万元)", "为空"},
      {"duplicate month", "P-001,2024年4月,5", 3, "填报月份", "重复"},
  };
  for (const BadCase& c : cases) {
    auto out = reg_->ImportReportsFile(h + c.csv + "\n", "cli");
    ASSERT_TRUE(out.ok()) << c.name;
    ASSERT_FALSE(out->ok()) << c.name;
    const ImportError& e = out->parsed.errors[0];
    EXPECT_EQ(e.row, c.row) << c.name;
    EXPECT_EQ(e.column, c.column) << c.name;
    EXPECT_NE(e.reason.find(c.reason), std::string::npos) << c.name << ": " << e.reason;
    EXPECT_EQ(Print(*store_), before) << c.name;
  }
}

TEST_P(ImportErrors, ListsEveryBadRowNotJustTheFirst) {
  auto out = reg_->ImportProjectsFile("项目编码,项目名称,项目级别\nA,甲,乡重点\nB,,县重点\nC,丙,县重点\nD,丁,村重点\n", "cli");
  ASSERT_EQ(out->parsed.errors.size(), 3u);
  EXPECT_EQ(out->parsed.errors[0].row, 2);
  EXPECT_EQ(out->parsed.errors[1].row, 3);
  EXPECT_EQ(out->parsed.errors[2].row, 5);
  EXPECT_TRUE(out->parsed.rows.empty());
}

TEST_P(DbTest, ReadsGbkAndBomFilesWithColumnsInAnyOrderAndEnglishAliases) {
  // GBK bytes of: 项目级别,项目名称,项目编码 / 县重点,甲,G-1
  std::string gbk = "\xCF\xEE\xC4\xBF\xBC\xB6\xB1\xF0,\xCF\xEE\xC4\xBF\xC3\xFB\xB3\xC6,\xCF\xEE\xC4\xBF\xB1\xE0\xC2\xEB\r\n"
                    "\xCF\xD8\xD6\xD8\xB5\xE3,\xBC\xD7,G-1\r\n";
  auto out = reg_->ImportProjectsFile(gbk, "cli");
  ASSERT_TRUE(out->ok()) << FormatImportError(out->parsed.errors[0]);
  EXPECT_EQ(out->parsed.encoding, "GBK");
  auto en = reg_->ImportProjectsFile("\xEF\xBB\xBF" "name,code,level,plan,year\nEnglish,E-1,municipal,5,2024\n", "cli");
  ASSERT_TRUE(en->ok()) << FormatImportError(en->parsed.errors[0]);
  EXPECT_EQ(en->parsed.encoding, "UTF-8 (BOM)");
  store::ProjectQuery q;
  q.q = "G-1";
  EXPECT_EQ(reg_->ListProjects(q)->items.at(0).name, "甲");
}

// ---- The reference case ----------------------------------------------------------------------

TEST_P(DbTest, DemoDataReproducesTheReferenceFigures) {
  DemoData d = GenerateDemoData();
  std::vector<int64_t> ids;
  for (const DemoRegion& r : d.regions) {
    auto c = reg_->CreateRegion(r.parent < 0 ? std::nullopt : std::optional<int64_t>(ids[r.parent]), r.name, r.code, "demo");
    ASSERT_TRUE(c.ok());
    ids.push_back(c->id);
  }
  ASSERT_TRUE(reg_->ImportProjectRows(d.projects_2024, "demo").ok());
  ASSERT_TRUE(reg_->ImportProjectRows(d.projects_2023, "demo").ok());
  ASSERT_TRUE(reg_->ImportReportRows(d.reports, "demo").ok());
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.levels = {Level::kProvincial, Level::kMunicipal};
  q.by = stats::GroupBy::kLevel;
  auto r = reg_->Stats(q);
  EXPECT_EQ(r.total.projects, 72);
  EXPECT_EQ(r.total.completion_pct->Format(1), "30.8");
  EXPECT_EQ(stats::FormatPoints(*r.total.ahead_points), "+5.8");
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "省重点");
  EXPECT_EQ(r.groups[0].projects, 6);
  EXPECT_EQ(FormatYiRounded(r.groups[0].completed, 1), "16.2");
  EXPECT_EQ(r.groups[0].completion_pct->Format(2), "43.36");
  EXPECT_EQ(r.groups[0].ahead_points->Format(2), "18.36");
  EXPECT_EQ(r.groups[1].projects, 66);
  EXPECT_EQ(FormatYiRounded(r.groups[1].completed, 1), "33.3");
  EXPECT_EQ(r.groups[1].completion_pct->Format(0), "27");
  EXPECT_EQ(r.groups[1].ahead_points->Format(0), "2");
  stats::StatsQuery demo;
  demo.year = 2024;
  demo.month = 3;
  demo.by = stats::GroupBy::kDemo;
  auto dr = reg_->Stats(demo);
  int demo_projects = 0;
  for (const auto& g : dr.groups) {
    if (g.key == "示范项目") demo_projects = static_cast<int>(g.projects);
  }
  EXPECT_EQ(demo_projects, 15);
  stats::StatsQuery all;
  all.year = 2024;
  all.month = 3;
  EXPECT_GT(reg_->Stats(all).total.projects, 72);  // county-level projects besides
}

INSTANTIATE_TEST_SUITE_P(Backends, DbTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, ImportErrors, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp

namespace kp {
namespace {

// The write path does not checkpoint SQLite's WAL itself; a background connection does. Within
// a few seconds of an import the database file alone (copied without its -wal) holds the rows.
TEST(SqliteStore, ABackgroundCheckpointMovesAnImportIntoTheDatabaseFile) {
  std::string path = testing::FreshSqlitePath();
  auto s = store::Store::Open(path);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Migrate().ok());
  stats::StatsEngine engine;
  Register reg(**s, engine);
  ASSERT_TRUE(reg.LoadStats().ok());
  ASSERT_TRUE(reg.ImportProjectsFile(kProjectsCsv, "cli")->ok());
  int64_t found = 0;
  for (int attempt = 0; attempt < 150 && found != 2; ++attempt) {  // up to 15 s on a busy machine
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::string copy = path + ".copy";
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(copy + "-wal");
    auto c = store::Store::Open(copy);
    ASSERT_TRUE(c.ok());
    store::ProjectQuery q;
    auto page = (*c)->ListProjects(q);
    found = page.ok() ? page->total : -1;
    c->reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
  }
  EXPECT_EQ(found, 2);
}

}  // namespace
}  // namespace kp
