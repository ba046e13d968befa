// Financing matched with banks (融资对接): the stage machine move by move and role by role, the
// banks' answers side by side, scope (a bank sees only what was pushed to it), the funnel against
// a count written here at month ends, and the demo's 45 demands of 409,000 万元 from its raw rows.
#include "domain/financing.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "domain/demo_data.h"
#include "test_db.h"

namespace kp {
namespace {

const char* const kBankA = "中国农业银行中江县支行";
const char* const kBankB = "中国建设银行中江支行";

class FinancingTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    fin_ = std::make_unique<Financing>(*store_, *reg_);
    a_ = Make("F-A", Level::kProvincial, "县住建局", "业主甲");
    b_ = Make("F-B", Level::kCounty, "县交通局", "业主乙");
    admin_ = UserOf("admin", Role::kAdmin, "");
    bank_a_ = UserOf("nh", Role::kBank, kBankA);
    bank_b_ = UserOf("jh", Role::kBank, kBankB);
    owner_ = UserOf("yz", Role::kOwner, "业主甲");
    other_owner_ = UserOf("yz2", Role::kOwner, "业主乙");
    dept_ = UserOf("zj", Role::kDepartment, "县住建局");
    leader_ = UserOf("ld", Role::kLeader, "");
    auditor_ = UserOf("sj", Role::kAuditor, "");
  }
  int64_t Make(const std::string& code, Level level, const std::string& unit, const std::string& owner) {
    Project p;
    p.code = code;
    p.name = "项目" + code;
    p.level = level;
    p.industry = "制造";
    p.owner = owner;
    p.unit = unit;
    p.leader = "王县长";
    p.status = "在建";
    p.total_investment = Money::FromWan(100000);
    auto out = reg_->CreateProject(p, "t");
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? out->id : 0;
  }
  static User UserOf(const std::string& login, Role role, const std::string& unit) {
    User u;
    u.login = login;
    u.display_name = login;
    u.role = role;
    u.unit = unit;
    return u;
  }
  static FinancingDemand Demand(int64_t project, int64_t wan = 20000, Date on = {2024, 1, 10}) {
    FinancingDemand d;
    d.project_id = project;
    d.kind = "中长期贷款";
    d.amount = Money::FromWan(wan);
    d.year_need = Money::FromWan(wan / 2);
    d.term_years = 10;
    d.purpose = "项目建设";
    d.guarantee = "土地使用权抵押";
    d.repayment = "项目运营收入";
    d.contact = "张三 13800000000";
    d.registered_on = on;
    return d;
  }
  FinancingDemand Recorded(int64_t project, const User& by) {
    auto out = fin_->Create(Demand(project), by, by.login);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : FinancingDemand{};
  }
  Result<FinancingDemand> Do(const FinancingDemand& d, const std::string& action, const User& by, FinancingAction a = {}) {
    a.name = action;
    a.version = d.version;
    return fin_->Act(d.id, a, by, by.login);
  }
  FinancingDemand Must(Result<FinancingDemand> r) {
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : FinancingDemand{};
  }
  static FinancingAction Push(std::vector<std::string> banks) {
    FinancingAction a;
    a.banks = std::move(banks);
    return a;
  }
  static FinancingAction Answer(const std::string& answer, const std::string& note = "") {
    FinancingAction a;
    a.answer = answer;
    a.note = note;
    return a;
  }
  static FinancingAction Amount(int64_t wan, std::optional<std::string> bank = std::nullopt) {
    FinancingAction a;
    a.amount = Money::FromWan(wan);
    a.bank = std::move(bank);
    return a;
  }

  std::unique_ptr<Financing> fin_;
  int64_t a_ = 0, b_ = 0;
  User admin_, bank_a_, bank_b_, owner_, other_owner_, dept_, leader_, auditor_;
};

// The moves the test expects, written independently of the product: {action, where the demand
// and bank A's push stand, who} → allowed.
TEST_P(FinancingTest, EveryMoveFromEveryStageByEveryRole) {
  const std::vector<std::string> actions = {"review", "reject", "push", "answer", "credit", "contract", "loan"};
  const std::vector<std::string> states = {"registered", "reviewed", "pushed",   "documents", "matching",
                                           "credited",   "signed",   "lending",  "rejected"};
  struct Who {
    const char* name;
    const User* user;
  };
  const std::vector<Who> users = {{"admin", &admin_}, {"bank_a", &bank_a_}, {"bank_b", &bank_b_}, {"owner", &owner_},
                                  {"dept", &dept_},   {"leader", &leader_}, {"auditor", &auditor_}};
  auto expected = [](const std::string& a, const std::string& st, const std::string& who) {
    const bool admin = who == "admin", bank = who == "bank_a";
    const std::set<std::string> pushed = {"pushed", "documents", "matching", "credited", "signed", "lending"};
    if (a == "review") return admin && st == "registered";
    if (a == "reject") return admin && st != "signed" && st != "lending" && st != "rejected";
    if (a == "push") return admin && st != "registered" && st != "rejected";
    if (!(admin || bank) || !pushed.count(st)) return false;
    if (a == "answer") return st == "pushed" || st == "documents" || st == "matching";
    if (a == "credit") return st == "matching";
    if (a == "contract") return st == "credited";
    if (a == "loan") return st == "signed" || st == "lending";
    return false;
  };
  auto in_state = [&](const std::string& st) {
    FinancingDemand d = Recorded(a_, owner_);
    if (st == "registered") return d;
    d = Must(Do(d, "review", admin_));
    if (st == "reviewed") return d;
    if (st == "rejected") {
      FinancingAction why;
      why.note = "资本金未到位";
      return Must(Do(d, "reject", admin_, why));
    }
    d = Must(Do(d, "push", admin_, Push({kBankA})));
    if (st == "pushed") return d;
    if (st == "documents") return Must(Do(d, "answer", bank_a_, Answer("documents", "近三年财务报表")));
    d = Must(Do(d, "answer", bank_a_, Answer("interested")));
    if (st == "matching") return d;
    d = Must(Do(d, "credit", bank_a_, Amount(15000)));
    if (st == "credited") return d;
    d = Must(Do(d, "contract", bank_a_, Amount(12000)));
    if (st == "signed") return d;
    return Must(Do(d, "loan", bank_a_, Amount(5000)));
  };
  int checked = 0;
  for (const std::string& st : states) {
    for (const std::string& a : actions) {
      for (const Who& w : users) {
        FinancingDemand d = in_state(st);
        const bool want = expected(a, st, w.name);
        FinancingAction extra;
        if (a == "push") extra = Push({kBankB});
        if (a == "reject") extra.note = "不符合条件";
        if (a == "answer") extra = Answer("interested");
        if (a == "credit") extra = Amount(10000);
        if (a == "contract") extra = Amount(10000);
        if (a == "loan") extra = Amount(1000);
        if (w.user == &admin_ && a != "push" && a != "reject" && a != "review") extra.bank = kBankA;
        auto allowed = fin_->Allowed(d, *w.user);
        const bool sees = fin_->CanSee(*w.user, d);
        if (sees) {
          EXPECT_EQ(std::find(allowed.begin(), allowed.end(), a) != allowed.end(), want) << a << " at " << st << " by " << w.name;
        }
        auto r = Do(d, a, *w.user, extra);
        EXPECT_EQ(r.ok(), want) << a << " at " << st << " by " << w.name << ": " << r.status().message();
        if (!want && !r.ok()) {
          const ErrorCode c = r.status().code();
          if (!sees) {
            EXPECT_EQ(c, ErrorCode::kNotFound) << a << " at " << st << " by " << w.name;
          } else if (w.user == &admin_ || (w.user == &bank_a_ && a != "review" && a != "reject" && a != "push")) {
            EXPECT_EQ(c, ErrorCode::kConflict) << a << " at " << st << " by " << w.name << ": " << r.status().message();
          } else {
            EXPECT_EQ(c, ErrorCode::kPermissionDenied) << a << " at " << st << " by " << w.name;
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 9 * 7 * 7);
}

TEST_P(FinancingTest, OnlyTheBureauAndTheProjectsOwnerRecordADemand) {
  EXPECT_TRUE(fin_->Create(Demand(a_), admin_, "admin").ok());
  EXPECT_TRUE(fin_->Create(Demand(a_), owner_, "yz").ok());
  EXPECT_EQ(fin_->Create(Demand(a_), other_owner_, "yz2").status().code(), ErrorCode::kNotFound) << "not its project";
  EXPECT_EQ(fin_->Create(Demand(a_), dept_, "zj").status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(fin_->Create(Demand(a_), leader_, "ld").status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(fin_->Create(Demand(a_), bank_a_, "nh").status().code(), ErrorCode::kNotFound) << "a bank sees no projects";
  FinancingDemand bad = Demand(a_);
  bad.kind = "高利贷";
  EXPECT_EQ(fin_->Create(bad, admin_, "admin").status().field(), "kind");
  bad = Demand(a_);
  bad.year_need = Money::FromWan(30000);
  EXPECT_EQ(fin_->Create(bad, admin_, "admin").status().field(), "year_need_wan");
  bad = Demand(a_);
  bad.amount = Money{0};
  EXPECT_EQ(fin_->Create(bad, admin_, "admin").status().field(), "amount_wan");
  bad = Demand(a_);
  bad.negative_list_ok = false;
  EXPECT_EQ(fin_->Create(bad, admin_, "admin").status().field(), "negative_list_ok");
  bad = Demand(a_);
  bad.registered_on = AddDays(TodayBeijing(), 1);
  EXPECT_EQ(fin_->Create(bad, admin_, "admin").status().field(), "registered_on");
}

TEST_P(FinancingTest, TheWholeFlowIsRecordedAndEveryBanksAnswerSitsSideBySide) {
  FinancingDemand d = Recorded(a_, owner_);
  EXPECT_EQ(d.stage, FinancingStage::kRegistered);
  d = Must(Do(d, "review", admin_));
  EXPECT_EQ(Do(d, "push", admin_, Push({})).status().field(), "banks");
  d = Must(Do(d, "push", admin_, Push({kBankA, kBankB, kBankA})));
  EXPECT_EQ(d.stage, FinancingStage::kPushed);
  ASSERT_EQ(d.pushes.size(), 2u) << "a bank named twice is pushed once";
  EXPECT_EQ(Do(d, "push", admin_, Push({kBankB})).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(Do(d, "answer", bank_a_, Answer("documents")).status().field(), "note") << "which documents";
  EXPECT_EQ(Do(d, "answer", bank_b_, Answer("ineligible")).status().field(), "note") << "why not";
  EXPECT_EQ(Do(d, "answer", bank_a_, Answer("maybe")).status().field(), "answer");
  d = Must(Do(d, "answer", bank_a_, Answer("documents", "近三年财务报表")));
  EXPECT_EQ(d.stage, FinancingStage::kMatching);
  d = Must(Do(d, "answer", bank_b_, Answer("ineligible", "不在授信行业范围")));
  EXPECT_EQ(Do(d, "credit", bank_b_, Amount(1000)).status().code(), ErrorCode::kConflict) << "暂不符合 grants nothing";
  d = Must(Do(d, "answer", bank_a_, Answer("interested")));
  d = Must(Do(d, "credit", bank_a_, Amount(15000)));
  EXPECT_EQ(d.stage, FinancingStage::kCredited);
  EXPECT_EQ(Do(d, "contract", bank_a_, Amount(16000)).status().field(), "amount_wan") << "more than the credit";
  d = Must(Do(d, "contract", bank_a_, Amount(15000)));
  EXPECT_EQ(d.stage, FinancingStage::kSigned);
  d = Must(Do(d, "loan", bank_a_, Amount(10000)));
  EXPECT_EQ(Do(d, "loan", bank_a_, Amount(5001)).status().field(), "amount_wan") << "more than the contract";
  d = Must(Do(d, "loan", admin_, Amount(5000, kBankA)));
  EXPECT_EQ(d.stage, FinancingStage::kDisbursed);
  EXPECT_EQ(Do(d, "loan", bank_a_, Amount(1)).status().code(), ErrorCode::kConflict) << "fully lent";
  FinancingAction stale = Answer("interested");
  stale.name = "answer";
  stale.version = d.version - 1;
  EXPECT_EQ(fin_->Act(d.id, stale, bank_b_, "jh").status().code(), ErrorCode::kConflict);

  // The owner and the bureau see both banks' answers; each bank only its own.
  auto stored = fin_->Get(d.id);
  ASSERT_TRUE(stored.ok());
  for (const User* u : {&admin_, &owner_, &leader_}) {
    FinancingDemand v = fin_->ViewFor(*u, *stored);
    ASSERT_EQ(v.pushes.size(), 2u) << u->login;
  }
  FinancingDemand seen_a = fin_->ViewFor(bank_a_, *stored);
  ASSERT_EQ(seen_a.pushes.size(), 1u);
  EXPECT_EQ(seen_a.pushes[0].bank, kBankA);
  EXPECT_EQ(seen_a.pushes[0].answer, "interested");
  EXPECT_EQ(seen_a.pushes[0].credit->yuan, Money::FromWan(15000).yuan);
  ASSERT_EQ(seen_a.pushes[0].disbursements.size(), 2u);
  EXPECT_EQ(seen_a.stage, FinancingStage::kDisbursed);
  FinancingDemand seen_b = fin_->ViewFor(bank_b_, *stored);
  EXPECT_EQ(seen_b.stage, FinancingStage::kPushed) << "bank B does not learn that bank A lent";
  ASSERT_EQ(seen_b.pushes.size(), 1u);
  EXPECT_EQ(seen_b.pushes[0].answer, "ineligible");
  EXPECT_EQ(seen_b.pushes[0].answer_note, "不在授信行业范围");

  auto events = fin_->Events(d.id);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> moves;
  for (const auto& e : *events) moves.push_back(e.action + (e.bank.empty() ? "" : "@" + e.bank));
  const std::string a = std::string("@") + kBankA, b = std::string("@") + kBankB;
  EXPECT_EQ(moves, (std::vector<std::string>{"register", "review", "push" + a, "push" + b, "answer" + a, "answer" + b,
                                             "answer" + a, "credit" + a, "contract" + a, "loan" + a, "loan" + a}));
  EXPECT_EQ(events->front().by, "yz");
  EXPECT_EQ(events->back().by, "admin");
  EXPECT_EQ(events->back().to_stage, "disbursed");
}

TEST_P(FinancingTest, ABankSeesOnlyWhatWasPushedToItAndAnOwnerOnlyItsProjects) {
  FinancingDemand d1 = Must(Do(Recorded(a_, admin_), "review", admin_));
  d1 = Must(Do(d1, "push", admin_, Push({kBankA})));
  FinancingDemand d2 = Must(Do(Recorded(b_, admin_), "review", admin_));
  d2 = Must(Do(d2, "push", admin_, Push({kBankB})));
  FinancingDemand d3 = Recorded(b_, admin_);  // not pushed
  EXPECT_TRUE(fin_->CanSee(bank_a_, d1));
  EXPECT_FALSE(fin_->CanSee(bank_a_, d2));
  EXPECT_FALSE(fin_->CanSee(bank_a_, d3));
  EXPECT_FALSE(fin_->CanSee(bank_b_, d1));
  EXPECT_TRUE(fin_->CanSee(owner_, d1));
  EXPECT_FALSE(fin_->CanSee(owner_, d2));
  EXPECT_TRUE(fin_->CanSee(other_owner_, d3));
  EXPECT_TRUE(fin_->CanSee(dept_, d1));
  EXPECT_FALSE(fin_->CanSee(dept_, d2));
  EXPECT_EQ(Do(d2, "answer", bank_a_, Answer("interested")).status().code(), ErrorCode::kNotFound)
      << "another bank's demand cannot even be found";
  FinancingFilter f;
  auto ids = [&](const User& u) {
    std::set<int64_t> out;
    auto page = fin_->List(f, u);
    EXPECT_TRUE(page.ok());
    for (const auto& r : page->items) {
      out.insert(r.demand.id);
      if (u.role == Role::kBank) {
        for (const auto& p : r.demand.pushes) EXPECT_EQ(p.bank, u.unit) << "another bank's answer leaked";
      }
    }
    return out;
  };
  EXPECT_EQ(ids(bank_a_), (std::set<int64_t>{d1.id}));
  EXPECT_EQ(ids(bank_b_), (std::set<int64_t>{d2.id}));
  EXPECT_EQ(ids(owner_), (std::set<int64_t>{d1.id}));
  EXPECT_EQ(ids(other_owner_), (std::set<int64_t>{d2.id, d3.id}));
  EXPECT_EQ(ids(admin_), (std::set<int64_t>{d1.id, d2.id, d3.id}));
  EXPECT_EQ(ids(auditor_), (std::set<int64_t>{d1.id, d2.id, d3.id}));
  EXPECT_TRUE(ids(UserOf("x", Role::kBank, "")).empty()) << "a bank user without a bank sees nothing";
  // A second push of d1 to bank B: B sees d1 with its own push only.
  d1 = Must(Do(d1, "push", admin_, Push({kBankB})));
  d1 = Must(Do(d1, "answer", bank_a_, Answer("interested", "A行内部意见")));
  auto page = fin_->List(f, bank_b_);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 2);
  for (const auto& r : page->items) {
    ASSERT_EQ(r.demand.pushes.size(), 1u);
    EXPECT_EQ(r.demand.pushes[0].bank, kBankB);
  }
  // Bank B's list by stage: d1 is 对接中 for the bureau (bank A answered), 推送 as far as B knows.
  f.stage = FinancingStage::kMatching;
  EXPECT_EQ(ids(admin_), (std::set<int64_t>{d1.id}));
  EXPECT_TRUE(ids(bank_b_).empty());
  f.stage = FinancingStage::kPushed;
  EXPECT_EQ(ids(bank_b_), (std::set<int64_t>{d1.id, d2.id}));
  f.stage = std::nullopt;
  // A bank's figures count only what was pushed to it.
  stats::FinancingQuery q;
  q.year = TodayBeijing().year;
  q.month = TodayBeijing().month;
  q.as_of = TodayBeijing();
  q.bank = kBankA;
  auto s = fin_->Stats(q);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->total.projects, 1);
  EXPECT_EQ(s->total.pushed_projects, 1);
  q.bank = kBankB;
  q.by = stats::FinancingGroupBy::kStage;
  s = fin_->Stats(q);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->groups.size(), 1u) << "by stage, bank B sees both its demands at 推送";
  EXPECT_EQ(s->groups[0].key, "推送");
  EXPECT_EQ(s->groups[0].projects, 2);
  q.by = stats::FinancingGroupBy::kNone;
  q.bank = std::nullopt;
  q.owner = "业主乙";
  EXPECT_EQ(fin_->Stats(q)->total.projects, 1) << "one project (F-B), two demands";
  EXPECT_EQ(fin_->Stats(q)->total.demand.yuan, Money::FromWan(40000).yuan);
}

// The funnel, against a count written here over demands with random dates, at every month's end
// of 2024; a disbursement (and a credit) on the month's last day counts in it, one on the next day
// does not.
TEST_P(FinancingTest, TheFunnelEqualsACountWrittenHereAtEveryMonthEnd) {
  std::mt19937 rng(409000);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> banks = {kBankA, kBankB, "国家开发银行四川省分行"};
  std::vector<int64_t> projects = {a_, b_, Make("F-C", Level::kMunicipal, "县住建局", "业主丙"), Make("F-D", Level::kCounty, "县水务局", "业主丁")};
  std::vector<FinancingDemand> rows;
  for (int i = 0; i < 80; ++i) {
    FinancingDemand d = Demand(projects[i % projects.size()], 1000 + between(0, 50000),
                               AddDays(Date{2024, 1, 1}, between(0, 200)));
    d.kind = FinancingKinds()[i % 3];
    d.stage = FinancingStage::kReviewed;
    const int pushes = between(0, 3);
    for (int k = 0; k < pushes; ++k) {
      BankPush p;
      p.bank = banks[(i + k) % banks.size()];
      p.pushed_on = AddDays(d.registered_on, between(0, 30));
      if (between(0, 2)) {
        p.answer = "interested";
        p.answered_at = AddDays(p.pushed_on, between(0, 10)).ToString() + "T00:00:00Z";
        if (between(0, 1)) {
          p.credit = Money::FromWan(500 + between(0, 800));
          p.credit_on = AddDays(p.pushed_on, between(1, 40));
          if (between(0, 1)) {
            p.contract = p.credit;
            p.contract_on = AddDays(*p.credit_on, between(0, 20));
            const int loans = between(0, 2);
            for (int l = 0; l < loans; ++l) {
              p.disbursements.push_back(Disbursement{0, AddDays(*p.contract_on, between(0, 60)), Money::FromWan(100 + between(0, 200))});
            }
          }
        }
      }
      d.pushes.push_back(p);
    }
    rows.push_back(d);
  }
  // The boundary cases, on a project of their own: credit, contract and a loan on 31 January, a
  // loan on 1 February.
  const int64_t e = Make("F-E", Level::kCounty, "县水务局", "业主戊");
  FinancingDemand edge = Demand(e, 7000, Date{2024, 1, 2});
  BankPush p;
  p.bank = kBankA;
  p.pushed_on = Date{2024, 1, 3};
  p.answer = "interested";
  p.answered_at = "2024-01-04T00:00:00Z";
  p.credit = Money::FromWan(6000);
  p.credit_on = Date{2024, 1, 31};
  p.contract = Money::FromWan(6000);
  p.contract_on = Date{2024, 1, 31};
  p.disbursements = {Disbursement{0, Date{2024, 1, 31}, Money::FromWan(2000)}, Disbursement{0, Date{2024, 2, 1}, Money::FromWan(3000)}};
  edge.pushes.push_back(p);
  edge.stage = FinancingStage::kDisbursed;
  rows.push_back(edge);
  auto ids = fin_->InsertAll(rows, "t");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), rows.size());

  struct Want {
    std::set<int64_t> projects, pushed, credited, signed_, disbursed;
    int64_t demand = 0, credit = 0, contract = 0, loans = 0;
  };
  for (int month = 1; month <= 12; ++month) {
    const Date end{2024, month, DaysInMonth(2024, month)};
    std::map<std::string, Want> want;  // by bank; "" = total
    for (const FinancingDemand& d : rows) {
      if (d.registered_on > end) continue;
      Want& t = want[""];
      t.projects.insert(d.project_id);
      t.demand += d.amount.yuan;
      for (const BankPush& x : d.pushes) {
        if (x.pushed_on > end) continue;
        Want& g = want[x.bank];
        g.projects.insert(d.project_id);
        g.demand += d.amount.yuan;
        for (Want* w : {&t, &g}) {
          w->pushed.insert(d.project_id);
          if (x.credit_on && *x.credit_on <= end) w->credited.insert(d.project_id), w->credit += x.credit->yuan;
          if (x.contract_on && *x.contract_on <= end) w->signed_.insert(d.project_id), w->contract += x.contract->yuan;
          for (const Disbursement& l : x.disbursements) {
            if (l.on <= end) w->disbursed.insert(d.project_id), w->loans += l.amount.yuan;
          }
        }
      }
    }
    stats::FinancingQuery q;
    q.year = 2024;
    q.month = month;
    q.as_of = end;
    q.by = stats::FinancingGroupBy::kBank;
    auto got = fin_->Stats(q);
    ASSERT_TRUE(got.ok()) << got.status().message();
    auto same = [&](const stats::FinancingFigures& g, const Want& w, const std::string& what) {
      EXPECT_EQ(g.projects, static_cast<int64_t>(w.projects.size())) << what;
      EXPECT_EQ(g.demand.yuan, w.demand) << what;
      EXPECT_EQ(g.pushed_projects, static_cast<int64_t>(w.pushed.size())) << what;
      EXPECT_EQ(g.credit_projects, static_cast<int64_t>(w.credited.size())) << what;
      EXPECT_EQ(g.credit.yuan, w.credit) << what;
      EXPECT_EQ(g.signed_projects, static_cast<int64_t>(w.signed_.size())) << what;
      EXPECT_EQ(g.signed_amount.yuan, w.contract) << what;
      EXPECT_EQ(g.disbursed_projects, static_cast<int64_t>(w.disbursed.size())) << what;
      EXPECT_EQ(g.disbursed.yuan, w.loans) << what;
    };
    same(got->total, want[""], end.ToString() + " total");
    for (const auto& g : got->groups) {
      if (g.key == "未推送") continue;
      ASSERT_TRUE(want.count(g.key)) << g.key;
      // A project's demands pushed to one bank count it once in that bank's row.
      same(g, want[g.key], end.ToString() + " " + g.key);
    }
  }
  // The edge demand alone at December's, January's and February's end.
  auto edge_at = [&](int year, int month) {
    stats::FinancingQuery q;
    q.year = year;
    q.month = month;
    q.as_of = Date{year, month, DaysInMonth(year, month)};
    q.owner = "业主戊";
    auto r = fin_->Stats(q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->total : stats::FinancingFigures{};
  };
  const auto dec = edge_at(2023, 12), jan = edge_at(2024, 1), feb = edge_at(2024, 2);
  EXPECT_EQ(dec.projects, 0);
  EXPECT_EQ(jan.projects, 1);
  EXPECT_EQ(jan.credit_projects, 1) << "credit granted on the month's last day counts in it";
  EXPECT_EQ(jan.credit.yuan, Money::FromWan(6000).yuan);
  EXPECT_EQ(jan.signed_projects, 1);
  EXPECT_EQ(jan.disbursed_projects, 1);
  EXPECT_EQ(jan.disbursed.yuan, Money::FromWan(2000).yuan) << "the loan of 31 January counts, the one of 1 February not";
  EXPECT_EQ(feb.disbursed.yuan, Money::FromWan(5000).yuan) << "both by February's end";
}

// The demo: 45 projects' medium/long-term loan demands, 409,000 万元 (40.9亿元), from its raw rows
// and through the funnel.
TEST_P(FinancingTest, TheDemoHas45DemandsOf409000Wan) {
  DemoData demo = GenerateDemoData();
  std::set<std::string> codes;
  int64_t yuan = 0;
  std::set<std::string> banks;
  for (const auto& [code, d] : demo.financing) {
    codes.insert(code);
    yuan += d.amount.yuan;
    EXPECT_EQ(d.kind, "中长期贷款");
    EXPECT_EQ(d.amount.yuan % kYuanPerWan, 0);
    for (const BankPush& p : d.pushes) banks.insert(p.bank);
    EXPECT_FALSE(d.pushes.empty()) << code << " was pushed to a bank";
  }
  EXPECT_EQ(demo.financing.size(), 45u);
  EXPECT_EQ(codes.size(), 45u);
  EXPECT_EQ(yuan, 409'000LL * kYuanPerWan);
  EXPECT_GE(banks.size(), 6u) << "several banks";
}

INSTANTIATE_TEST_SUITE_P(Backends, FinancingTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
