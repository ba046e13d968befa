// Problem lists (清单制 + 责任制 + 销号制): the state machine move by move and role by role, the
// figures against a computation written here, escalation by date, imports that leave nothing
// behind on error, scope, and a supervision finding turned into a problem once.
#include "domain/problems.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "domain/supervision.h"
#include "stats/problem_stats_json.h"
#include "test_db.h"

namespace kp {
namespace {

class ProblemsTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    problems_ = std::make_unique<Problems>(*store_, *reg_);
    a_ = Make("P-A", Level::kProvincial, "县住建局", "业主甲");
    b_ = Make("P-B", Level::kCounty, "县交通局", "业主乙");
    admin_ = UserOf("admin", Role::kAdmin, "");
    lead_ = UserOf("zj", Role::kDepartment, "县自然资源局");
    co_ = UserOf("hb", Role::kDepartment, "县环保局");
    other_ = UserOf("jt", Role::kDepartment, "县教育局");
    owner_ = UserOf("yz", Role::kOwner, "业主甲");
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
    p.total_investment = Money::FromWan(10000);
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
  Problem Raised(int64_t project, const User& by, Date raised = {2024, 1, 10}) {
    Problem p;
    p.project_id = project;
    p.category = "用地";
    p.text = "用地指标未落实";
    p.source = "业主反映";
    p.raised_on = raised;
    auto out = problems_->Raise(p, by, by.login);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : Problem{};
  }
  Result<Problem> Do(const Problem& p, const std::string& action, const User& by, ProblemAction a = {}) {
    a.name = action;
    a.version = p.version;
    if (a.note.empty()) a.note = "说明";
    return problems_->Act(p.id, a, by, by.login);
  }
  ProblemAction Assign(Date deadline) {
    ProblemAction a;
    a.lead_unit = "县自然资源局";
    a.co_units = std::vector<std::string>{"县环保局"};
    a.person = "张三";
    a.deadline = deadline;
    return a;
  }
  std::unique_ptr<Problems> problems_;
  int64_t a_ = 0, b_ = 0;
  User admin_, lead_, co_, other_, owner_, leader_, auditor_;
};

Date Later(int days) { return AddDays(TodayBeijing(), days); }

// The moves the test expects, written independently of the product: {action, state it starts
// from, who may} → allowed.
TEST_P(ProblemsTest, EveryMoveFromEveryStateByEveryRole) {
  const std::vector<std::string> actions = {"assign", "object", "answer", "return", "confirm", "extend",
                                            "approve_extension", "refuse_extension", "reopen", "escalate"};
  struct Who {
    const char* name;
    const User* user;
  };
  const std::vector<Who> users = {{"admin", &admin_}, {"lead", &lead_}, {"co", &co_}, {"owner", &owner_},
                                  {"leader", &leader_}};
  // The problems are raised by the owner, then again by the lead unit's user (the unit that answers
  // may not close its own answer: separation of duties).
  auto expected = [&](const std::string& a, const std::string& state, bool ext_pending, const std::string& who,
                      const std::string& raised_by) {
    const bool admin = who == "admin", lead = who == "lead", raiser = who == raised_by;
    if (a == "assign") return state == "pending" && admin;
    if (a == "object") return state == "working" && lead;
    if (a == "answer") return state == "working" && (admin || lead);
    if (a == "return") return state == "answered" && (admin || raiser);
    if (a == "confirm") return state == "answered" && (admin || (raiser && !lead));
    if (a == "extend") return state == "working" && !ext_pending && lead;
    if (a == "approve_extension" || a == "refuse_extension") return ext_pending && state != "closed" && admin;
    if (a == "reopen") return state == "closed" && admin;
    if (a == "escalate") return state != "closed" && admin;
    return false;
  };
  // A fresh problem in each state (and working with an extension pending).
  auto in_state = [&](const std::string& state, bool ext, const User& raiser) {
    Problem p = Raised(a_, raiser);
    if (state == "pending") return p;
    p = *Do(p, "assign", admin_, Assign(Later(30)));
    if (ext) {
      ProblemAction e;
      e.deadline = Later(60);
      p = *Do(p, "extend", lead_, e);
    }
    if (state == "working") return p;
    p = *Do(p, "answer", lead_);
    if (state == "answered") return p;
    return *Do(p, "confirm", admin_);
  };
  int checked = 0;
  for (const Who& raiser : {Who{"owner", &owner_}, Who{"lead", &lead_}}) {
    for (auto [state, ext] : std::vector<std::pair<std::string, bool>>{
             {"pending", false}, {"working", false}, {"working", true}, {"answered", false}, {"closed", false}}) {
      for (const std::string& a : actions) {
        for (const Who& w : users) {
          Problem p = in_state(state, ext, *raiser.user);
          ASSERT_EQ(ProblemStateName(p.state), state);
          const bool want = expected(a, state, ext, w.name, raiser.name);
          ProblemAction extra;
          if (a == "assign") extra = Assign(Later(30));
          if (a == "extend") extra.deadline = Later(90);
          auto allowed = problems_->Allowed(p, *w.user);
          EXPECT_EQ(std::find(allowed.begin(), allowed.end(), a) != allowed.end(), want)
              << a << " from " << state << (ext ? "+ext" : "") << " by " << w.name << ", raised by " << raiser.name;
          auto r = Do(p, a, *w.user, extra);
          EXPECT_EQ(r.ok(), want) << a << " from " << state << (ext ? "+ext" : "") << " by " << w.name << ", raised by "
                                  << raiser.name << ": " << r.status().message();
          if (!want && !r.ok()) {
            EXPECT_TRUE(r.status().code() == ErrorCode::kConflict || r.status().code() == ErrorCode::kPermissionDenied ||
                        r.status().code() == ErrorCode::kNotFound)
                << a << " " << r.status().message();
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 5 * 10 * 5);
}

// 销号 is the bureau's, or the raiser's when the raiser is not the unit that answered: the lead unit
// confirming its own answer is refused with a message that says why.
TEST_P(ProblemsTest, TheUnitThatAnsweredMayNotConfirmItsOwnAnswer) {
  Problem p = Raised(a_, lead_);
  p = *Do(p, "assign", admin_, Assign(Later(30)));
  p = *Do(p, "answer", lead_);
  auto allowed = problems_->Allowed(p, lead_);
  EXPECT_EQ(std::find(allowed.begin(), allowed.end(), "confirm"), allowed.end());
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "return"), allowed.end()) << "it may still take its answer back";
  auto own = Do(p, "confirm", lead_);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(own.status().message().find("主办单位不能为本单位的办理结果销号"), std::string::npos) << own.status().message();
  // A co-unit that raised it may confirm the lead unit's answer.
  Problem q = Raised(a_, co_);
  q = *Do(q, "assign", admin_, Assign(Later(30)));
  q = *Do(q, "answer", lead_);
  EXPECT_TRUE(Do(q, "confirm", co_).ok());
  EXPECT_TRUE(Do(p, "confirm", admin_).ok());
}

TEST_P(ProblemsTest, TheWholeFlowIsRecordedAndNothingIsLost) {
  Problem p = Raised(a_, owner_);
  EXPECT_EQ(p.state, ProblemState::kPending);
  p = *Do(p, "assign", admin_, Assign(Later(30)));
  EXPECT_EQ(p.lead_unit, "县自然资源局");
  ProblemAction objection;
  objection.note = "不属于本单位职责";
  p = *Do(p, "object", lead_, objection);
  EXPECT_EQ(p.state, ProblemState::kPending) << "an objection sends it back to the bureau";
  p = *Do(p, "assign", admin_, Assign(Later(20)));
  ProblemAction ext;
  ext.deadline = Later(10);
  EXPECT_EQ(Do(p, "extend", lead_, ext).status().field(), "deadline") << "an extension must move the deadline later";
  ext.deadline = Later(40);
  p = *Do(p, "extend", lead_, ext);
  EXPECT_EQ(Do(p, "extend", lead_, ext).status().code(), ErrorCode::kConflict) << "one extension pending at a time";
  p = *Do(p, "approve_extension", admin_);
  EXPECT_EQ(p.deadline, Later(40));
  EXPECT_FALSE(p.ext_deadline);
  ProblemAction blank;
  blank.name = "answer";
  blank.version = p.version;
  blank.note = "  ";
  EXPECT_EQ(problems_->Act(p.id, blank, lead_, "zj").status().field(), "note");
  p = *Do(p, "answer", lead_);
  p = *Do(p, "return", owner_);
  EXPECT_EQ(p.state, ProblemState::kWorking);
  p = *Do(p, "answer", lead_);
  ProblemAction close;
  close.date = Date{2024, 1, 5};
  EXPECT_EQ(Do(p, "confirm", admin_, close).status().field(), "date") << "closed before it was raised";
  close.date = Later(1);
  EXPECT_EQ(Do(p, "confirm", admin_, close).status().field(), "date") << "closed in the future";
  p = *Do(p, "confirm", owner_);
  EXPECT_EQ(p.state, ProblemState::kClosed);
  EXPECT_EQ(p.closed_on, TodayBeijing());
  p = *Do(p, "reopen", admin_);
  EXPECT_EQ(p.state, ProblemState::kWorking);
  EXPECT_FALSE(p.closed_on);
  // A stale version is refused.
  ProblemAction stale;
  stale.name = "answer";
  stale.version = p.version - 1;
  stale.note = "x";
  EXPECT_EQ(problems_->Act(p.id, stale, lead_, "zj").status().code(), ErrorCode::kConflict);
  auto events = problems_->Events(p.id);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> moves;
  for (const auto& e : *events) moves.push_back(e.action);
  EXPECT_EQ(moves, (std::vector<std::string>{"raise", "assign", "object", "assign", "extend", "approve_extension", "answer",
                                             "return", "answer", "confirm", "reopen"}));
  EXPECT_EQ(events->back().by, "admin");
  EXPECT_EQ(events->at(2).note, "不属于本单位职责");
}

TEST_P(ProblemsTest, ADepartmentSeesOnlyItsUnitsProblems) {
  Problem mine = Raised(a_, admin_);
  mine = *Do(mine, "assign", admin_, Assign(Later(5)));
  Problem others = Raised(b_, admin_);
  EXPECT_TRUE(problems_->CanSee(lead_, mine));
  EXPECT_TRUE(problems_->CanSee(co_, mine)) << "a co-unit sees it";
  EXPECT_FALSE(problems_->CanSee(other_, mine));
  EXPECT_FALSE(problems_->CanSee(lead_, others));
  EXPECT_TRUE(problems_->CanSee(owner_, mine)) << "业主甲 owns P-A";
  EXPECT_FALSE(problems_->CanSee(owner_, others));
  User bank = UserOf("bk", Role::kBank, "农行");
  EXPECT_FALSE(problems_->CanSee(bank, mine));
  ProblemFilter f;
  f.as_of = TodayBeijing();
  EXPECT_EQ(problems_->List(f, other_)->total, 0);
  EXPECT_EQ(problems_->List(f, lead_)->total, 1);
  EXPECT_EQ(problems_->List(f, admin_)->total, 2);
  EXPECT_EQ(problems_->List(f, auditor_)->total, 2);
  EXPECT_EQ(Do(mine, "answer", other_).status().code(), ErrorCode::kNotFound) << "another unit cannot even find it";
  stats::ProblemQuery q;
  q.as_of = TodayBeijing();
  q.unit = "县教育局";
  EXPECT_EQ(problems_->Stats(q)->total.raised, 0);
  q.unit = "县自然资源局";
  EXPECT_EQ(problems_->Stats(q)->total.raised, 1);
}

// The figures, against a computation written here over problems with random dates, closures and
// reopenings, at every day of a quarter.
TEST_P(ProblemsTest, FiguresEqualACountWrittenHereOnEveryDay) {
  std::mt19937 rng(20240331);
  auto day = [&](int lo, int hi) { return AddDays(Date{2024, 1, 1}, std::uniform_int_distribution<int>(lo, hi)(rng)); };
  struct Expect {
    int64_t project;
    Date raised;
    std::optional<Date> deadline;
    std::vector<std::pair<Date, std::optional<Date>>> closures;  // closed, reopened
    std::string unit, category;
  };
  std::vector<Expect> model;
  const std::vector<std::string> units = {"县自然资源局", "县住建局", "县电力公司"};
  const std::vector<std::string> cats = {"用地", "资金", "环评"};
  std::vector<ProblemImportRow> rows;
  for (int i = 0; i < 60; ++i) {
    Expect e;
    e.project = i % 2 ? a_ : b_;
    e.raised = day(0, 80);
    if (i % 5) e.deadline = AddDays(e.raised, std::uniform_int_distribution<int>(0, 40)(rng));
    e.unit = units[i % 3];
    e.category = cats[(i / 3) % 3];
    ProblemImportRow r;
    r.project_code = e.project == a_ ? "P-A" : "P-B";
    r.problem.category = e.category;
    r.problem.text = "问题" + std::to_string(i);
    r.problem.source = "月报";
    r.problem.lead_unit = e.unit;
    r.problem.raised_on = e.raised;
    r.problem.deadline = e.deadline;
    r.problem.state = ProblemState::kWorking;
    if (i % 3 == 0) {
      r.problem.state = ProblemState::kClosed;
      r.problem.closed_on = AddDays(e.raised, std::uniform_int_distribution<int>(0, 30)(rng));
      e.closures.push_back({*r.problem.closed_on, std::nullopt});
    }
    rows.push_back(r);
    model.push_back(e);
  }
  auto ids = problems_->ImportRows(rows, "t");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), rows.size());
  // Reopen some closed ones today: as of any day in 2024 they count as closed from their closure.
  for (size_t i = 0; i < model.size(); i += 6) {
    auto p = problems_->Get((*ids)[i]);
    ASSERT_EQ(p->state, ProblemState::kClosed);
    ASSERT_TRUE(Do(*p, "reopen", admin_).ok());
    model[i].closures.back().second = TodayBeijing();
  }
  for (Date d = {2024, 1, 1}; d <= Date{2024, 4, 30}; d = AddDays(d, 1)) {
    std::map<std::string, stats::ProblemFigures> want;  // by unit; "" = total
    for (const Expect& e : model) {
      if (e.raised > d) continue;
      std::optional<Date> closed;
      for (const auto& [c, r] : e.closures) {
        if (c <= d && (!r || d < *r)) closed = c;
      }
      for (const std::string& key : {std::string(), e.unit}) {
        auto& g = want[key];
        g.raised += 1;
        if (closed) {
          g.closed += 1;
          g.days_to_close += DayNumber(*closed) - DayNumber(e.raised);
          if (!e.deadline || *closed <= *e.deadline) g.closed_on_time += 1;
        } else {
          g.open += 1;
          if (e.deadline && *e.deadline < d) g.overdue += 1;
        }
      }
    }
    stats::ProblemQuery q;
    q.as_of = d;
    q.by = stats::ProblemGroupBy::kUnit;
    auto got = problems_->Stats(q);
    ASSERT_TRUE(got.ok());
    auto same = [&](const stats::ProblemFigures& g, const stats::ProblemFigures& w, const std::string& what) {
      EXPECT_EQ(g.raised, w.raised) << what;
      EXPECT_EQ(g.closed, w.closed) << what;
      EXPECT_EQ(g.open, w.open) << what;
      EXPECT_EQ(g.overdue, w.overdue) << what;
      EXPECT_EQ(g.closed_on_time, w.closed_on_time) << what;
      EXPECT_EQ(g.days_to_close, w.days_to_close) << what;
    };
    same(got->total, want[""], d.ToString() + " total");
    size_t groups = 0;
    for (const auto& g : got->groups) {
      same(g, want[g.key], d.ToString() + " " + g.key);
      ++groups;
    }
    EXPECT_EQ(groups + 1, want.size()) << d.ToString();
  }
}

TEST_P(ProblemsTest, TheRateAndTheSentenceAtTheirBoundaries) {
  // 191 raised, 190 closed: "办结率99.5%" (99.476… rounds up), as the reference bureau published.
  std::vector<ProblemImportRow> rows;
  for (int i = 0; i < 191; ++i) {
    ProblemImportRow r;
    r.project_code = "P-A";
    r.problem.category = "其他";
    r.problem.text = "问题" + std::to_string(i);
    r.problem.source = "月报";
    r.problem.lead_unit = "县住建局";
    r.problem.raised_on = {2024, 3, 1};
    r.problem.deadline = Date{2024, 3, 20};
    r.problem.state = i < 190 ? ProblemState::kClosed : ProblemState::kWorking;
    if (i < 190) r.problem.closed_on = Date{2024, 3, i < 100 ? 20 : 21};
    rows.push_back(r);
  }
  ASSERT_TRUE(problems_->ImportRows(rows, "t").ok());
  stats::ProblemQuery q;
  q.as_of = {2024, 3, 31};
  auto r = problems_->Stats(q);
  EXPECT_EQ(stats::ProblemStatsSentence(*r), "提出问题191个，办结190个，办结率99.5%，逾期未办结1个");
  EXPECT_EQ(r->total.closed_on_time, 100) << "closed on the deadline day is on time; the day after is not";
  auto j = stats::ProblemStatsToJson(*r);
  EXPECT_EQ(j.at("total").at("display").at("closure_rate_pct").as_string(), "99.5");
  EXPECT_EQ(j.at("total").at("display").at("avg_days_to_close").as_string(), "19.5") << "(100×19 + 90×20) ÷ 190 = 19.47…";
  q.as_of = {2024, 3, 20};
  r = problems_->Stats(q);
  EXPECT_EQ(r->total.closed, 100) << "closed on the as-of day counts; the next day's do not";
  EXPECT_EQ(r->total.overdue, 0) << "due on the as-of day is not yet overdue";
  q.as_of = {2024, 3, 21};
  EXPECT_EQ(problems_->Stats(q)->total.overdue, 1);
  q.as_of = {2024, 2, 29};
  EXPECT_EQ(problems_->Stats(q)->total.raised, 0) << "raised after the as-of day";
  EXPECT_EQ(stats::ProblemStatsSentence(*problems_->Stats(q)), "提出问题0个，办结0个，逾期未办结0个");
}

TEST_P(ProblemsTest, EscalationClimbsOneLevelPerIntervalAndTellsThatLevel) {
  User dept = lead_;
  dept.login = "zjdept";
  for (const User& u : {dept, leader_, UserOf("top", Role::kLeader, "")}) {
    User x = u;
    x.password_hash = "x";
    if (u.login == "ld") x.display_name = "王县长";  // chairs both projects
    ASSERT_TRUE(store_->CreateUser(x, "t").ok());
  }
  Problem p = Raised(a_, admin_, Date{2024, 1, 2});
  // Assign through the store path the import uses, so the deadline can be in the past.
  Problem stored = *problems_->Get(p.id);
  ProblemImportRow row;
  row.project_code = "P-A";
  row.problem = stored;
  row.problem.text = "逾期问题";
  row.problem.lead_unit = "县自然资源局";
  row.problem.deadline = Date{2024, 2, 1};
  row.problem.state = ProblemState::kWorking;
  auto ids = problems_->ImportRows({row}, "t");
  ASSERT_TRUE(ids.ok());
  const int64_t id = ids->at(0);
  auto level = [&] { return problems_->Get(id)->escalation; };
  EXPECT_EQ(problems_->Escalate({2024, 2, 7})->escalated, 0) << "6 days overdue";
  EXPECT_EQ(level(), 0);
  EXPECT_EQ(problems_->Escalate({2024, 2, 8})->escalated, 1) << "7 days overdue: level 1";
  EXPECT_EQ(level(), 1);
  EXPECT_EQ(problems_->Escalate({2024, 2, 8})->escalated, 0) << "the same day twice changes nothing";
  auto run = problems_->Escalate({2024, 2, 29});  // 28 days: straight to 4, one event per level
  EXPECT_EQ(run->escalated, 1);
  EXPECT_EQ(level(), 4);
  int escalations = 0;
  auto events = problems_->Events(id);  // kept: a range over *temporary would dangle
  ASSERT_TRUE(events.ok());
  for (const auto& e : *events) escalations += e.action == "escalate";
  EXPECT_EQ(escalations, 4);
  EXPECT_EQ(problems_->Escalate({2024, 6, 1})->escalated, 0) << "4 is the top";
  // The figures count it escalated from its first escalation's day, not from today's state: a past
  // period's report says what was true then.
  auto escalated_as_of = [&](const Date& d) {
    stats::ProblemQuery q;
    q.as_of = d;
    return problems_->Stats(q)->total.escalated;
  };
  EXPECT_EQ(escalated_as_of({2024, 2, 7}), 0) << "first escalated on 02-08";
  EXPECT_EQ(escalated_as_of({2024, 2, 8}), 1);
  EXPECT_EQ(escalated_as_of({2024, 12, 31}), 1);
  // Who was told: the lead unit's department at 1–2, the chairing leader at 3, every leader at 4.
  auto users = store_->ListUsers();
  std::map<std::string, int64_t> uid;
  for (const User& u : *users) uid[u.login] = u.id;
  store::ReminderStore bell(store_->db());
  auto titles = [&](const std::string& login) {
    std::set<std::string> out;
    auto list = bell.ListNotifications(uid[login], false, 100);
    for (const auto& n : *list) out.insert(n.title);
    return out;
  };
  EXPECT_EQ(titles("zjdept"), (std::set<std::string>{"问题升级督办：一级督办(责任单位分管负责人)",
                                                       "问题升级督办：二级督办(责任单位主要负责人)"}));
  EXPECT_EQ(titles("ld"), (std::set<std::string>{"问题升级督办：三级督办(包抓县领导)", "问题升级督办：四级督办(县委县政府主要领导)"}));
  EXPECT_EQ(titles("top"), (std::set<std::string>{"问题升级督办：四级督办(县委县政府主要领导)"}));
  // A closed problem is never escalated.
  Problem q = Raised(b_, admin_, Date{2024, 1, 2});
  q = *Do(q, "assign", admin_, Assign(Later(1)));
  q = *Do(q, "answer", admin_);
  q = *Do(q, "confirm", admin_);
  EXPECT_EQ(problems_->Escalate(Later(100))->escalated, 0);
}

TEST_P(ProblemsTest, ABadImportWritesNothingAndNamesTheCell) {
  auto count = [&] {
    ProblemFilter f;
    f.as_of = TodayBeijing();
    return problems_->List(f, admin_)->total;
  };
  const std::string header = "项目编码,问题类别,问题描述,主办单位,协办单位,责任人,提出日期,办结时限,状态,办结日期,办理结果\n";
  auto import = [&](const std::string& body) { return problems_->ImportFile(header + body, "t"); };
  struct Case {
    std::string row, column;
  };
  for (const Case& c : std::vector<Case>{
           {"P-A,用地,征地未完成,县自然资源局,,张三,2024-01-10,2024-02-10,已销号,,已解决\n", "办结日期"},
           {"P-A,用地,征地未完成,县自然资源局,,张三,2024-01-10,2024-02-10,已销号,2024-01-09,已解决\n", "办结日期"},
           {"P-X,用地,征地未完成,县自然资源局,,张三,2024-01-10,,待交办,,\n", "项目编码"},
           {"P-A,天气,下雨,县自然资源局,,张三,2024-01-10,,待交办,,\n", "问题类别"},
           {"P-A,用地,征地未完成,,,张三,2024-01-10,,办理中,,\n", "主办单位"},
           {"P-A,用地,征地未完成,县自然资源局,,张三,2024-02-30,,待交办,,\n", "提出日期"},
           {"P-A,用地,征地未完成,县自然资源局,,张三,2024-01-10,,搁置,,\n", "状态"},
       }) {
    auto out = import("P-B,资金,资金未到位,县财政局,县发改局、县住建局,李四,2024-01-05,2024-03-01,办理中,,\n" + c.row);
    ASSERT_TRUE(out.ok());
    ASSERT_FALSE(out->ok()) << c.row;
    EXPECT_EQ(out->parsed.errors.at(0).column, c.column) << c.row;
    EXPECT_EQ(out->parsed.errors.at(0).row, 3) << c.row;
    EXPECT_EQ(count(), 0) << "the good row before it is not written either";
  }
  auto ok = import("P-B,资金,资金未到位,县财政局,县发改局、县住建局,李四,2024-01-05,2024-03-01,办理中,,\n"
                   "P-A,用地,征地未完成,县自然资源局,,张三,2024-01-10,2024-02-10,已销号,2024-02-08,已供地\n");
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->ok()) << FormatImportError(ok->parsed.errors.at(0));
  EXPECT_EQ(count(), 2);
  ProblemFilter f;
  f.as_of = TodayBeijing();
  auto list = problems_->List(f, admin_);
  const Problem& open = list->items.at(0).problem;  // open ones first
  EXPECT_EQ(open.co_units, (std::vector<std::string>{"县发改局", "县住建局"}));
  // The same rows written twice in one call (two imports at once) are added once.
  std::vector<ProblemImportRow> twice(2, ok->parsed.rows.at(0));
  twice[0].problem.text = twice[1].problem.text = "同一问题";
  ASSERT_TRUE(problems_->ImportRows({twice[0]}, "t").ok());
  store::ProblemStore raw(store_->db());
  Problem direct = twice[1].problem;
  direct.project_id = b_;
  direct.raised_by = "t";
  EXPECT_EQ(raw.InsertAll({direct}, "t")->size(), 0u) << "the store skips a row already there, inside its transaction";
  EXPECT_EQ(count(), 3);
  // A raise the assignment would refuse writes nothing.
  Problem late;
  late.project_id = a_;
  late.category = "用地";
  late.text = "过期时限";
  late.source = "月报";
  late.lead_unit = "县自然资源局";
  late.raised_on = {2024, 3, 1};
  late.deadline = Date{2024, 5, 1};
  EXPECT_EQ(problems_->Raise(late, admin_, "admin").status().field(), "deadline");
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(list->items.at(1).problem.closed_on, (Date{2024, 2, 8}));
  // Importing the same 台账 again adds nothing.
  ASSERT_TRUE(import("P-A,用地,征地未完成,县自然资源局,,张三,2024-01-10,2024-02-10,已销号,2024-02-08,已供地\n").ok());
  EXPECT_EQ(count(), 3);
}

TEST_P(ProblemsTest, AFindingBecomesOneProblemEvenOnADoubleClick) {
  Supervision sup(*store_, *reg_, *problems_);
  Visit v;
  v.start = v.end = {2024, 3, 12};
  v.leader = "李副县长";
  v.members = {"发改局 王五"};
  VisitStop s;
  s.project_id = a_;
  s.seen = "主体施工";
  s.reported = "主体封顶";
  s.on_schedule = false;
  s.findings = {VisitFinding{0, "施工用电未接入", "水电气讯", "open", std::nullopt},
                VisitFinding{0, "围挡破损", "其他", "solved", std::nullopt}};
  v.stops = {s};
  VisitStop t;
  t.project_id = b_;
  v.stops.push_back(t);
  // A member without a name is refused naming the field, and nothing is saved (the figures below count one visit).
  Visit unnamed = v;
  unnamed.members.push_back("");
  auto refused = sup.Save(unnamed, "admin");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field(), "members");
  auto saved = sup.Save(v, "admin");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  const int64_t fid = saved->stops[0].findings[0].id;
  auto first = sup.FindingToProblem(saved->id, fid, std::string("县电力公司"), std::nullopt, admin_, "admin");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->source, "现场督导");
  EXPECT_EQ(first->visit_id, saved->id);
  EXPECT_EQ(first->raised_on, (Date{2024, 3, 12}));
  EXPECT_EQ(sup.FindingToProblem(saved->id, fid, std::nullopt, std::nullopt, admin_, "admin").status().code(),
            ErrorCode::kConflict);
  ProblemFilter f;
  f.as_of = TodayBeijing();
  EXPECT_EQ(problems_->List(f, admin_)->total, 1);
  // Editing the visit keeps the link.
  Visit edited = *sup.Get(saved->id, admin_);
  edited.note = "复查";
  auto again = sup.Save(edited, "admin");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->stops[0].findings[0].problem_id, first->id);
  auto fig = sup.Figures({2024, 1, 1}, {2024, 3, 31}, {}, admin_);
  EXPECT_EQ(fig->visits, 1);
  EXPECT_EQ(fig->stops, 2);
  EXPECT_EQ(fig->projects_covered, 2);
  EXPECT_EQ(fig->on_schedule, 1);
  EXPECT_EQ(fig->with_problems, 1);
  EXPECT_EQ(fig->findings, 2);
  EXPECT_EQ(fig->solved_on_spot, 1);
  EXPECT_EQ(fig->problems_raised, 1);
  EXPECT_EQ(sup.Figures({2024, 3, 13}, {2024, 3, 31}, {}, admin_)->visits, 0) << "a visit counts in the period it starts in";
  auto provincial = sup.Figures({2024, 1, 1}, {2024, 3, 31}, {Level::kProvincial}, admin_);
  EXPECT_EQ(provincial->stops, 1);
  // Bad input names its field.
  Visit bad = v;
  bad.stops[0].findings[0].outcome = "maybe";
  EXPECT_EQ(sup.Save(bad, "admin").status().field(), "stops[0].findings[0].outcome");
  bad = v;
  bad.end = {2024, 3, 11};
  EXPECT_EQ(sup.Save(bad, "admin").status().field(), "end");
  bad = v;
  bad.stops.push_back(bad.stops[0]);
  EXPECT_EQ(sup.Save(bad, "admin").status().field(), "stops[2].project_id");
}

// A problem in hand (办理中/待销号) keeps a deadline no earlier than the day it was raised; a closed
// one is not edited (a state conflict: reopen it first), even by the bureau.
TEST_P(ProblemsTest, AnEditKeepsAProblemInHandToADeadlineAndLeavesAClosedOneAlone) {
  Problem p = Raised(a_, owner_, {2024, 1, 10});
  Problem pending = p;
  pending.deadline.reset();
  EXPECT_TRUE(problems_->Edit(pending, admin_, "admin").ok()) << "待交办 may have no deadline yet";
  p = *problems_->Get(p.id);
  p = *Do(p, "assign", admin_, Assign(Later(30)));
  for (ProblemState s : {ProblemState::kWorking, ProblemState::kAnswered}) {
    if (s == ProblemState::kAnswered) p = *Do(p, "answer", lead_);
    ASSERT_EQ(p.state, s);
    Problem none = p;
    none.deadline.reset();
    auto r = problems_->Edit(none, admin_, "admin");
    ASSERT_FALSE(r.ok()) << ProblemStateName(s);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "deadline");
    Problem early = p;
    early.deadline = Date{2024, 1, 9};
    r = problems_->Edit(early, admin_, "admin");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().field(), "deadline");
    EXPECT_EQ(problems_->Get(p.id)->deadline, Later(30)) << "nothing written";
  }
  Problem later = p;
  later.deadline = Later(45);
  p = *problems_->Edit(later, admin_, "admin");
  EXPECT_EQ(p.deadline, Later(45));
  p = *Do(p, "confirm", admin_);
  Problem closed = p;
  closed.text = "改写";
  auto r = problems_->Edit(closed, admin_, "admin");
  EXPECT_EQ(r.status().code(), ErrorCode::kConflict) << r.status().message();
  EXPECT_EQ(problems_->Edit(closed, owner_, "yz").status().code(), ErrorCode::kPermissionDenied) << "the raiser edits only while 待交办";
}

// Each 督办 level's logins must be users: an unknown one is refused, named.
TEST_P(ProblemsTest, EscalationLevelsRefuseAnUnknownLogin) {
  User u;
  u.login = "ld2";
  u.display_name = "李县长";
  u.role = Role::kLeader;
  u.password_hash = "x";
  ASSERT_TRUE(store_->CreateUser(u, "admin").ok());
  ProblemSettings s = *problems_->Settings();
  s.levels[2].logins = {"ld2", "nobody9"};
  Status st = problems_->SaveSettings(s, "admin");
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "levels");
  EXPECT_NE(st.message().find("nobody9"), std::string::npos) << st.message();
  EXPECT_TRUE(problems_->Settings()->levels[2].logins.empty()) << "nothing saved";
  s.levels[2].logins = {"ld2"};
  EXPECT_TRUE(problems_->SaveSettings(s, "admin").ok());
  EXPECT_EQ(problems_->Settings()->levels[2].logins, std::vector<std::string>{"ld2"});
}

// Editing a visit matches findings by id. A finding that became a problem keeps its id and problem;
// an edit that would drop it (sent without ids, or its stop removed) or move it to another project
// is refused naming it, and writes nothing.
TEST_P(ProblemsTest, AVisitEditNeverDropsAFindingThatBecameAProblem) {
  Supervision sup(*store_, *reg_, *problems_);
  Visit v;
  v.start = v.end = {2024, 3, 12};
  v.leader = "李副县长";
  VisitStop s;
  s.project_id = a_;
  s.findings = {VisitFinding{0, "施工用电未接入", "水电气讯", "open", std::nullopt},
                VisitFinding{0, "围挡破损", "其他", "solved", std::nullopt}};
  VisitStop t;
  t.project_id = b_;
  t.findings = {VisitFinding{0, "未设公示牌", "其他", "solved", std::nullopt}};
  v.stops = {s, t};
  Visit saved = *sup.Save(v, "admin");
  const int64_t linked = saved.stops[0].findings[0].id, loose = saved.stops[0].findings[1].id;
  Problem p = *sup.FindingToProblem(saved.id, linked, std::string("县电力公司"), std::nullopt, admin_, "admin");
  Visit stored = *sup.Get(saved.id, admin_);
  ASSERT_EQ(stored.stops[0].findings[0].problem_id, p.id);

  auto refused = [&](Visit edit, ErrorCode code, const std::string& says, const std::string& field) {
    auto r = sup.Save(edit, "admin");
    ASSERT_FALSE(r.ok()) << says;
    EXPECT_EQ(r.status().code(), code) << r.status().message();
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().field(), field);
    Visit now = *sup.Get(saved.id, admin_);
    EXPECT_EQ(now.version, stored.version) << "nothing written";
    EXPECT_EQ(now.stops[0].findings[0].id, linked);
    EXPECT_EQ(now.stops[0].findings[0].problem_id, p.id);
  };
  // The outside attack: the same visit sent back without the findings' ids.
  Visit no_ids = stored;
  for (auto& st : no_ids.stops) {
    for (auto& f : st.findings) f.id = 0;
  }
  refused(no_ids, ErrorCode::kConflict, "施工用电未接入", "stops");
  refused(no_ids, ErrorCode::kConflict, "#" + std::to_string(p.id), "stops");
  Visit no_stop = stored;
  no_stop.stops.erase(no_stop.stops.begin());
  refused(no_stop, ErrorCode::kConflict, "督导项目 P-A", "stops");
  Visit moved = stored;
  moved.stops[1].findings.push_back(moved.stops[0].findings[0]);
  moved.stops[0].findings.erase(moved.stops[0].findings.begin());
  refused(moved, ErrorCode::kConflict, "不能移到另一个项目", "stops[1].findings[1].id");
  // An id that is not this visit's is refused, not taken as a new finding.
  Visit other = v;
  other.stops[0].findings.clear();
  Visit second = *sup.Save(other, "admin");
  Visit foreign = stored;
  foreign.stops[1].findings[0].id = second.stops[1].findings[0].id;
  refused(foreign, ErrorCode::kInvalidArgument, "没有编号为", "stops[1].findings[0].id");
  Visit twice = stored;
  twice.stops[0].findings[1].id = linked;
  refused(twice, ErrorCode::kInvalidArgument, "出现了两次", "stops[0].findings[1].id");

  // With ids: the linked finding is reworded and kept, the loose one dropped, one added.
  Visit edit = stored;
  edit.stops[0].findings[0].text = "施工用电仍未接入";
  edit.stops[0].findings[0].problem_id.reset();  // what the client says of the link does not matter
  edit.stops[0].findings.erase(edit.stops[0].findings.begin() + 1);
  edit.stops[0].findings.push_back(VisitFinding{0, "塔吊未备案", "施工许可", "open", std::nullopt});
  auto out = sup.Save(edit, "admin");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->stops[0].findings.size(), 2u);
  EXPECT_EQ(out->stops[0].findings[0].id, linked) << "a finding keeps its id across edits";
  EXPECT_EQ(out->stops[0].findings[0].problem_id, p.id);
  EXPECT_EQ(out->stops[0].findings[0].text, "施工用电仍未接入");
  EXPECT_NE(out->stops[0].findings[1].id, loose);
  EXPECT_FALSE(out->stops[0].findings[1].problem_id);
  EXPECT_EQ(out->stops[1].findings[0].id, stored.stops[1].findings[0].id);
  // The new finding becomes a problem by the id the edit answered.
  auto again = sup.FindingToProblem(saved.id, out->stops[0].findings[1].id, std::nullopt, std::nullopt, admin_, "admin");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(sup.Get(saved.id, admin_)->stops[0].findings[1].problem_id, again->id);
}

// The period's figures honour the caller's scope and the levels: a department sees its unit's
// projects, an owner its own; a visit counts when it stopped at one of them.
TEST_P(ProblemsTest, VisitFiguresKeepToTheCallersProjects) {
  Supervision sup(*store_, *reg_, *problems_);
  const int64_t c = Make("P-C", Level::kCounty, "县交通局", "业主丙");
  auto visit = [&](Date d, std::vector<int64_t> projects) {
    Visit v;
    v.start = v.end = d;
    v.leader = "李副县长";
    for (int64_t id : projects) {
      VisitStop s;
      s.project_id = id;
      s.on_schedule = id != b_;
      s.findings = {VisitFinding{0, "问题" + std::to_string(id), "其他", "solved", std::nullopt}};
      v.stops.push_back(s);
    }
    ASSERT_TRUE(sup.Save(v, "admin").ok());
  };
  for (int64_t id : {a_, b_, c}) ASSERT_TRUE(reg_->SetPlan(id, 2024, Money::FromWan(100), "admin").ok());
  visit({2024, 2, 1}, {a_, b_});
  visit({2024, 2, 8}, {b_});
  visit({2024, 2, 15}, {b_, c});
  const Date from{2024, 1, 1}, to{2024, 3, 31};
  auto all = *sup.Figures(from, to, {}, admin_);
  EXPECT_EQ(all.visits, 3);
  EXPECT_EQ(all.stops, 5);
  EXPECT_EQ(all.projects_covered, 3);
  User transport = UserOf("jt2", Role::kDepartment, "县交通局");  // b_ and c
  auto mine = *sup.Figures(from, to, {}, transport);
  EXPECT_EQ(mine.visits, 3);
  EXPECT_EQ(mine.stops, 4);
  EXPECT_EQ(mine.projects_covered, 2);
  EXPECT_EQ(mine.projects_total, 2) << "coverage is of the unit's projects";
  EXPECT_EQ(all.projects_total, 3);
  EXPECT_EQ(mine.on_schedule, 1) << "c on schedule, b_ not";
  auto housing = *sup.Figures(from, to, {}, UserOf("zj2", Role::kDepartment, "县住建局"));  // a_ only
  EXPECT_EQ(housing.visits, 1);
  EXPECT_EQ(housing.stops, 1);
  EXPECT_EQ(housing.findings, 1);
  auto owner = *sup.Figures(from, to, {}, UserOf("yz3", Role::kOwner, "业主丙"));  // c only
  EXPECT_EQ(owner.visits, 1);
  EXPECT_EQ(owner.projects_covered, 1);
  auto provincial = *sup.Figures(from, to, {Level::kProvincial}, admin_);  // a_ only
  EXPECT_EQ(provincial.visits, 1) << "visits that stopped only at county projects are not counted";
  EXPECT_EQ(provincial.stops, 1);
  EXPECT_EQ(provincial.projects_total, 1);
  EXPECT_EQ(sup.Figures(from, to, {Level::kProvincial}, transport)->visits, 0);
  EXPECT_EQ(sup.Figures(from, to, {}, UserOf("x", Role::kDepartment, ""))->visits, 0) << "no unit, no projects";
}

// The dashboard's summary comes from the figures engine; it equals, for every role, a count written
// here over the list the same user is shown (the list keeps its own scope rules).
TEST_P(ProblemsTest, TheSummaryEqualsACountOverEachUsersList) {
  Problem overdue = Raised(a_, owner_, {2024, 1, 10});
  overdue = *Do(overdue, "assign", admin_, Assign(Later(3)));
  ProblemAction ext;
  ext.deadline = Later(60);
  overdue = *Do(overdue, "extend", lead_, ext);
  Problem answered = Raised(b_, admin_);
  ProblemAction other_unit = Assign(Later(9));
  other_unit.lead_unit = "县交通局";
  other_unit.co_units = std::vector<std::string>{"县环保局"};
  answered = *Do(answered, "assign", admin_, other_unit);
  answered = *Do(answered, "escalate", admin_);
  answered = *Do(answered, "answer", admin_);
  Problem closed = Raised(a_, admin_);
  closed = *Do(closed, "assign", admin_, Assign(Later(5)));
  closed = *Do(closed, "answer", lead_);
  closed = *Do(closed, "confirm", admin_);
  Raised(b_, owner_);  // 待交办
  // An as-of date past the deadlines, so some are overdue.
  const Date as_of = Later(7);
  int checked = 0;
  for (const User* u : {&admin_, &lead_, &co_, &other_, &owner_, &leader_, &auditor_}) {
    ProblemFilter f;
    f.as_of = as_of;
    f.limit = 0;
    auto page = problems_->List(f, *u);
    ASSERT_TRUE(page.ok());
    ProblemSummary want;
    for (const ProblemRow& r : page->items) {
      if (r.problem.state == ProblemState::kClosed) continue;
      want.open += 1;
      if (r.overdue_days) want.overdue += 1;
      if (r.problem.state == ProblemState::kAnswered) want.answered += 1;
      if (r.problem.escalation > 0) want.escalated += 1;
      if (r.problem.ext_deadline) want.pending_extensions += 1;
    }
    auto got = problems_->Summary(*u, as_of);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->open, want.open) << u->login;
    EXPECT_EQ(got->overdue, want.overdue) << u->login;
    EXPECT_EQ(got->answered, want.answered) << u->login;
    EXPECT_EQ(got->escalated, want.escalated) << u->login;
    EXPECT_EQ(got->pending_extensions, want.pending_extensions) << u->login;
    ++checked;
  }
  EXPECT_EQ(checked, 7);
  auto all = *problems_->Summary(admin_, as_of);
  EXPECT_EQ(all.open, 3);
  EXPECT_EQ(all.overdue, 1) << "the one due in 3 days, as of 7 days on (its extension is not yet approved)";
  EXPECT_EQ(all.answered, 1);
  EXPECT_EQ(all.escalated, 1);
  EXPECT_EQ(all.pending_extensions, 1);
  EXPECT_EQ(problems_->Summary(co_, as_of)->open, 2) << "县环保局 is co-unit of two open problems";
  EXPECT_EQ(problems_->Summary(other_, as_of)->open, 0);
}

// The list's order and pages, against a sort written here: open first by deadline (none last), then
// id; then closed, newest 办结日期 first, then id descending. Filters count every match; a page holds
// its slice of that order.
TEST_P(ProblemsTest, ListPagesFollowTheOrderWrittenHere) {
  std::mt19937 rng(7);
  std::vector<Problem> rows;
  for (int i = 0; i < 60; ++i) {
    Problem p;
    p.project_id = i % 3 == 0 ? b_ : a_;
    p.category = i % 5 == 0 ? "资金" : "用地";
    p.source = i % 4 == 0 ? "督导发现" : "月报";
    p.text = "问题" + std::to_string(i);
    p.raised_by = "admin";
    p.raised_on = AddDays(Date{2024, 1, 1}, static_cast<int32_t>(rng() % 30));
    p.lead_unit = i % 2 ? "县自然资源局" : "县交通局";
    if (rng() % 4) p.deadline = AddDays(p.raised_on, static_cast<int32_t>(rng() % 20));  // ties on purpose
    const int state = static_cast<int>(rng() % 3);
    if (state == 0) {
      p.state = ProblemState::kClosed;
      p.closed_on = AddDays(p.raised_on, static_cast<int32_t>(rng() % 5));
    } else {
      p.state = state == 1 ? ProblemState::kWorking : ProblemState::kAnswered;
    }
    rows.push_back(p);
  }
  store::ProblemStore raw(store_->db());
  auto ids = raw.InsertAll(rows, "admin");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i].id = (*ids)[i];
  const Date as_of{2024, 1, 25};
  auto expected = [&](const std::function<bool(const Problem&)>& keep) {
    std::vector<const Problem*> want;
    for (const Problem& p : rows) {
      if (keep(p)) want.push_back(&p);
    }
    std::sort(want.begin(), want.end(), [](const Problem* x, const Problem* y) {
      const bool xo = x->state != ProblemState::kClosed, yo = y->state != ProblemState::kClosed;
      if (xo != yo) return xo;
      if (xo) {
        if (x->deadline.has_value() != y->deadline.has_value()) return x->deadline.has_value();
        if (x->deadline && *x->deadline != *y->deadline) return *x->deadline < *y->deadline;
        return x->id < y->id;
      }
      if (*x->closed_on != *y->closed_on) return *y->closed_on < *x->closed_on;
      return x->id > y->id;
    });
    std::vector<int64_t> out;
    for (const Problem* p : want) out.push_back(p->id);
    return out;
  };
  auto paged = [&](ProblemFilter f, const User& u, int64_t* total) {
    std::vector<int64_t> out;
    f.as_of = as_of;
    f.limit = 7;
    for (f.offset = 0;; f.offset += f.limit) {
      auto page = problems_->List(f, u);
      EXPECT_TRUE(page.ok());
      *total = page->total;
      for (const ProblemRow& r : page->items) {
        out.push_back(r.problem.id);
        const auto want = r.problem.state != ProblemState::kClosed && r.problem.deadline && *r.problem.deadline < as_of
                              ? std::optional<int>(DayNumber(as_of) - DayNumber(*r.problem.deadline))
                              : std::nullopt;
        EXPECT_EQ(r.overdue_days, want) << r.problem.id;
      }
      if (page->items.size() < static_cast<size_t>(f.limit)) break;
    }
    return out;
  };
  int64_t total = 0;
  auto all = expected([](const Problem&) { return true; });
  EXPECT_EQ(paged({}, admin_, &total), all);
  EXPECT_EQ(total, 60);
  ProblemFilter overdue;
  overdue.overdue = true;
  auto late = expected([&](const Problem& p) { return p.state != ProblemState::kClosed && p.deadline && *p.deadline < as_of; });
  ASSERT_FALSE(late.empty());
  EXPECT_EQ(paged(overdue, admin_, &total), late);
  EXPECT_EQ(total, static_cast<int64_t>(late.size()));
  ProblemFilter open_mine;
  open_mine.open = true;
  open_mine.mine = true;
  auto lead = expected([](const Problem& p) { return p.state != ProblemState::kClosed && p.lead_unit == "县自然资源局"; });
  EXPECT_EQ(paged(open_mine, lead_, &total), lead);
  // By source and by category, each and together.
  ProblemFilter by_source;
  by_source.source = "督导发现";
  auto found = expected([](const Problem& p) { return p.source == "督导发现"; });
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(paged(by_source, admin_, &total), found);
  EXPECT_EQ(total, 15);
  by_source.category = "资金";
  EXPECT_EQ(paged(by_source, admin_, &total), expected([](const Problem& p) { return p.source == "督导发现" && p.category == "资金"; }));
  EXPECT_EQ(total, 3);  // i ≡ 0 (mod 20)
  // A write moves a problem in the order at once.
  Problem moved = *problems_->Get(all.back());
  if (moved.state == ProblemState::kClosed) {
    moved = *Do(moved, "reopen", admin_);
    ProblemFilter first;
    first.as_of = as_of;
    first.limit = 0;
    auto page = *problems_->List(first, admin_);
    const auto it = std::find_if(page.items.begin(), page.items.end(), [&](const ProblemRow& r) { return r.problem.id == moved.id; });
    ASSERT_NE(it, page.items.end());
    EXPECT_NE(it->problem.state, ProblemState::kClosed);
    EXPECT_LT(it - page.items.begin(), 60 - 1) << "reopened, it is listed among the open ones";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ProblemsTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
