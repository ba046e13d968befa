// 产业招商: land in tenths of a 亩, the stage machine move by move and role by role, scope, the
// conversion into exactly one project (one transaction), 开工/投产 following the project, carrier
// ranking, and the funnel against a count written here.
#include "domain/leads.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <random>

#include "stats/carrier_match.h"
#include "stats/lead_stats.h"
#include "test_db.h"

namespace kp {
namespace {

User UserOf(const std::string& login, Role role, const std::string& unit = "") {
  User u;
  u.login = login;
  u.display_name = login;
  u.role = role;
  u.unit = unit;
  return u;
}

TEST(LeadModel, LandIsKeptInTenthsOfAMu) {
  EXPECT_EQ(ParseTenthMu("12.5"), 125);
  EXPECT_EQ(ParseTenthMu(" 12 "), 120);
  EXPECT_EQ(ParseTenthMu("0.5"), 5);
  EXPECT_EQ(ParseTenthMu("1.25"), std::nullopt);
  EXPECT_EQ(ParseTenthMu("-1"), std::nullopt);
  EXPECT_EQ(ParseTenthMu("1."), std::nullopt);
  EXPECT_EQ(ParseTenthMu(".5"), std::nullopt);
  EXPECT_EQ(ParseTenthMu("abc"), std::nullopt);
  EXPECT_EQ(FormatTenthMu(125), "12.5");
  EXPECT_EQ(FormatTenthMu(120), "12");
}

Lead Converted(const std::string& status, std::optional<Date> start_node, bool has_start_node,
               std::optional<Date> producing_node = std::nullopt) {
  Lead l;
  l.stage = LeadStage::kLanded;
  l.lead_on = Date{2023, 1, 1};
  l.signed_on = Date{2023, 5, 1};
  l.landed_on = Date{2023, 6, 1};
  l.project_id = 7;
  ProjectProgress p;
  p.status = status;
  p.has_start_node = has_start_node;
  p.start_node_actual = start_node;
  p.producing_node_actual = producing_node;
  p.planned_start = Date{2024, 2, 1};
  p.planned_end = Date{2026, 6, 30};
  l.project = p;
  return l;
}

TEST(LeadModel, StartAndProductionFollowTheProjectsNodesElseItsStatus) {
  // The 开工 node decides when there is one, whatever the status says.
  EXPECT_EQ(FollowProject(Converted("新开工", std::nullopt, true)).stage, LeadStage::kLanded);
  auto f = FollowProject(Converted("前期", Date{2024, 3, 8}, true));
  EXPECT_EQ(f.stage, LeadStage::kStarted);
  EXPECT_EQ(f.started_on, (Date{2024, 3, 8}));
  // No 开工 node: a status past 前期 starts it on the planned start.
  f = FollowProject(Converted("在建", std::nullopt, false));
  EXPECT_EQ(f.stage, LeadStage::kStarted);
  EXPECT_EQ(f.started_on, (Date{2024, 2, 1}));
  EXPECT_EQ(FollowProject(Converted("前期", std::nullopt, false)).stage, LeadStage::kLanded);
  EXPECT_EQ(FollowProject(Converted("停缓建", std::nullopt, false)).stage, LeadStage::kLanded);
  // 投产: the 投产/投用 node, else the status 投产 on the planned end.
  f = FollowProject(Converted("在建", Date{2024, 3, 8}, true, Date{2025, 9, 1}));
  EXPECT_EQ(f.stage, LeadStage::kProducing);
  EXPECT_EQ(f.producing_on, (Date{2025, 9, 1}));
  f = FollowProject(Converted("投产", std::nullopt, false));
  EXPECT_EQ(f.stage, LeadStage::kProducing);
  EXPECT_EQ(f.producing_on, (Date{2026, 6, 30}));
  // A lead not converted keeps its own stage.
  Lead deal;
  deal.stage = LeadStage::kSigned;
  EXPECT_EQ(FollowProject(deal).stage, LeadStage::kSigned);
}

Carrier CarrierOf(int64_t id, CarrierKind kind, int64_t area, int64_t price, std::vector<std::string> industries,
                  bool available = true) {
  Carrier c;
  c.id = id;
  c.kind = kind;
  (kind == CarrierKind::kLand ? c.land_tenth_mu : c.floor_m2) = area;
  c.price = Money{price};
  c.industries = std::move(industries);
  c.available = available;
  c.parcel = "P" + std::to_string(id);
  return c;
}

TEST(CarrierMatch, RanksIndustryThenFitThenPriceAndLeavesOutWhatCannotHoldTheNeed) {
  Lead l;
  l.industry = "新能源";
  l.land_tenth_mu = 1000;  // 100 亩
  const std::vector<Carrier> cs = {
      CarrierOf(1, CarrierKind::kLand, 999, 1, {}),                 // too small
      CarrierOf(2, CarrierKind::kLand, 2000, 5, {}),                // any industry, fit 50%
      CarrierOf(3, CarrierKind::kLand, 1250, 9, {"新能源"}),        // exact, fit 80%
      CarrierOf(4, CarrierKind::kLand, 1000, 9, {"医药健康"}),      // another industry's
      CarrierOf(5, CarrierKind::kLand, 1000, 9, {"新能源"}, false), // let already
      CarrierOf(6, CarrierKind::kLand, 1000, 9, {}),                // any, fit 100%
      CarrierOf(7, CarrierKind::kFactory, 50'000, 1, {}),           // no floor needed
      CarrierOf(8, CarrierKind::kLand, 1000, 3, {}),                // any, fit 100%, cheaper than 6
      CarrierOf(9, CarrierKind::kLand, 4000, 1, {"新能源", "先进制造"}),  // exact, fit 25%
  };
  auto m = stats::MatchCarriers(l, cs, 10);
  std::vector<int64_t> ids;
  for (const auto& x : m) ids.push_back(x.carrier->id);
  EXPECT_EQ(ids, (std::vector<int64_t>{3, 9, 8, 6, 2}));
  EXPECT_EQ(m[0].fit_pct.Format(1), "80.0");
  EXPECT_TRUE(m[0].industry_exact);
  EXPECT_FALSE(m[2].industry_exact);
  EXPECT_EQ(stats::MatchCarriers(l, cs, 2).size(), 2u);
  // Floor need only: factories large enough.
  Lead f;
  f.industry = "新能源";
  f.floor_m2 = 40'000;
  m = stats::MatchCarriers(f, cs, 10);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].carrier->id, 7);
}

TEST(LeadStats, TheFunnelEqualsACountWrittenHere) {
  std::mt19937 rng(7);
  std::vector<Lead> leads;
  const char* const industries[] = {"新能源", "医药健康", "先进制造"};
  const char* const staff[] = {"a", "b"};
  for (int i = 0; i < 300; ++i) {
    Lead l;
    l.id = i + 1;
    l.industry = industries[rng() % 3];
    l.staff = staff[rng() % 2];
    l.investment = Money{static_cast<int64_t>(rng() % 1000) * 10'000};
    l.lead_on = FromDayNumber(DayNumber(Date{2023, 6, 1}) + static_cast<int32_t>(rng() % 500));
    const int reach = static_cast<int>(rng() % 6);
    Date day = l.lead_on;
    auto next = [&] { return day = FromDayNumber(DayNumber(day) + 1 + static_cast<int32_t>(rng() % 90)); };
    l.stage = LeadStage::kLead;
    if (reach >= 1) l.talks_on = next(), l.stage = LeadStage::kTalks;
    if (reach >= 2) l.signed_on = next(), l.stage = LeadStage::kSigned;
    if (reach >= 3) {
      l.landed_on = next();
      l.stage = LeadStage::kLanded;
      l.project_id = 1000 + i;
      ProjectProgress p;
      p.has_start_node = true;
      if (reach >= 4) p.start_node_actual = next();
      if (reach >= 5) p.producing_node_actual = next();
      l.project = p;
    }
    leads.push_back(l);
  }
  for (int year : {2023, 2024}) {
    for (Date as_of : {Date{year, 6, 30}, Date{year, 12, 31}, Date{2025, 12, 31}}) {
      stats::LeadQuery q;
      q.year = year;
      q.as_of = as_of;
      q.by = stats::LeadGroupBy::kIndustry;
      const stats::LeadStats r = stats::ComputeLeadStats(leads, q);
      auto in = [&](const std::optional<Date>& d) { return d && d->year == year && *d <= as_of; };
      auto by = [&](const std::optional<Date>& d) { return d && *d <= as_of; };
      std::map<std::string, std::array<int64_t, 6>> want;  // leads talks signed yuan started producing
      for (const Lead& l : leads) {
        for (const std::string& key : {std::string("*"), l.industry}) {
          auto& w = want[key];
          w[0] += in(l.lead_on);
          w[1] += in(l.talks_on);
          if (!in(l.signed_on)) continue;
          w[2] += 1;
          w[3] += l.investment.yuan;
          w[4] += l.project && by(l.project->start_node_actual);
          w[5] += l.project && by(l.project->producing_node_actual);
        }
      }
      auto check = [&](const stats::LeadFigures& g, const std::string& key) {
        const auto& w = want[key];
        EXPECT_EQ(g.leads, w[0]) << key;
        EXPECT_EQ(g.talks, w[1]) << key;
        EXPECT_EQ(g.signed_count, w[2]) << key;
        EXPECT_EQ(g.signed_amount.yuan, w[3]) << key;
        EXPECT_EQ(g.started, w[4]) << key;
        EXPECT_EQ(g.producing, w[5]) << key;
        if (w[2] == 0) {
          EXPECT_FALSE(g.start_rate_pct.has_value());
        } else {
          EXPECT_EQ(g.start_rate_pct->Format(4), Ratio::Of(w[4] * 100, w[2]).Format(4)) << key;
          EXPECT_EQ(g.produce_rate_pct->Format(4), Ratio::Of(w[5] * 100, w[2]).Format(4)) << key;
        }
      };
      check(r.total, "*");
      for (const auto& g : r.groups) check(g, g.key);
    }
  }
}

class LeadsTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    leads_ = std::make_unique<Leads>(*store_, *reg_);
    for (const char* login : {"zs1", "zs2"}) {
      User u = UserOf(login, Role::kInvestment);
      u.password_hash = "x";
      ASSERT_TRUE(store_->CreateUser(u, "t").ok());
    }
  }
  Lead Add(const User& by, const std::string& name) {
    Lead l;
    l.name = name;
    l.investor = "投资方" + name;
    l.industry = "新能源";
    l.investment = Money::FromWan(12345);
    l.staff = "zs2";  // ignored for 招商 staff: their own
    l.lead_on = Date{2024, 1, 2};
    auto out = leads_->Create(l, by, by.login);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : Lead{};
  }
  int64_t Projects() {
    store::ProjectQuery q;
    q.page_size = 0;
    auto p = store_->ListProjects(q);
    return p.ok() ? p->total : -1;
  }
  std::unique_ptr<Leads> leads_;
  User admin_ = UserOf("admin", Role::kAdmin), zs1_ = UserOf("zs1", Role::kInvestment),
       zs2_ = UserOf("zs2", Role::kInvestment), leader_ = UserOf("ld", Role::kLeader),
       dept_ = UserOf("dept", Role::kDepartment, "县住建局"), owner_ = UserOf("owner", Role::kOwner, "业主"),
       bank_ = UserOf("bank", Role::kBank, "银行"), auditor_ = UserOf("sj", Role::kAuditor);
};

TEST_P(LeadsTest, EveryHandMoveFromEveryStageByEveryRole) {
  const LeadStage hand[] = {LeadStage::kLead, LeadStage::kTalks, LeadStage::kSigned};
  for (LeadStage from : hand) {
    for (LeadStage to : kLeadStages) {
      for (const User* u : {&admin_, &zs1_, &zs2_, &leader_, &dept_, &owner_, &bank_, &auditor_}) {
        Lead l = Add(zs1_, "L");
        for (LeadStage s : hand) {  // bring it to `from` as its staff
          if (s <= l.stage || s > from) continue;
          auto moved = leads_->Move(l.id, l.version, s, Date{2024, 2, 1}, "", zs1_, "zs1");
          ASSERT_TRUE(moved.ok()) << moved.status().message();
          l = *moved;
        }
        ASSERT_EQ(l.stage, from);
        auto r = leads_->Move(l.id, l.version, to, Date{2024, 3, 1}, "", *u, u->login);
        const bool sees = u == &admin_ || u == &zs1_ || u == &leader_;
        const bool edits = u == &admin_ || u == &zs1_;
        const bool legal = static_cast<int>(to) == static_cast<int>(from) + 1 && to <= LeadStage::kSigned;
        const std::string what = std::string(LeadStageName(from)) + "→" + LeadStageName(to) + " by " + u->login;
        if (!sees) {
          EXPECT_EQ(r.status().code(), ErrorCode::kNotFound) << what;
        } else if (!edits) {
          EXPECT_EQ(r.status().code(), ErrorCode::kPermissionDenied) << what;
        } else if (!legal) {
          EXPECT_EQ(r.status().code(), ErrorCode::kConflict) << what;
          EXPECT_NE(r.status().message().find(std::string("「") + LeadStageLabel(from) + "」"), std::string::npos)
              << what << ": " << r.status().message();
        } else {
          ASSERT_TRUE(r.ok()) << what << ": " << r.status().message();
          EXPECT_EQ(r->stage, to);
          auto events = leads_->Events(l.id);
          ASSERT_TRUE(events.ok());
          EXPECT_EQ(events->back().to_stage, LeadStageName(to));
          EXPECT_EQ(events->back().on, (Date{2024, 3, 1}));
          EXPECT_EQ(events->back().by, u->login);
        }
      }
    }
  }
}

TEST_P(LeadsTest, StaffSeeOnlyTheirLeadsTheBureauAndLeadersAll) {
  Lead a = Add(zs1_, "A");
  Lead b = Add(zs2_, "B");
  Lead c = Add(admin_, "C");  // the bureau names its staff
  EXPECT_EQ(a.staff, "zs1");
  EXPECT_EQ(c.staff, "zs2");
  Lead bad;
  bad = a;
  bad.staff = "nobody";
  EXPECT_EQ(leads_->Create(bad, admin_, "admin").status().code(), ErrorCode::kInvalidArgument);
  auto count = [&](const User& u) { return leads_->List({}, u)->size(); };
  EXPECT_EQ(count(zs1_), 1u);
  EXPECT_EQ(count(zs2_), 2u);
  EXPECT_EQ(count(admin_), 3u);
  EXPECT_EQ(count(leader_), 3u);
  EXPECT_EQ(count(dept_), 0u);
  // The list's filters, each on its own and together: industry, staff, text in name/investor.
  auto names = [&](const LeadFilter& f) {
    std::vector<std::string> out;
    auto list = leads_->List(f, admin_);  // kept: a range over *temporary would dangle
    for (const Lead& l : *list) out.push_back(l.name);
    std::sort(out.begin(), out.end());
    return out;
  };
  LeadFilter f;
  f.industry = "新能源";
  EXPECT_EQ(names(f), (std::vector<std::string>{"A", "B", "C"}));
  f.industry = "医药健康";
  EXPECT_TRUE(names(f).empty());
  f = {};
  f.staff = "zs1";
  EXPECT_EQ(names(f), (std::vector<std::string>{"A"}));
  f.staff = "zs2";
  EXPECT_EQ(names(f), (std::vector<std::string>{"B", "C"}));
  f.text = "投资方B";
  EXPECT_EQ(names(f), (std::vector<std::string>{"B"}));
  f.industry = "医药健康";
  EXPECT_TRUE(names(f).empty());
  EXPECT_EQ(leads_->Get(b.id, zs1_).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(leads_->Get(b.id, zs2_).ok());
  b.name = "改名";
  EXPECT_EQ(leads_->Update(b, zs1_, "zs1").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(leads_->Update(b, leader_, "ld").status().code(), ErrorCode::kPermissionDenied);
  auto renamed = leads_->Update(b, zs2_, "zs2");
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(renamed->name, "改名");
  EXPECT_EQ(leads_->Update(b, zs2_, "zs2").status().code(), ErrorCode::kConflict) << "a stale version";
  stats::LeadQuery q;
  q.year = 2024;
  q.as_of = Date{2024, 12, 31};
  EXPECT_EQ(leads_->Stats(q, zs1_)->total.leads, 1);
  EXPECT_EQ(leads_->Stats(q, admin_)->total.leads, 3);
}

TEST_P(LeadsTest, ASignedLeadBecomesOneProjectInOneTransaction) {
  Lead l = Add(zs1_, "转化项目");
  l = *leads_->Move(l.id, l.version, LeadStage::kTalks, Date{2024, 2, 1}, "", zs1_, "zs1");
  ConvertInput in;
  in.version = l.version;
  EXPECT_EQ(leads_->Convert(l.id, in, zs1_, "zs1").status().code(), ErrorCode::kConflict) << "not signed yet";
  l = *leads_->Move(l.id, l.version, LeadStage::kSigned, Date{2024, 3, 1}, "", zs1_, "zs1");
  const int64_t before = Projects();
  // A code already taken: nothing is written, the lead stays 签约.
  Project taken;
  taken.code = "TAKEN-1";
  taken.name = "已有项目";
  ASSERT_TRUE(reg_->CreateProject(taken, "t").ok());
  in.version = l.version;
  in.code = "TAKEN-1";
  EXPECT_EQ(leads_->Convert(l.id, in, zs1_, "zs1").status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(Projects(), before + 1);
  EXPECT_EQ(leads_->Get(l.id, zs1_)->stage, LeadStage::kSigned);
  EXPECT_FALSE(leads_->Get(l.id, zs1_)->project_id.has_value());
  // A stale version: the project is rolled back with the lead.
  in.code = "";
  in.version = l.version + 5;
  EXPECT_EQ(leads_->Convert(l.id, in, zs1_, "zs1").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Projects(), before + 1);
  in.version = l.version;
  in.on = Date{2024, 3, 5};
  auto c = leads_->Convert(l.id, in, zs1_, "zs1");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(Projects(), before + 2);
  EXPECT_EQ(c->project.name, "转化项目");
  EXPECT_EQ(c->project.owner, "投资方转化项目");
  EXPECT_EQ(c->project.industry, "新能源");
  EXPECT_EQ(c->project.total_investment, Money::FromWan(12345));
  EXPECT_EQ(c->lead.project_id, c->project.id);
  EXPECT_EQ(c->lead.stage, LeadStage::kLanded);
  EXPECT_EQ(c->lead.landed_on, (Date{2024, 3, 5}));
  EXPECT_EQ(leads_->Convert(l.id, in, zs1_, "zs1").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Projects(), before + 2);
  EXPECT_EQ(engine_.project_count(), static_cast<size_t>(before + 2)) << "the statistics follow the register";
  // 开工 and 投产 follow the project: its status past 前期 (no 开工 node), then 投产.
  Project p = c->project;
  p.status = "在建";
  p.planned_start = Date{2024, 4, 1};
  auto up = reg_->UpdateProject(p, "t");
  ASSERT_TRUE(up.ok()) << up.status().message();
  Lead now = *leads_->Get(l.id, zs1_);
  EXPECT_EQ(FollowProject(now).stage, LeadStage::kStarted);
  EXPECT_EQ(FollowProject(now).started_on, (Date{2024, 4, 1}));
  p = *up;
  p.status = "投产";
  ASSERT_TRUE(reg_->UpdateProject(p, "t").ok());
  EXPECT_EQ(FollowProject(*leads_->Get(l.id, zs1_)).stage, LeadStage::kProducing);
  EXPECT_EQ(leads_->Update(now, zs1_, "zs1").status().code(), ErrorCode::kConflict) << "the project's now";
}

TEST_P(LeadsTest, CarriersAreUniquePerParkAndVersioned) {
  Carrier c = CarrierOf(0, CarrierKind::kLand, 1505, 180'000, {"新能源", "先进制造"});
  c.park = "高新区";
  auto saved = leads_->SaveCarrier(c, "admin");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->land_tenth_mu, 1505);
  EXPECT_EQ(saved->industries, (std::vector<std::string>{"新能源", "先进制造"}));
  EXPECT_EQ(leads_->SaveCarrier(c, "admin").status().code(), ErrorCode::kAlreadyExists);
  Carrier edit = *saved;
  edit.available = false;
  ASSERT_TRUE(leads_->SaveCarrier(edit, "admin").ok());
  EXPECT_EQ(leads_->SaveCarrier(edit, "admin").status().code(), ErrorCode::kConflict);
  c.industries = {"a、b"};
  c.parcel = "other";
  EXPECT_EQ(leads_->SaveCarrier(c, "admin").status().code(), ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, LeadsTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
