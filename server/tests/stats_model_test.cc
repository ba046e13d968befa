// The published figures against an independent computation written here: a seeded register of
// projects, plans and monthly amounts is kept as plain rows, every figure of every question
// (each grouping, month, level set, region, unit, owner and schedule) is worked out from the rows
// by straightforward loops, and the engine, its JSON and its table must say the same. The engine
// is also fed the same rows one write at a time, by imports and by replacement, and must then
// answer exactly as when rebuilt.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>

#include "stats/stats_engine.h"
#include "stats/stats_json.h"
#include "stats/stats_query.h"
#include "common/text.h"
#include "store/store.h"

namespace kp::stats {
namespace {

constexpr int kYear = 2024;  // a leap year: the day convention divides by 366

// ---- The model: rows and loops, nothing from the engine. -----------------------------------

struct ModelProject {
  int64_t id = 0;
  bool live = true;
  Level level = Level::kCounty;
  std::optional<int64_t> region;
  std::string industry, unit, leader, status, owner, code, name;
  bool demo = false;
  std::map<int, int64_t> plan;                        // year → yuan
  std::map<std::pair<int, int>, int64_t> reports;     // (year, month) → yuan
};

struct ModelRegion {
  int64_t id;
  std::optional<int64_t> parent;
  std::string name;
};

struct Model {
  std::vector<ModelRegion> regions;
  int64_t home = 1;
  std::vector<ModelProject> projects;

  const ModelRegion* RegionById(int64_t id) const {
    for (const auto& r : regions) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
  int Depth(int64_t id) const {
    int d = 0;
    for (const ModelRegion* r = RegionById(id); r && r->parent; r = RegionById(*r->parent)) ++d;
    return d;
  }
  bool Within(int64_t id, int64_t ancestor) const {
    for (const ModelRegion* r = RegionById(id); r; r = r->parent ? RegionById(*r->parent) : nullptr) {
      if (r->id == ancestor) return true;
    }
    return false;
  }
};

// Days before each month and in each month of a year, counted by hand.
int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Ratio ScheduleOf(Schedule s, int year, int month, std::optional<int> day) {
  if (s == Schedule::kMonth) return Ratio::Of(month * 100, 12);
  int elapsed = day.value_or(DaysIn(year, month));
  for (int m = 1; m < month; ++m) elapsed += DaysIn(year, m);
  int in_year = 0;
  for (int m = 1; m <= 12; ++m) in_year += DaysIn(year, m);
  return Ratio::Of(elapsed * 100, in_year);
}

// Half away from zero, `decimals` places, as the bureau's tables print it.
std::string Rounded(__int128 num, __int128 den, int decimals) {
  if (den < 0) num = -num, den = -den;
  __int128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  bool negative = num < 0;
  __int128 a = (negative ? -num : num) * scale;
  __int128 q = (2 * a + den) / (2 * den);
  std::string digits;
  for (__int128 v = q; digits.size() <= static_cast<size_t>(decimals) || v > 0; v /= 10) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
  }
  if (decimals > 0) digits.insert(digits.end() - decimals, '.');
  return (negative && q != 0 ? "-" : "") + digits;
}

struct Expected {
  std::string key;
  std::optional<int> rank;
  int64_t projects = 0, plan = 0, completed = 0;
};

struct ExpectedResult {
  Ratio schedule;
  Expected total;
  std::vector<Expected> groups;
  int64_t reported = 0;
};

std::string GroupKey(const Model& model, const ModelProject& p, const StatsQuery& q) {
  std::string key;
  switch (q.by) {
    case GroupBy::kNone: return "合计";
    case GroupBy::kLevel: key = LevelName(p.level); break;
    case GroupBy::kRegion: {
      if (!p.region) return "未指定地区";
      // Default: one level below the home region; without a (known) home region, depth 1.
      int depth = q.region_depth.value_or(model.RegionById(model.home) ? model.Depth(model.home) + 1 : 1);
      const ModelRegion* r = model.RegionById(*p.region);
      while (model.Depth(r->id) > depth) r = model.RegionById(*r->parent);
      key = r->name;
      break;
    }
    case GroupBy::kIndustry: key = p.industry; break;
    case GroupBy::kUnit: key = p.unit; break;
    case GroupBy::kLeader: key = p.leader; break;
    case GroupBy::kDemo: key = p.demo ? "示范项目" : "非示范项目"; break;
    case GroupBy::kStatus: key = p.status; break;
    case GroupBy::kProject: key = p.code; break;
  }
  return key.empty() ? "（未填写）" : key;
}

bool InScope(const Model& model, const ModelProject& p, const StatsQuery& q) {
  if (!p.live || !p.plan.count(q.year)) return false;
  if (!q.levels.empty() && std::find(q.levels.begin(), q.levels.end(), p.level) == q.levels.end()) return false;
  if (q.region_id && (!p.region || !model.Within(*p.region, *q.region_id))) return false;
  if (q.unit && p.unit != *q.unit) return false;
  if (q.owner && p.owner != *q.owner) return false;
  return true;
}

int64_t CompletedBy(const ModelProject& p, int year, int month) {
  int64_t sum = 0;
  for (const auto& [ym, yuan] : p.reports) {
    if (ym.first == year && ym.second <= month) sum += yuan;
  }
  return sum;
}

ExpectedResult Work(const Model& model, const StatsQuery& q) {
  ExpectedResult out;
  out.schedule = ScheduleOf(q.schedule, q.year, q.month, q.day);
  out.total.key = "合计";
  std::map<std::string, Expected> groups;
  for (const ModelProject& p : model.projects) {
    if (!InScope(model, p, q)) continue;
    const int64_t plan = p.plan.at(q.year), done = CompletedBy(p, q.year, q.month);
    for (Expected* e : {&out.total, &groups[GroupKey(model, p, q)]}) {
      e->projects += 1;
      e->plan += plan;
      e->completed += done;
    }
    if (p.reports.count({q.year, q.month})) ++out.reported;
  }
  if (q.by == GroupBy::kNone) return out;
  for (auto& [key, e] : groups) {
    e.key = key;
    out.groups.push_back(e);
  }
  // Highest rate first (a rate compared as the cross product of integers), then by key; groups
  // without a plan last, unranked. Equal rates share the rank of the first of them.
  std::sort(out.groups.begin(), out.groups.end(), [](const Expected& a, const Expected& b) {
    if ((a.plan != 0) != (b.plan != 0)) return a.plan != 0;
    if (a.plan != 0) {
      __int128 l = static_cast<__int128>(a.completed) * b.plan, r = static_cast<__int128>(b.completed) * a.plan;
      if (l != r) return l > r;
    }
    return a.key < b.key;
  });
  for (size_t i = 0; i < out.groups.size() && out.groups[i].plan != 0; ++i) {
    const Expected* prev = i > 0 ? &out.groups[i - 1] : nullptr;
    bool tie = prev && static_cast<__int128>(prev->completed) * out.groups[i].plan ==
                           static_cast<__int128>(out.groups[i].completed) * prev->plan;
    out.groups[i].rank = tie ? prev->rank : std::optional<int>(static_cast<int>(i) + 1);
  }
  return out;
}

// ---- The seeded register. --------------------------------------------------------------------

Model MakeModel(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  Model m;
  // 县 (home) > 甲镇 > 一村, 乙镇; and another county beside it.
  m.regions = {{1, std::nullopt, "县"}, {2, 1, "甲镇"}, {3, 1, "乙镇"}, {4, 2, "一村"}, {5, std::nullopt, "邻县"}};
  // The home region: the county (a root), a town below it, or one the regions do not hold.
  const int64_t homes[] = {1, 2, 99};
  m.home = homes[seed % 3];
  const char* industries[] = {"制造", "水利", "交通", ""};
  const char* units[] = {"县水利局", "县交通局", "县经信局"};
  const char* leaders[] = {"张县长", "李副县长", ""};
  const char* statuses[] = {"在建", "前期", "竣工"};
  const char* owners[] = {"业主甲", "业主乙", "业主丙", "业主丁"};
  constexpr int kProjects = 40;
  for (int i = 1; i <= kProjects; ++i) {
    ModelProject p;
    p.id = 100 + i;
    p.code = "P" + std::to_string(1000 + i);
    p.name = "项目" + std::to_string(i);
    p.level = kAllLevels[pick(3)];
    int r = pick(6);
    if (r > 0) p.region = r;  // 0: no region
    p.industry = industries[pick(4)];
    p.unit = units[pick(3)];
    p.leader = leaders[pick(3)];
    p.status = statuses[pick(3)];
    p.owner = owners[pick(4)];
    p.demo = pick(4) == 0;
    p.live = pick(10) != 0;
    // Most have a plan this year; some a zero plan; some only last year's.
    int kind = pick(10);
    if (kind < 7) p.plan[kYear] = static_cast<int64_t>(rng() % 90'000'000) * 10 + 1 + pick(9);
    if (kind == 7) p.plan[kYear] = 0;
    p.plan[kYear - 1] = static_cast<int64_t>(rng() % 50'000'000);
    for (int month = 1; month <= 12; ++month) {
      if (pick(3) == 0) continue;  // not reported that month
      p.reports[{kYear, month}] = pick(8) == 0 ? 0 : static_cast<int64_t>(rng() % 9'000'000) + 1;
    }
    for (int month = 1; month <= 12; ++month) p.reports[{kYear - 1, month}] = static_cast<int64_t>(rng() % 1'000'000);
    m.projects.push_back(p);
  }
  // Two groups whose rates are equal (a shared rank): the same plan and the same amounts.
  m.projects[0].plan[kYear] = 8'000'000;
  m.projects[1].plan[kYear] = 4'000'000;
  for (int month = 1; month <= 12; ++month) {
    m.projects[0].reports[{kYear, month}] = 200'000;
    m.projects[1].reports[{kYear, month}] = 100'000;
  }
  m.projects[0].live = m.projects[1].live = true;
  return m;
}

Project ToProject(const ModelProject& mp) {
  Project p;
  p.id = mp.id;
  p.code = mp.code;
  p.name = mp.name;
  p.level = mp.level;
  p.region_id = mp.region;
  p.industry = mp.industry;
  p.unit = mp.unit;
  p.leader = mp.leader;
  p.status = mp.status;
  p.owner = mp.owner;
  p.is_demo = mp.demo;
  return p;
}

std::vector<Region> ToRegions(const Model& m) {
  std::vector<Region> out;
  for (const auto& r : m.regions) out.push_back(Region{r.id, r.parent, r.name, "", {}, {}});
  return out;
}

// What the database would hand over: live projects; plans and reports of every project (the
// deleted ones' too, which the engine must ignore), and two rows with a month out of range that a
// damaged table could hold (also ignored).
store::StatsSource ToSource(const Model& m) {
  store::StatsSource src;
  if (!m.projects.empty()) {
    src.reports.push_back({m.projects[0].id, kYear, 0, Money(999'999'999)});
    src.reports.push_back({m.projects[0].id, kYear, 13, Money(888'888'888)});
  }
  src.regions = ToRegions(m);
  for (const auto& p : m.projects) {
    if (p.live) src.projects.push_back(ToProject(p));
    for (const auto& [year, yuan] : p.plan) src.plans.push_back({p.id, year, Money(yuan)});
    for (const auto& [ym, yuan] : p.reports) {
      src.reports.push_back({p.id, static_cast<int16_t>(ym.first), static_cast<int8_t>(ym.second), Money(yuan)});
    }
  }
  return src;
}

// Every question the dashboard, the CLI and the exports ask, and a few more.
std::vector<StatsQuery> Questions() {
  std::vector<StatsQuery> out;
  const std::vector<std::vector<Level>> level_sets = {
      {}, {Level::kProvincial}, {Level::kMunicipal, Level::kCounty}, {Level::kProvincial, Level::kMunicipal}};
  const GroupBy groupings[] = {GroupBy::kNone,   GroupBy::kLevel, GroupBy::kRegion, GroupBy::kIndustry, GroupBy::kUnit,
                               GroupBy::kLeader, GroupBy::kDemo,  GroupBy::kStatus, GroupBy::kProject};
  for (int month = 1; month <= 12; ++month) {
    for (GroupBy by : groupings) {
      for (const auto& levels : level_sets) {
        StatsQuery q;
        q.year = kYear;
        q.month = month;
        q.by = by;
        q.levels = levels;
        out.push_back(q);
      }
      StatsQuery q;
      q.year = kYear;
      q.month = month;
      q.by = by;
      q.schedule = Schedule::kDay;
      q.day = month == 2 ? std::optional<int>(29) : std::nullopt;
      out.push_back(q);
    }
  }
  for (int month : {1, 3, 12}) {
    for (std::optional<int64_t> region : {std::optional<int64_t>(1), std::optional<int64_t>(2),
                                          std::optional<int64_t>(4), std::optional<int64_t>(5),
                                          std::optional<int64_t>(99)}) {
      for (std::optional<int> depth : {std::optional<int>(), std::optional<int>(0), std::optional<int>(2)}) {
        StatsQuery q;
        q.year = kYear;
        q.month = month;
        q.by = GroupBy::kRegion;
        q.region_id = region;
        q.region_depth = depth;
        out.push_back(q);
      }
    }
    for (const char* unit : {"县水利局", "县交通局", "无此单位"}) {
      StatsQuery q;
      q.year = kYear;
      q.month = month;
      q.by = GroupBy::kIndustry;
      q.unit = unit;
      out.push_back(q);
    }
    for (const char* owner : {"业主甲", "业主丁", "无此业主"}) {
      StatsQuery q;
      q.year = kYear;
      q.month = month;
      q.by = GroupBy::kProject;
      q.owner = owner;
      q.levels = {Level::kMunicipal, Level::kProvincial, Level::kCounty};
      out.push_back(q);
    }
  }
  StatsQuery last_year;
  last_year.year = kYear - 1;
  last_year.month = 12;
  last_year.by = GroupBy::kLevel;
  out.push_back(last_year);
  StatsQuery empty_year;
  empty_year.year = kYear + 5;
  empty_year.month = 6;
  empty_year.by = GroupBy::kLevel;
  out.push_back(empty_year);
  return out;
}

std::string Describe(const StatsQuery& q) {
  std::ostringstream s;
  s << "year=" << q.year << " month=" << q.month << " by=" << GroupByName(q.by) << " levels=" << q.levels.size()
    << " schedule=" << ScheduleName(q.schedule) << " region=" << q.region_id.value_or(0)
    << " depth=" << q.region_depth.value_or(-1) << " unit=" << q.unit.value_or("") << " owner=" << q.owner.value_or("");
  return s.str();
}

void ExpectFigures(const GroupFigures& got, const Expected& want, const Ratio& schedule, const std::string& where) {
  SCOPED_TRACE(where + " group " + want.key);
  EXPECT_EQ(got.key, want.key);
  EXPECT_EQ(got.rank, want.rank);
  EXPECT_EQ(got.projects, want.projects);
  EXPECT_EQ(got.plan.yuan, want.plan);
  EXPECT_EQ(got.completed.yuan, want.completed);
  if (want.plan == 0) {
    EXPECT_FALSE(got.completion_pct.has_value());
    EXPECT_FALSE(got.ahead_points.has_value());
    EXPECT_FALSE(got.spi.has_value());
    return;
  }
  ASSERT_TRUE(got.completion_pct && got.ahead_points && got.spi);
  const Ratio pct = Ratio::Of(static_cast<__int128>(want.completed) * 100, want.plan);
  EXPECT_TRUE(*got.completion_pct == pct);
  // ahead = completed/plan×100 − schedule, and spi = (completed/plan×100) ÷ schedule, over one denominator.
  const __int128 ahead_num = static_cast<__int128>(want.completed) * 100 * schedule.den - schedule.num * want.plan;
  const __int128 ahead_den = static_cast<__int128>(want.plan) * schedule.den;
  EXPECT_TRUE(*got.ahead_points == Ratio::Of(ahead_num, ahead_den));
  EXPECT_TRUE(*got.spi == Ratio::Of(static_cast<__int128>(want.completed) * 100 * schedule.den,
                                    static_cast<__int128>(want.plan) * schedule.num));
  EXPECT_EQ(got.completion_pct->Format(2), Rounded(static_cast<__int128>(want.completed) * 100, want.plan, 2));
}

void ExpectResult(const StatsResult& got, const ExpectedResult& want, const std::string& where) {
  EXPECT_TRUE(got.schedule_pct == want.schedule) << where;
  EXPECT_EQ(got.reported, want.reported) << where;
  ExpectFigures(got.total, want.total, want.schedule, where);
  ASSERT_EQ(got.groups.size(), want.groups.size()) << where;
  for (size_t i = 0; i < want.groups.size(); ++i) ExpectFigures(got.groups[i], want.groups[i], want.schedule, where);
}

// The display columns (a CJK character is two wide) at which the cells of a table line start.
std::vector<size_t> CellStarts(const std::string& line) {
  std::vector<size_t> starts;
  size_t col = 0;
  bool in_cell = false;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    const std::string ch = line.substr(i, len);
    const bool space = ch == " ";
    if (!space && !in_cell) starts.push_back(col);
    in_cell = !space;
    col += DisplayWidth(ch);
    i += len;
  }
  return starts;
}

class StatsModel : public ::testing::TestWithParam<uint32_t> {
 protected:
  void SetUp() override {
    model_ = MakeModel(GetParam());
    engine_.SetRegions(ToRegions(model_), model_.home);
    engine_.Rebuild(ToSource(model_));
  }
  Model model_;
  StatsEngine engine_;
};

TEST_P(StatsModel, EveryQuestionAnswersTheFiguresWorkedOutFromTheRows) {
  for (const StatsQuery& q : Questions()) {
    ExpectResult(engine_.Compute(q), Work(model_, q), Describe(q));
    if (::testing::Test::HasFailure()) return;  // one question's report is enough
  }
}

TEST_P(StatsModel, TheCumulativeLineIsEachMonthsTotalAndGrowsByThatMonthsReports) {
  for (const auto& levels : std::vector<std::vector<Level>>{{}, {Level::kMunicipal}}) {
    StatsQuery q;
    q.year = kYear;
    q.levels = levels;
    const StatsEngine::MonthlyLine line = engine_.Line(q);
    int64_t plan = 0, running = 0;
    std::array<int64_t, 12> monthly{};
    for (const ModelProject& p : model_.projects) {
      if (!InScope(model_, p, q)) continue;
      plan += p.plan.at(kYear);
      for (int m = 1; m <= 12; ++m) monthly[m - 1] += p.reports.count({kYear, m}) ? p.reports.at({kYear, m}) : 0;
    }
    EXPECT_EQ(line.plan.yuan, plan);
    for (int m = 1; m <= 12; ++m) {
      running += monthly[m - 1];
      EXPECT_EQ(line.cumulative[m - 1].yuan, running) << "month " << m;
      // The same figure where the dashboard's table shows it: the as-of total of month m.
      q.month = m;
      StatsResult r = engine_.Compute(q);
      EXPECT_EQ(line.cumulative[m - 1], r.total.completed) << "month " << m;
      EXPECT_EQ(line.plan, r.total.plan);
    }
    // The line moves after January (it is not one month repeated).
    EXPECT_LT(line.cumulative[0].yuan, line.cumulative[11].yuan);
  }
  StatsQuery none;
  none.year = kYear + 5;
  EXPECT_EQ(engine_.Line(none).plan.yuan, 0);
}

TEST_P(StatsModel, EachProjectsOwnFiguresAreItsRowsAlone) {
  std::vector<int64_t> ids;
  for (const ModelProject& p : model_.projects) ids.push_back(p.id);
  ids.push_back(424242);  // unknown
  for (int month : {1, 6, 12}) {
    StatsQuery q;
    q.year = kYear;
    q.month = month;
    auto figures = engine_.ProjectFigures(ids, q);
    ASSERT_EQ(figures.size(), ids.size());
    EXPECT_FALSE(figures.back().has_value());
    const Ratio schedule = ScheduleOf(Schedule::kMonth, kYear, month, std::nullopt);
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
      const ModelProject& p = model_.projects[i];
      // Deleted projects keep no figures in a rebuilt cache; a project without a plan this year has none.
      bool has = p.live && p.plan.count(kYear);
      ASSERT_EQ(figures[i].has_value(), has) << p.code;
      if (!has) continue;
      Expected want{p.code, std::nullopt, 1, p.plan.at(kYear), CompletedBy(p, kYear, month)};
      ExpectFigures(*figures[i], want, schedule, "project figures month " + std::to_string(month));
    }
  }
}

TEST_P(StatsModel, TheJsonAndTheTableShowTheSameFiguresAsTheEngine) {
  for (int month : {2, 3, 12}) {
    StatsQuery q;
    q.year = kYear;
    q.month = month;
    q.by = GroupBy::kLevel;
    ExpectedResult want = Work(model_, q);
    StatsResult r = engine_.Compute(q);
    boost::json::object json = StatsResultToJson(r);
    EXPECT_EQ(json.at("year").as_int64(), kYear);
    EXPECT_EQ(json.at("month").as_int64(), month);
    EXPECT_EQ(json.at("by").as_string(), "level");
    EXPECT_EQ(json.at("reporting").at("reported").as_int64(), want.reported);
    EXPECT_EQ(json.at("reporting").at("expected").as_int64(), want.total.projects);
    EXPECT_EQ(json.at("display").at("schedule_pct").as_string(), Rounded(month * 100, 12, 2));
    std::vector<const Expected*> rows;
    for (const Expected& g : want.groups) rows.push_back(&g);
    rows.push_back(&want.total);
    const auto& groups = json.at("groups").as_array();
    ASSERT_EQ(groups.size(), want.groups.size());
    std::istringstream table(StatsResultToTable(r));
    std::string line;
    std::getline(table, line);
    EXPECT_NE(line.find(std::to_string(kYear) + "年" + std::to_string(month) + "月  时序进度 " +
                        Rounded(month * 100, 12, 2) + "%"),
              std::string::npos)
        << line;
    std::getline(table, line);  // the header
    const std::vector<size_t> header_starts = CellStarts(line);
    ASSERT_EQ(header_starts.size(), 7u) << line;
    for (size_t i = 0; i < rows.size(); ++i) {
      const Expected& e = *rows[i];
      const auto& g = i < groups.size() ? groups[i].as_object() : json.at("total").as_object();
      SCOPED_TRACE("month " + std::to_string(month) + " " + e.key);
      EXPECT_EQ(g.at("key").as_string(), e.key);
      EXPECT_EQ(g.at("projects").as_int64(), e.projects);
      EXPECT_EQ(g.at("plan_yuan").as_int64(), e.plan);
      EXPECT_EQ(g.at("completed_yuan").as_int64(), e.completed);
      const std::string plan_wan = Rounded(e.plan, kYuanPerWan, 2), done_wan = Rounded(e.completed, kYuanPerWan, 2);
      const auto& disp = g.at("display").as_object();
      EXPECT_EQ(disp.at("plan_wan").as_string(), plan_wan);
      EXPECT_EQ(disp.at("completed_wan").as_string(), done_wan);
      EXPECT_EQ(disp.at("plan_yi").as_string(), Rounded(e.plan, kYuanPerYi, 2));
      EXPECT_EQ(disp.at("completed_yi").as_string(), Rounded(e.completed, kYuanPerYi, 2));
      std::string pct = "—", points = "—", spi = "—";
      if (e.plan != 0) {
        pct = Rounded(static_cast<__int128>(e.completed) * 100, e.plan, 2);
        // ahead = completed×100/plan − month×100/12 = (completed×1200 − month×100×plan) / (12×plan)
        points = Rounded(static_cast<__int128>(e.completed) * 1200 - static_cast<__int128>(month) * 100 * e.plan,
                         static_cast<__int128>(12) * e.plan, 1);
        if (points[0] != '-') points = "+" + points;
        spi = Rounded(static_cast<__int128>(e.completed) * 12, static_cast<__int128>(month) * e.plan, 2);
        EXPECT_NEAR(g.at("completion_rate_pct").as_double(),
                    static_cast<double>(e.completed) * 100 / static_cast<double>(e.plan), 1e-9);
      } else {
        EXPECT_TRUE(g.at("completion_rate_pct").is_null());
      }
      EXPECT_EQ(disp.at("completion_rate_pct").as_string(), pct);
      EXPECT_EQ(disp.at("ahead_points").as_string(), points);
      EXPECT_EQ(disp.at("spi").as_string(), spi);
      if (e.rank) {
        EXPECT_EQ(g.at("rank").as_int64(), *e.rank);
      } else {
        EXPECT_TRUE(g.at("rank").is_null());
      }
      // The table's row: rank, key, projects, plan, completed, rate, points (the total has no rank).
      ASSERT_TRUE(std::getline(table, line));
      std::istringstream cells(line);
      std::vector<std::string> c;
      for (std::string cell; cells >> cell;) c.push_back(cell);
      std::vector<std::string> want_cells;
      if (i < groups.size()) want_cells.push_back(e.rank ? std::to_string(*e.rank) : "—");
      for (const std::string& s : {e.key, std::to_string(e.projects), plan_wan, done_wan, pct, points}) {
        want_cells.push_back(s);
      }
      EXPECT_EQ(c, want_cells) << line;
      // Each cell starts in its header's column (the total has no rank).
      std::vector<size_t> starts = CellStarts(line);
      ASSERT_LE(starts.size(), header_starts.size()) << line;
      std::vector<size_t> want_starts(header_starts.end() - static_cast<std::ptrdiff_t>(starts.size()), header_starts.end());
      EXPECT_EQ(starts, want_starts) << line;
    }
    EXPECT_FALSE(std::getline(table, line)) << line;
  }
  // Grouped by project, each group carries the project's name as its label (the ranking shows it);
  // other groupings carry none.
  StatsQuery by_project;
  by_project.year = kYear;
  by_project.month = 3;
  by_project.by = GroupBy::kProject;
  boost::json::object json = StatsResultToJson(engine_.Compute(by_project));
  ASSERT_FALSE(json.at("groups").as_array().empty());
  for (const auto& g : json.at("groups").as_array()) {
    const ModelProject* p = nullptr;
    for (const ModelProject& mp : model_.projects) {
      if (mp.code == g.at("key").as_string()) p = &mp;
    }
    ASSERT_NE(p, nullptr) << g;
    EXPECT_EQ(g.at("label").as_string(), p->name);
  }
  by_project.by = GroupBy::kLevel;
  const boost::json::object by_level = StatsResultToJson(engine_.Compute(by_project));
  for (const auto& g : by_level.at("groups").as_array()) {
    EXPECT_FALSE(g.as_object().contains("label")) << g;
  }
}

// The same rows written one at a time (as the domain services do), then some replaced from the
// database (as the change follower does), answer exactly as a rebuild.
TEST_P(StatsModel, WritesOneAtATimeAnswerAsARebuild) {
  StatsEngine one_by_one;
  one_by_one.SetRegions(ToRegions(model_), model_.home);
  for (const ModelProject& p : model_.projects) one_by_one.UpsertProject(ToProject(p));
  // Reports in a scrambled order, some first written wrong and corrected (a resubmission).
  std::vector<std::tuple<int64_t, YearMonth, int64_t>> writes;
  for (const ModelProject& p : model_.projects) {
    for (const auto& [ym, yuan] : p.reports) writes.emplace_back(p.id, YearMonth{ym.first, ym.second}, yuan);
  }
  std::mt19937 rng(GetParam() + 1);
  std::shuffle(writes.begin(), writes.end(), rng);
  for (const auto& [id, ym, yuan] : writes) one_by_one.SetReport(id, ym, Money(yuan + 12345));
  for (const auto& [id, ym, yuan] : writes) one_by_one.SetReport(id, ym, Money(yuan));
  for (const ModelProject& p : model_.projects) {
    for (const auto& [year, yuan] : p.plan) one_by_one.SetPlan(p.id, year, Money(yuan));
  }
  for (const ModelProject& p : model_.projects) {
    if (!p.live) one_by_one.RemoveProject(p.id);
  }
  one_by_one.RemoveProject(424242);  // a project the cache never held: nothing to do
  // An import of the same rows, taken in whole.
  StatsEngine imported;
  imported.SetRegions(ToRegions(model_), model_.home);
  store::StatsSource src = ToSource(model_);
  store::ImportApplied applied;
  for (const ModelProject& p : model_.projects) applied.projects.push_back(ToProject(p));
  applied.plans = src.plans;
  for (const store::ReportAmount& r : src.reports) {
    if (r.month >= 1 && r.month <= 12) applied.reports.push_back(r);  // an import writes real months only
  }
  imported.Apply(applied);
  for (const ModelProject& p : model_.projects) {
    if (!p.live) imported.RemoveProject(p.id);
  }
  // The rebuilt engine, then a third of its projects changed in the database and replaced.
  Model changed = model_;
  std::vector<int64_t> ids;
  for (size_t i = 0; i < changed.projects.size(); i += 3) {
    ModelProject& p = changed.projects[i];
    ids.push_back(p.id);
    p.reports.erase({kYear, 3});
    p.reports[{kYear, 7}] = 777'777;
    p.plan[kYear] = 55'555'555;
    p.level = Level::kProvincial;
  }
  StatsEngine replaced;
  replaced.SetRegions(ToRegions(model_), model_.home);
  replaced.Rebuild(ToSource(model_));
  store::StatsSource part = ToSource(changed);
  std::erase_if(part.projects, [&](const Project& p) { return std::find(ids.begin(), ids.end(), p.id) == ids.end(); });
  std::erase_if(part.plans, [&](const store::PlanAmount& a) {
    return std::find(ids.begin(), ids.end(), a.project_id) == ids.end();
  });
  std::erase_if(part.reports, [&](const store::ReportAmount& a) {
    return std::find(ids.begin(), ids.end(), a.project_id) == ids.end();
  });
  replaced.ReplaceProjects(ids, part);

  for (const StatsQuery& q : Questions()) {
    ExpectResult(one_by_one.Compute(q), Work(model_, q), "one by one: " + Describe(q));
    ExpectResult(imported.Compute(q), Work(model_, q), "imported: " + Describe(q));
    ExpectResult(replaced.Compute(q), Work(changed, q), "replaced: " + Describe(q));
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_EQ(one_by_one.project_count(), engine_.project_count());
}

// ---- The headline month and 填报率, at the deadline's boundaries. --------------------------

Date DeadlineOf(int year, int month, int deadline_day) {
  int y = month == 12 ? year + 1 : year, m = month == 12 ? 1 : month + 1;
  return Date{y, m, std::min(deadline_day, DaysIn(y, m))};
}

bool After(const Date& a, const Date& b) {
  return std::tie(a.year, a.month, a.day) > std::tie(b.year, b.month, b.day);
}

int WorkHeadline(const Model& model, int year, const HeadlineRule& rule) {
  if (rule.pinned && rule.pinned->year == year) return rule.pinned->month;
  int64_t expected = 0;
  std::array<int64_t, 12> reported{};
  int latest = 0;
  for (const ModelProject& p : model.projects) {
    if (!p.live) continue;
    for (int m = 1; m <= 12; ++m) {
      if (p.reports.count({year, m})) latest = std::max(latest, m);
    }
    if (!p.plan.count(year)) continue;
    ++expected;
    for (int m = 1; m <= 12; ++m) reported[m - 1] += p.reports.count({year, m});
  }
  std::optional<int> fallback;
  for (int m = 12; m >= 1; --m) {
    if (!After(rule.today, DeadlineOf(year, m, rule.deadline_day))) continue;
    // 填报率 ≥ threshold, compared without division: reported/expected×100 ≥ threshold.
    if (reported[m - 1] > 0 && reported[m - 1] * 100 >= static_cast<int64_t>(rule.threshold_pct) * expected) return m;
    if (!fallback && reported[m - 1] > 0) fallback = m;
  }
  if (fallback) return *fallback;
  return latest > 0 ? latest : 12;
}

TEST_P(StatsModel, TheHeadlineMonthIsWorkedOutForEveryDayThresholdAndDeadline) {
  // Thresholds at each month's exact 填报率 and one above it, so a rate one too high or too low shows.
  std::vector<int> thresholds = {0, 100};
  for (int m = 1; m <= 12; ++m) {
    StatsQuery q;
    q.year = kYear;
    q.month = m;
    ExpectedResult w = Work(model_, q);
    if (w.total.projects == 0) continue;
    // The smallest whole threshold the month meets exactly, and the next one it misses.
    int exact = static_cast<int>(w.reported * 100 / w.total.projects);
    thresholds.push_back(exact);
    thresholds.push_back(exact + 1);
  }
  int checked = 0;
  for (int deadline_day : {1, 5, 30, 31}) {
    for (int threshold : thresholds) {
      for (Date today = {kYear, 1, 1}; today.year == kYear || (today.year == kYear + 1 && today.month == 1);) {
        HeadlineRule rule;
        rule.today = today;
        rule.threshold_pct = threshold;
        rule.deadline_day = deadline_day;
        ASSERT_EQ(engine_.HeadlineMonth(kYear, rule), WorkHeadline(model_, kYear, rule))
            << today.ToString() << " threshold " << threshold << " deadline day " << deadline_day;
        ++checked;
        today = today.day < DaysIn(today.year, today.month)
                    ? Date{today.year, today.month, today.day + 1}
                    : (today.month == 12 ? Date{today.year + 1, 1, 1} : Date{today.year, today.month + 1, 1});
      }
    }
  }
  EXPECT_GT(checked, 4 * 2 * 366);
  HeadlineRule pinned;
  pinned.today = {kYear, 6, 1};
  pinned.pinned = YearMonth{kYear, 9};
  EXPECT_EQ(engine_.HeadlineMonth(kYear, pinned), 9);
  EXPECT_EQ(engine_.HeadlineMonth(kYear + 5, pinned), 12);
}

// The latest reported month counts every live project's reports (with a plan or not) and no
// deleted project's.
TEST(StatsLatestMonth, CountsLiveProjectsOnlyWithOrWithoutAPlan) {
  StatsEngine engine;
  store::StatsSource src;
  for (int64_t id : {1, 2, 3}) {
    Project p;
    p.id = id;
    p.code = "L" + std::to_string(id);
    src.projects.push_back(p);
  }
  src.plans.push_back({1, kYear, Money(1000)});
  for (int8_t m : {1, 2, 3}) src.reports.push_back({1, kYear, m, Money(10)});
  src.reports.push_back({2, kYear, 5, Money(10)});   // no plan: still a report
  src.reports.push_back({3, kYear, 9, Money(10)});   // deleted below
  src.reports.push_back({4, kYear, 11, Money(10)});  // a deleted project's row
  engine.Rebuild(src);
  EXPECT_EQ(engine.LatestMonth(kYear), 9);
  engine.RemoveProject(3);
  EXPECT_EQ(engine.LatestMonth(kYear), 5);
  EXPECT_EQ(engine.LatestMonth(kYear - 1), std::nullopt);
  // Before any deadline has passed the headline month is the latest reported one.
  HeadlineRule rule;
  rule.today = {kYear, 1, 15};
  EXPECT_EQ(engine.HeadlineMonth(kYear, rule), 5);
  engine.SetReport(2, {kYear, 12}, Money(0));  // a zero amount is a report too
  EXPECT_EQ(engine.LatestMonth(kYear), 12);
  // Only January reported: January (not "none").
  engine.SetReport(1, {kYear + 1, 1}, Money(5));
  EXPECT_EQ(engine.LatestMonth(kYear + 1), 1);
  rule.today = {kYear + 1, 1, 20};
  EXPECT_EQ(engine.HeadlineMonth(kYear + 1, rule), 1);
}

TEST(ReportDeadlineTable, IsTheDeadlineDayOfTheNextMonthCappedAtItsLastDay) {
  for (int year : {2023, 2024, 2100}) {
    for (int month = 1; month <= 12; ++month) {
      for (int day : {1, 5, 28, 29, 30, 31}) {
        EXPECT_EQ(ReportDeadline({year, month}, day), DeadlineOf(year, month, day)) << year << "-" << month << " " << day;
      }
    }
  }
}

TEST(ScheduleTable, MonthAndDayConventionsAreWorkedOutByHand) {
  for (int year : {2023, 2024, 2100, 2000}) {
    for (int month = 1; month <= 12; ++month) {
      EXPECT_TRUE(SchedulePct(Schedule::kMonth, year, month) == ScheduleOf(Schedule::kMonth, year, month, std::nullopt));
      for (int day = 1; day <= DaysIn(year, month); ++day) {
        EXPECT_TRUE(SchedulePct(Schedule::kDay, year, month, day) == ScheduleOf(Schedule::kDay, year, month, day))
            << year << "-" << month << "-" << day;
      }
      EXPECT_TRUE(SchedulePct(Schedule::kDay, year, month) == ScheduleOf(Schedule::kDay, year, month, std::nullopt));
    }
  }
  // Q1 is a quarter of the year by month; the end of the year is all of it either way.
  EXPECT_TRUE(SchedulePct(Schedule::kMonth, 2024, 3) == Ratio::Of(25, 1));
  EXPECT_TRUE(SchedulePct(Schedule::kDay, 2024, 12) == Ratio::Of(100, 1));
}

// The query parser: what the API and the CLI read, value by value.
TEST(StatsQueryTable, ReadsEachParameterAndNamesTheBadOne) {
  StatsEngine engine;
  StatsDefaults defaults;
  defaults.year = 2024;
  defaults.headline.today = {2024, 6, 1};
  struct Case {
    std::map<std::string, std::string> params;
    std::string bad_field;  // empty: accepted
  };
  const std::vector<Case> cases = {
      {{{"year", "1990"}}, ""},      {{{"year", "1989"}}, "year"},   {{{"year", "2100"}}, ""},
      {{{"year", "2101"}}, "year"},  {{{"month", "1"}}, ""},         {{{"month", "0"}}, "month"},
      {{{"month", "12"}}, ""},       {{{"month", "13"}}, "month"},   {{{"month", "3x"}}, "month"},
      {{{"month", "2"}, {"day", "29"}}, ""},                         {{{"month", "2"}, {"day", "30"}}, "day"},
      {{{"year", "2023"}, {"month", "2"}, {"day", "29"}}, "day"},    {{{"month", "2"}, {"day", "0"}}, "day"},
      {{{"month", "3"}, {"day", "1"}}, ""},
      {{{"by", "region:0"}}, ""},    {{{"by", "region:21"}}, "depth"}, {{{"by", "regionx"}}, "by"},
      {{{"depth", "20"}}, ""},       {{{"depth", "-1"}}, "depth"},   {{{"region_id", "0"}}, "region_id"},
      {{{"region_id", "1"}}, ""},    {{{"schedule", "day"}}, ""},    {{{"schedule", "week"}}, "schedule"},
      {{{"levels", "省重点，市重点"}}, ""}, {{{"levels", "国重点"}}, "levels"},
  };
  for (const Case& c : cases) {
    auto q = ParseStatsQuery(c.params, defaults, engine);
    std::string what = c.params.begin()->first + "=" + c.params.begin()->second;
    if (c.bad_field.empty()) {
      EXPECT_TRUE(q.ok()) << what << ": " << q.status().message();
    } else {
      ASSERT_FALSE(q.ok()) << what;
      EXPECT_EQ(q.status().field(), c.bad_field) << what;
    }
  }
  auto q = ParseStatsQuery({{"year", "2023"}, {"month", "2"}, {"day", "28"}, {"by", "region:2"}, {"region_id", "7"},
                            {"schedule", "按日"}, {"levels", "市重点, 省重点;市重点"}},
                           defaults, engine);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->year, 2023);
  EXPECT_EQ(q->month, 2);
  EXPECT_EQ(q->day, 28);
  EXPECT_EQ(q->by, GroupBy::kRegion);
  EXPECT_EQ(q->region_depth, 2);
  EXPECT_EQ(q->region_id, 7);
  EXPECT_EQ(q->schedule, Schedule::kDay);
  EXPECT_EQ(q->levels, (std::vector<Level>{Level::kMunicipal, Level::kProvincial}));
  for (GroupBy g : {GroupBy::kNone, GroupBy::kLevel, GroupBy::kRegion, GroupBy::kIndustry, GroupBy::kUnit,
                    GroupBy::kLeader, GroupBy::kDemo, GroupBy::kStatus, GroupBy::kProject}) {
    EXPECT_EQ(ParseGroupBy(GroupByName(g)), g);
  }
  EXPECT_EQ(ParseSchedule("按月"), Schedule::kMonth);
  EXPECT_EQ(ParseSchedule("month"), Schedule::kMonth);
  EXPECT_EQ(ParseSchedule("day"), Schedule::kDay);
  EXPECT_EQ(std::string(ScheduleName(Schedule::kDay)), "day");
  EXPECT_EQ(std::string(ScheduleName(Schedule::kMonth)), "month");
}

INSTANTIATE_TEST_SUITE_P(Seeds, StatsModel, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace kp::stats
