// Inspection tours (拉练, PRACTICES.md §4): the route and rater rules, a rater's scores (only the tour's
// raters, every item within its full points, not on an ended tour, at the set's version), on SQLite and
// PostgreSQL; the results against a computation written here (the highest and lowest dropped at five
// raters, not at four; competition ranks; townships as the mean of their projects); the assessment's
// tour item.
#include "domain/tours.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <numeric>

#include "stats/assessment.h"
#include "test_db.h"

namespace kp {
namespace {

using stats::TourResult;

class ToursTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    tours_ = std::make_unique<Tours>(*store_, *reg_);
    auto county = reg_->CreateRegion(std::nullopt, "本县", "", "t");
    ASSERT_TRUE(county.ok());
    for (const char* t : {"甲镇", "乙镇", "丙镇"}) {
      auto r = reg_->CreateRegion(county->id, t, "", "t");
      ASSERT_TRUE(r.ok());
      towns_.push_back(r->id);
    }
    p1_ = Make("T-1", towns_[0], "县住建局");
    p2_ = Make("T-2", towns_[0], "县交通局");
    p3_ = Make("T-3", towns_[1], "县住建局");
    p4_ = Make("T-4", towns_[2], "县交通局");
    for (int i = 1; i <= 6; ++i) raters_.push_back(AddUser("r" + std::to_string(i), i % 2 ? Role::kLeader : Role::kDepartment));
    owner_ = AddUser("yz", Role::kOwner);
    admin_ = AddUser("ju", Role::kAdmin);
  }
  int64_t Make(const std::string& code, int64_t region, const std::string& unit) {
    Project p;
    p.code = code;
    p.name = "项目" + code;
    p.level = Level::kCounty;
    p.industry = "制造";
    p.owner = "业主";
    p.unit = unit;
    p.status = "在建";
    p.region_id = region;
    p.total_investment = Money::FromWan(10000);
    auto out = reg_->CreateProject(p, "t");
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? out->id : 0;
  }
  User AddUser(const std::string& login, Role role) {
    User u;
    u.login = login;
    u.display_name = "用户" + login;
    u.role = role;
    u.unit = role == Role::kDepartment ? "县住建局" : role == Role::kOwner ? "业主" : "";
    u.password_hash = "x";
    auto out = store_->CreateUser(u, "t");
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : u;
  }
  Tour Plan(std::vector<int64_t> projects, size_t raters) {
    Tour t;
    t.name = "2024年一季度项目拉练";
    t.start = {2024, 3, 20};
    t.end = {2024, 3, 21};
    for (int64_t p : projects) t.stops.push_back(TourStop{0, p});
    for (size_t i = 0; i < raters; ++i) t.raters.push_back(raters_[i].login);
    return t;
  }
  // The default sheet's five items with these points (tenths), in sheet order.
  static std::vector<TourScore> Points(std::vector<int64_t> tenths) {
    const auto sheet = Tours::DefaultSheet();
    std::vector<TourScore> out;
    for (size_t i = 0; i < sheet.size() && i < tenths.size(); ++i) {
      TourScore s;
      s.item = sheet[i].key;
      s.points_tenths = tenths[i];
      out.push_back(s);
    }
    return out;
  }
  // A total in tenths spread over the items (each ≤ its full points).
  static std::vector<TourScore> Total(int64_t tenths) {
    std::vector<int64_t> parts;
    for (const auto& i : Tours::DefaultSheet()) {
      const int64_t take = std::min(tenths, i.max_tenths);
      parts.push_back(take);
      tenths -= take;
    }
    return Points(parts);
  }
  std::unique_ptr<Tours> tours_;
  std::vector<int64_t> towns_;
  int64_t p1_ = 0, p2_ = 0, p3_ = 0, p4_ = 0;
  std::vector<User> raters_;
  User owner_, admin_;
};

TEST_P(ToursTest, ATourKeepsItsRouteOrderRatersAndSheetAndAStopKeepsItsIdAcrossEdits) {
  auto t = tours_->Save(Plan({p3_, p1_, p2_}, 3), "ju");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->version, 1);
  EXPECT_EQ(t->status, TourStatus::kPlanning);
  ASSERT_EQ(t->stops.size(), 3u);
  EXPECT_EQ(t->stops[0].project_id, p3_);
  EXPECT_EQ(t->stops[1].project_id, p1_);
  EXPECT_EQ(t->stops[2].project_id, p2_);
  EXPECT_EQ(t->raters, (std::vector<std::string>{"r1", "r2", "r3"}));
  ASSERT_EQ(t->sheet.size(), 5u);
  EXPECT_EQ(t->sheet[0].name, "投资完成");
  EXPECT_EQ(t->sheet[0].max_tenths, 300);
  int64_t total = 0;
  for (const auto& i : t->sheet) total += i.max_tenths;
  EXPECT_EQ(total, 1000);
  const int64_t p1_stop = t->stops[1].id;

  Tour edit = *t;
  edit.stops = {TourStop{0, p1_}, TourStop{0, p4_}};
  edit.status = TourStatus::kRunning;
  auto e = tours_->Save(edit, "ju");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->version, 2);
  EXPECT_EQ(e->status, TourStatus::kRunning);
  ASSERT_EQ(e->stops.size(), 2u);
  EXPECT_EQ(e->stops[0].id, p1_stop);
  EXPECT_EQ(e->stops[1].project_id, p4_);
  // The stale copy is refused and writes nothing.
  auto stale = tours_->Save(edit, "ju");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  auto again = tours_->Get(t->id, admin_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->stops.size(), 2u);
  // A department sees only the tours it rates.
  auto seen = tours_->List(raters_[1]);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->size(), 1u);
  EXPECT_TRUE(tours_->List(raters_[3])->empty());
  EXPECT_EQ(tours_->Get(t->id, raters_[3]).status().code(), ErrorCode::kNotFound);
}

TEST_P(ToursTest, TheRouteAndRaterRulesNameTheField) {
  struct Case {
    std::function<void(Tour&)> change;
    ErrorCode code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[&](Tour& t) { t.stops.push_back(TourStop{0, p1_}); }, ErrorCode::kInvalidArgument, "stops[2].project_id"},
      {[&](Tour& t) { t.stops.clear(); }, ErrorCode::kInvalidArgument, "stops"},
      {[&](Tour& t) { t.raters.push_back("nobody"); }, ErrorCode::kInvalidArgument, "raters[3]"},
      {[&](Tour& t) { t.raters.push_back("yz"); }, ErrorCode::kInvalidArgument, "raters[3]"},
      {[&](Tour& t) { t.raters.push_back("r1"); }, ErrorCode::kInvalidArgument, "raters[3]"},
      {[&](Tour& t) { t.raters.clear(); }, ErrorCode::kInvalidArgument, "raters"},
      {[&](Tour& t) { t.end = {2024, 3, 19}; }, ErrorCode::kInvalidArgument, "end"},
      {[&](Tour& t) { t.start = {2024, 2, 30}; }, ErrorCode::kInvalidArgument, "start"},
      {[&](Tour& t) { t.end = {2024, 5, 1}; }, ErrorCode::kInvalidArgument, "end"},
      {[&](Tour& t) { t.name = "  "; }, ErrorCode::kInvalidArgument, "name"},
      {[&](Tour& t) { t.stops.push_back(TourStop{0, 999999}); }, ErrorCode::kNotFound, "stops[2].project_id"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    Tour t = Plan({p1_, p2_}, 3);
    cases[i].change(t);
    auto out = tours_->Save(t, "ju");
    ASSERT_FALSE(out.ok()) << i;
    EXPECT_EQ(out.status().code(), cases[i].code) << i << " " << out.status().message();
    EXPECT_EQ(out.status().field(), cases[i].field) << i << " " << out.status().message();
  }
  // A duplicate stop says which project, in Chinese first.
  Tour dup = Plan({p1_, p2_, p1_}, 3);
  auto out = tours_->Save(dup, "ju");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("第 3 站"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("项目T-1"), std::string::npos) << out.status().message();
  EXPECT_TRUE(tours_->List(admin_)->empty()) << "nothing half-written";
}

TEST_P(ToursTest, ATourTakesFiftyRatersAndNotFiftyOne) {
  Tour t = Plan({p1_}, 0);
  for (int i = 1; i <= 51; ++i) t.raters.push_back(AddUser("many" + std::to_string(i), Role::kLeader).login);
  auto over = tours_->Save(t, "ju");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.status().field(), "raters");
  EXPECT_TRUE(tours_->List(admin_)->empty()) << "nothing half-written";
  t.raters.pop_back();
  auto fifty = tours_->Save(t, "ju");
  ASSERT_TRUE(fifty.ok()) << fifty.status().message();
  EXPECT_EQ(fifty->raters.size(), 50u);
}

TEST_P(ToursTest, OnlyTheToursRatersScoreEveryItemWithinItsPointsAtTheSetsVersion) {
  auto t = tours_->Save(Plan({p1_, p2_}, 3), "ju");
  ASSERT_TRUE(t.ok());
  const int64_t stop = t->stops[0].id;
  // Not a rater of this tour: 403.
  auto outsider = tours_->Score(t->id, stop, 0, Total(800), raters_[4], "r5");
  EXPECT_EQ(outsider.status().code(), ErrorCode::kPermissionDenied);
  // Out of range: 400 naming the item, with the field of its row.
  auto high = tours_->Score(t->id, stop, 0, Points({300, 250, 200, 150, 101}), raters_[0], "r1");
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(high.status().field(), "items[4].points");
  EXPECT_NE(high.status().message().find("现场管理"), std::string::npos) << high.status().message();
  EXPECT_NE(high.status().message().find("0-10"), std::string::npos) << high.status().message();
  auto negative = tours_->Score(t->id, stop, 0, Points({-1, 250, 200, 150, 100}), raters_[0], "r1");
  EXPECT_EQ(negative.status().field(), "items[0].points");
  // Every item is required; an unknown one is refused.
  auto missing = tours_->Score(t->id, stop, 0, Points({300, 250, 200, 150}), raters_[0], "r1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("现场管理"), std::string::npos);
  auto unknown = Points({300, 250, 200, 150, 100});
  unknown[2].item = "beauty";
  EXPECT_EQ(tours_->Score(t->id, stop, 0, unknown, raters_[0], "r1").status().field(), "items[2].key");
  // A stop of another tour: 404.
  EXPECT_EQ(tours_->Score(t->id, 999999, 0, Total(800), raters_[0], "r1").status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(tours_->Scores(t->id)->empty()) << "no refused set wrote anything";

  auto first = tours_->Score(t->id, stop, 0, Points({275, 200, 180, 120, 85}), raters_[0], "r1");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->front().version, 1);
  // The same version again is stale (saved elsewhere meanwhile): 409; the next version replaces.
  EXPECT_EQ(tours_->Score(t->id, stop, 0, Total(500), raters_[0], "r1").status().code(), ErrorCode::kConflict);
  auto second = tours_->Score(t->id, stop, 1, Points({280, 200, 180, 120, 85}), raters_[0], "r1");
  ASSERT_TRUE(second.ok()) << second.status().message();
  auto rows = tours_->Scores(t->id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  int64_t sum = 0;
  for (const auto& r : *rows) sum += r.points_tenths;
  EXPECT_EQ(sum, 280 + 200 + 180 + 120 + 85);
  EXPECT_EQ(rows->front().version, 2);

  // Ended: 409 for everyone, the scores stay.
  Tour ended = *tours_->Get(t->id, admin_);
  ended.status = TourStatus::kEnded;
  ASSERT_TRUE(tours_->Save(ended, "ju").ok());
  auto late = tours_->Score(t->id, stop, 2, Total(900), raters_[0], "r1");
  EXPECT_EQ(late.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(tours_->Scores(t->id)->size(), 5u);
}

TEST_P(ToursTest, AScoredStopOrRaterStaysOnTheTour) {
  auto t = tours_->Save(Plan({p1_, p2_}, 3), "ju");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(tours_->Score(t->id, t->stops[0].id, 0, Total(800), raters_[1], "r2").ok());
  Tour drop_stop = *t;
  drop_stop.stops = {TourStop{0, p2_}};
  EXPECT_EQ(tours_->Save(drop_stop, "ju").status().code(), ErrorCode::kConflict);
  Tour drop_rater = *t;
  drop_rater.raters = {"r1", "r3"};
  auto out = tours_->Save(drop_rater, "ju");
  EXPECT_EQ(out.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(out.status().field(), "raters");
  Tour reorder = *t;
  reorder.stops = {TourStop{0, p2_}, TourStop{0, p1_}};
  reorder.raters = {"r2", "r4"};
  auto ok = tours_->Save(reorder, "ju");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->stops[1].id, t->stops[0].id);
  EXPECT_EQ(tours_->Scores(t->id)->size(), 5u);
}

TEST_P(ToursTest, TheSheetIsASettingANewTourTakesAndAnOldOneKeeps) {
  auto old = tours_->Save(Plan({p1_}, 1), "ju");
  ASSERT_TRUE(old.ok());
  auto bad = Tours::DefaultSheet();
  bad[1].max_tenths = 0;
  auto st = tours_->SaveSheet(bad, "ju");
  EXPECT_EQ(st.field(), "items[1].max");
  EXPECT_NE(st.message().find("形象进度"), std::string::npos);
  bad = Tours::DefaultSheet();
  bad[2].key = bad[0].key;
  EXPECT_EQ(tours_->SaveSheet(bad, "ju").field(), "items[2].key");
  EXPECT_EQ(tours_->SaveSheet({}, "ju").field(), "items");
  // A key is 1-32 of a-z A-Z 0-9 _ -: each range's ends pass, the characters just outside them do not.
  for (const std::string& key : std::vector<std::string>{"a", "z", "A", "Z", "0", "9", "_", "-", "Zz_09-", std::string(32, 'k')}) {
    std::vector<TourSheetItem> one = {{key, "亮点", 1000}};
    EXPECT_TRUE(tours_->SaveSheet(one, "ju").ok()) << key;
  }
  for (const std::string& key : std::vector<std::string>{"", "`", "{", "@", "[", "/", ":", "a b", "亮点", "a.b", std::string(33, 'k')}) {
    std::vector<TourSheetItem> one = {{key, "亮点", 1000}};
    EXPECT_EQ(tours_->SaveSheet(one, "ju").field(), "items[0].key") << key;
  }
  std::vector<TourSheetItem> two = {{"a", "亮点", 600}, {"b", "进度", 400}};
  ASSERT_TRUE(tours_->SaveSheet(two, "ju").ok());
  EXPECT_EQ(tours_->Sheet()->size(), 2u);
  auto fresh = tours_->Save(Plan({p2_}, 1), "ju");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->sheet.size(), 2u);
  EXPECT_EQ(tours_->Get(old->id, admin_)->sheet.size(), 5u);
}

// Results through the service: the stop's totals from stored rows, projects grouped by township.
TEST_P(ToursTest, ResultsGroupTheProjectsByTownshipFromTheStoredScores) {
  auto t = tours_->Save(Plan({p1_, p2_, p3_, p4_}, 5), "ju");
  ASSERT_TRUE(t.ok());
  // p1: five raters 90 80 85 70 95 → (90+80+85)/3 = 85; p2: four raters 90 80 60 100 → 82.5;
  // p3: five raters all 85 → 85 (one 85 dropped each way); p4: nobody.
  const std::vector<std::vector<int64_t>> totals = {{900, 800, 850, 700, 950}, {900, 800, 600, 1000}, {850, 850, 850, 850, 850}};
  for (size_t s = 0; s < totals.size(); ++s) {
    for (size_t r = 0; r < totals[s].size(); ++r) {
      auto out = tours_->Score(t->id, t->stops[s].id, 0, Total(totals[s][r]), raters_[r], raters_[r].login);
      ASSERT_TRUE(out.ok()) << out.status().message();
    }
  }
  auto res = tours_->Results(t->id);
  ASSERT_TRUE(res.ok()) << res.status().message();
  ASSERT_EQ(res->stops.size(), 4u);
  EXPECT_EQ(res->stops[0].stop.project_id, p1_);  // 85, tied with p3 (route order first)
  EXPECT_EQ(res->stops[0].rank, 1);
  EXPECT_EQ(res->stops[1].stop.project_id, p3_);
  EXPECT_EQ(res->stops[1].rank, 1);
  EXPECT_EQ(res->stops[2].stop.project_id, p2_);
  EXPECT_EQ(res->stops[2].rank, 3);
  EXPECT_TRUE(*res->stops[2].score == Ratio::Of(825, 10));
  EXPECT_FALSE(res->stops[3].score.has_value());
  EXPECT_EQ(res->stops[3].rank, 0);
  EXPECT_EQ(res->stops[0].stop.group, "甲镇");
  EXPECT_EQ(res->stops[1].stop.group, "乙镇");
  EXPECT_EQ(res->stops[0].raters.front().rater_name, "用户r5");
  ASSERT_EQ(res->groups.size(), 3u);
  EXPECT_EQ(res->groups[0].key, "乙镇");
  EXPECT_TRUE(*res->groups[0].score == Ratio::Of(85, 1));
  EXPECT_EQ(res->groups[1].key, "甲镇");
  EXPECT_TRUE(*res->groups[1].score == Ratio::Of(8375, 100));  // (85 + 82.5) / 2
  EXPECT_EQ(res->groups[1].rank, 2);
  EXPECT_EQ(res->groups[2].key, "丙镇");
  EXPECT_FALSE(res->groups[2].score.has_value());
  // By unit: 县住建局 has p1 (85) and p3 (85); 县交通局 p2 (82.5) and the unscored p4.
  auto units = tours_->Results(t->id, stats::GroupBy::kUnit);
  ASSERT_TRUE(units.ok());
  EXPECT_EQ(units->groups[0].key, "县住建局");
  EXPECT_TRUE(*units->groups[0].score == Ratio::Of(85, 1));
  EXPECT_TRUE(*units->groups[1].score == Ratio::Of(825, 10));

  // Only ended tours within the period feed the assessment.
  auto none = tours_->PeriodFigures({2024, 1, 1}, {2024, 3, 31}, stats::GroupBy::kRegion, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->tours.empty());
  Tour ended = *tours_->Get(t->id, admin_);
  ended.status = TourStatus::kEnded;
  ASSERT_TRUE(tours_->Save(ended, "ju").ok());
  auto q1 = tours_->PeriodFigures({2024, 1, 1}, {2024, 3, 31}, stats::GroupBy::kRegion, std::nullopt);
  ASSERT_TRUE(q1.ok());
  ASSERT_EQ(q1->tours.size(), 1u);
  EXPECT_TRUE(q1->by_key.at("甲镇").score == Ratio::Of(8375, 100));
  EXPECT_EQ(q1->by_key.count("丙镇"), 0u);
  EXPECT_TRUE(tours_->PeriodFigures({2024, 4, 1}, {2024, 6, 30}, stats::GroupBy::kRegion, std::nullopt)->tours.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ToursTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

// ---- The results, pure: the figures against a computation written here. ----

// A stop's score as the practice states it, in tenths: mean of the totals, minus the single highest
// and lowest when there are at least five.
Ratio Expected(std::vector<int64_t> totals) {
  std::sort(totals.begin(), totals.end());
  if (totals.size() >= 5) totals = std::vector<int64_t>(totals.begin() + 1, totals.end() - 1);
  const int64_t sum = std::accumulate(totals.begin(), totals.end(), int64_t{0});
  return Ratio::Of(sum, static_cast<int64_t>(totals.size()) * 10);
}

struct Built {
  Tour tour;
  std::vector<stats::TourStopInput> stops;
  std::vector<TourScore> scores;
};

// Stops with these raters' totals (rater i scores totals[i]), every total split as 2 items.
Built Build(const std::vector<std::pair<std::string, std::vector<int64_t>>>& stops) {
  Built b;
  b.tour.id = 7;
  b.tour.name = "拉练";
  b.tour.sheet = {{"a", "甲", 500}, {"b", "乙", 500}};
  for (size_t i = 0; i < stops.size(); ++i) {
    stats::TourStopInput in;
    in.stop_id = static_cast<int64_t>(100 + i);
    in.project_id = static_cast<int64_t>(i + 1);
    in.seq = static_cast<int>(i + 1);
    in.name = "项目" + std::to_string(i + 1);
    in.group = stops[i].first;
    b.stops.push_back(in);
    for (size_t r = 0; r < stops[i].second.size(); ++r) {
      const int64_t t = stops[i].second[r];
      const std::string rater = "u" + std::to_string(r);
      b.scores.push_back(TourScore{in.stop_id, rater, "a", std::min<int64_t>(t, 500), "", "", 1});
      b.scores.push_back(TourScore{in.stop_id, rater, "b", t - std::min<int64_t>(t, 500), "", "", 1});
    }
  }
  return b;
}

const stats::TourStopResult& StopOf(const TourResult& r, int64_t project) {
  for (const auto& s : r.stops) {
    if (s.stop.project_id == project) return s;
  }
  throw std::runtime_error("no stop");
}

TEST(TourResults, FiveRatersDropTheHighestAndLowestFourDoNot) {
  const std::vector<int64_t> five = {905, 812, 877, 640, 990}, four = {905, 812, 877, 640};
  auto b = Build({{"甲镇", five}, {"甲镇", four}});
  auto r = stats::ComputeTourResult(b.tour, b.stops, b.scores, {});
  const auto& s5 = StopOf(r, 1);
  EXPECT_TRUE(*s5.score == Expected(five));
  EXPECT_TRUE(*s5.score == Ratio::Of(905 + 812 + 877, 30));
  EXPECT_EQ(s5.counted, 3u);
  ASSERT_EQ(s5.raters.size(), 5u);
  EXPECT_EQ(s5.raters.front().total_tenths, 990);
  EXPECT_EQ(s5.raters.front().dropped, "high");
  EXPECT_EQ(s5.raters.back().total_tenths, 640);
  EXPECT_EQ(s5.raters.back().dropped, "low");
  for (size_t i = 1; i + 1 < s5.raters.size(); ++i) EXPECT_EQ(s5.raters[i].dropped, "");
  const auto& s4 = StopOf(r, 2);
  EXPECT_TRUE(*s4.score == Ratio::Of(905 + 812 + 877 + 640, 40));
  EXPECT_EQ(s4.counted, 4u);
  for (const auto& t : s4.raters) EXPECT_EQ(t.dropped, "");
  // Published exactly: 86.4666… shows as 86.47, the totals as their decimals.
  auto j = stats::TourResultToJson(r);
  const auto& first = j.at("stops").as_array()[0].as_object();
  EXPECT_EQ(first.at("display").at("score").as_string(), "86.47");
  EXPECT_EQ(first.at("raters").as_array()[0].at("total").as_string(), "99");
  EXPECT_EQ(first.at("raters").as_array()[0].at("dropped").as_string(), "high");
  EXPECT_EQ(first.at("raters").as_array()[1].at("total").as_string(), "90.5");
}

TEST(TourResults, TiesShareARankAndTheNextSkips) {
  // Means: 85, 85, 80 (at 5: 70..100 drop → 85), 90; township 甲 = (85 + 80) / 2, 乙 = (85 + 90) / 2.
  auto b = Build({{"甲镇", {850, 850}}, {"乙镇", {700, 850, 850, 850, 1000}}, {"甲镇", {800}}, {"乙镇", {900}}});
  auto r = stats::ComputeTourResult(b.tour, b.stops, b.scores, {});
  EXPECT_EQ(r.stops[0].stop.project_id, 4);
  EXPECT_EQ(r.stops[0].rank, 1);
  EXPECT_EQ(r.stops[1].rank, 2);
  EXPECT_EQ(r.stops[2].rank, 2);
  EXPECT_EQ(r.stops[1].stop.project_id, 1);  // equal scores: route order
  EXPECT_EQ(r.stops[3].rank, 4);
  EXPECT_TRUE(*StopOf(r, 2).score == Expected({700, 850, 850, 850, 1000}));
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "乙镇");
  EXPECT_TRUE(*r.groups[0].score == Ratio::Of(175, 2));
  EXPECT_TRUE(*r.groups[1].score == Ratio::Of(165, 2));
  EXPECT_EQ(r.groups[1].rank, 2);
  // Two townships equal: both first.
  auto tie = Build({{"甲镇", {800}}, {"乙镇", {800}}, {"丙镇", {700}}});
  auto rt = stats::ComputeTourResult(tie.tour, tie.stops, tie.scores, {});
  EXPECT_EQ(rt.groups[0].rank, 1);
  EXPECT_EQ(rt.groups[1].rank, 1);
  EXPECT_EQ(rt.groups[2].rank, 3);
}

TEST(TourResults, AnIncompleteSetDoesNotCount) {
  auto b = Build({{"甲镇", {800, 900}}});
  // u1 scored only one of the two items.
  b.scores.erase(std::remove_if(b.scores.begin(), b.scores.end(),
                                [](const TourScore& s) { return s.rater == "u1" && s.item == "b"; }),
                 b.scores.end());
  auto r = stats::ComputeTourResult(b.tour, b.stops, b.scores, {});
  EXPECT_EQ(r.stops[0].raters.size(), 1u);
  EXPECT_TRUE(*r.stops[0].score == Ratio::Of(80, 1));
}

// ---- The assessment's tour item. ----

stats::AssessmentResult Assess(const stats::TourPeriodFigures* tours) {
  stats::AssessmentScheme scheme;
  stats::AssessmentItem it;
  it.name = "拉练评比";
  it.measure = stats::AssessMeasure::kTour;
  it.max = Ratio::Of(10, 1);
  scheme.items = {it};
  stats::StatsResult s;
  s.year = 2024;
  s.month = 3;
  s.by = stats::GroupBy::kRegion;
  s.schedule_pct = Ratio::Of(25, 1);
  for (const char* k : {"甲镇", "乙镇", "丙镇"}) {
    stats::GroupFigures g;
    g.key = k;
    s.groups.push_back(g);
  }
  return stats::BuildAssessment(scheme, s, {}, {}, "quarter", tours);
}

const stats::UnitScore& UnitOf(const stats::AssessmentResult& r, const std::string& key) {
  for (const auto& u : r.scores) {
    if (u.key == key) return u;
  }
  throw std::runtime_error("no unit " + key);
}

TEST(TourAssessment, TheTownshipsTourScoreScaledToTheItemsPoints) {
  // Two tours ended in the period: 甲镇 83.75 and 86.47 (mean 85.11); 乙镇 in one only: 90.
  auto a = Build({{"甲镇", {850, 825}}, {"乙镇", {900}}});
  a.tour.name = "一月拉练";
  auto b = Build({{"甲镇", {905, 812, 877, 640, 990}}});
  b.tour.name = "三月拉练";
  auto figures = stats::TourFiguresOfPeriod({stats::ComputeTourResult(a.tour, a.stops, a.scores, {}),
                                             stats::ComputeTourResult(b.tour, b.stops, b.scores, {})});
  auto r = Assess(&figures);
  const Ratio jia = Ratio::Of(8375, 100);
  const Ratio jia_b = Ratio::Of(905 + 812 + 877, 30);
  // Mean of the two tours' township scores, ÷ 100 × 10.
  const Ratio mean = Ratio::Of((jia.num * jia_b.den + jia_b.num * jia.den), jia.den * jia_b.den * 2);
  const Ratio want = Ratio::Of(mean.num * 10, mean.den * 100);
  EXPECT_TRUE(UnitOf(r, "甲镇").items[0].points == want) << UnitOf(r, "甲镇").items[0].points.Format(6);
  EXPECT_EQ(UnitOf(r, "甲镇").items[0].points.Format(2), "8.51");
  EXPECT_NE(UnitOf(r, "甲镇").items[0].basis.find("「一月拉练」83.75"), std::string::npos) << UnitOf(r, "甲镇").items[0].basis;
  EXPECT_NE(UnitOf(r, "甲镇").items[0].basis.find("「三月拉练」86.47"), std::string::npos);
  EXPECT_TRUE(UnitOf(r, "乙镇").items[0].points == Ratio::Of(9, 1));
  EXPECT_EQ(UnitOf(r, "乙镇").rank, 1);
  EXPECT_TRUE(UnitOf(r, "丙镇").items[0].points == Ratio::Of(0, 1));
  EXPECT_NE(UnitOf(r, "丙镇").items[0].basis.find("未到本单位项目"), std::string::npos);
  // No tour ended in the period: nobody scores, and the basis says why.
  stats::TourPeriodFigures empty;
  for (const stats::TourPeriodFigures* f : {static_cast<const stats::TourPeriodFigures*>(&empty), static_cast<const stats::TourPeriodFigures*>(nullptr)}) {
    auto none = Assess(f);
    for (const auto& u : none.scores) {
      EXPECT_TRUE(u.items[0].points == Ratio::Of(0, 1));
      EXPECT_EQ(u.items[0].basis, "本期无已结束的拉练，本项不计分");
    }
  }
  // The scheme's JSON takes the measure by name.
  boost::json::object o{{"items", boost::json::array{boost::json::object{{"name", "拉练"}, {"measure", "tour"}, {"max", "10"}}}}};
  auto parsed = stats::ParseAssessmentScheme(o);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->items[0].measure, stats::AssessMeasure::kTour);
  EXPECT_EQ(stats::AssessmentSchemeToJson(*parsed).at("items").as_array()[0].at("measure").as_string(), "tour");
}

}  // namespace
}  // namespace kp
