#include "domain/reports.h"

#include "common/text.h"

#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <tuple>
#include <set>

#include "domain/redblack.h"
#include "domain/wallchart.h"
#include "stats/stats_query.h"

namespace kp {
namespace {

constexpr int kMinYear = 2000, kMaxYear = 2100;

Result<int> IntParam(const std::map<std::string, std::string>& p, const std::string& name, int lo, int hi) {
  auto it = p.find(name);
  if (it == p.end() || it->second.empty()) return InvalidArgument(name + " 必填 (required)", name);
  int v = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) {
    return InvalidArgument(name + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " 的整数 (bad " + name + "): " + s,
                           name);
  }
  return v;
}

}  // namespace

Result<ReportQuestion> ParseReportQuestion(const std::string& kind, const std::map<std::string, std::string>& params,
                                           const User& user) {
  ReportQuestion q;
  q.user = user;
  if (kind != "monthly" && kind != "quarterly" && kind != "annual" && kind != "weekly") {
    return InvalidArgument("报告类型应为 monthly、quarterly、annual 或 weekly (bad kind): " + kind, "kind");
  }
  q.kind = kind;
  constexpr int kQuarters = 4, kMonthsPerQuarter = 3;
  if (kind == "weekly") {
    auto it = params.find("week");
    if (it == params.end() || it->second.empty()) return InvalidArgument("week 必填，如 2024-W13 (required)", "week");
    auto w = ParseIsoWeek(it->second);
    if (!w.ok()) return w.status();
    q.year = w->year;
    q.week = w->week;
    q.monday = w->monday;
    if (auto y = params.find("year"); y != params.end() && !y->second.empty() && y->second != std::to_string(q.year)) {
      return InvalidArgument("year 与 week 不一致 (year does not match the week): " + y->second, "year");
    }
  } else {
    auto year = IntParam(params, "year", kMinYear, kMaxYear);
    if (!year.ok()) return year.status();
    q.year = *year;
  }
  if (kind == "weekly") {
    q.month = 0;  // the week is the period
  } else if (kind == "annual") {
    q.month = 12;
  } else {
    auto month = kind == "quarterly" ? IntParam(params, "quarter", 1, kQuarters) : IntParam(params, "month", 1, 12);
    if (!month.ok()) return month.status();
    q.month = kind == "quarterly" ? *month * kMonthsPerQuarter : *month;
  }
  if (auto it = params.find("levels"); it != params.end() && !it->second.empty()) {
    auto levels = stats::ParseLevels(it->second);
    if (!levels.ok()) return levels.status();
    q.levels = *levels;
  }
  q.issued = TodayBeijing();
  if (auto it = params.find("date"); it != params.end() && !it->second.empty()) {
    auto d = ParseDate(it->second);
    if (!d.ok() || !IsValidDate(*d)) return InvalidArgument("date 应为日期 2024-04-05 (bad date): " + it->second, "date");
    q.issued = *d;
  }
  return q;
}

Result<reports::Report> Reports::Build(const ReportQuestion& q) {
  if (q.kind == "weekly") return BuildWeekly(q);
  reports::MonthlyInputs in;
  in.year = q.year;
  in.month = q.month;
  in.levels = q.levels;
  in.issued = q.issued;
  const Date month_end{q.year, q.month, DaysInMonth(q.year, q.month)};
  std::optional<std::string> unit;
  if (q.user.role == Role::kDepartment) unit = q.user.unit;

  auto settings = reg_.GetSettings();
  if (!settings.ok()) return settings.status();
  const stats::StatsDefaults defaults = StatsDefaultsOf(*settings, TodayBeijing());
  in.style.pct_decimals = settings->report_pct_decimals;
  stats::StatsQuery sq;
  sq.year = q.year;
  sq.month = q.month;
  sq.levels = q.levels;
  sq.unit = unit;
  sq.schedule = defaults.schedule;
  auto stats_by = [&](stats::GroupBy by) {
    stats::StatsQuery g = sq;
    g.by = by;
    return reg_.Stats(g);
  };
  in.by_level = stats_by(stats::GroupBy::kLevel);
  in.by_status = stats_by(stats::GroupBy::kStatus);
  in.by_industry = stats_by(stats::GroupBy::kIndustry);
  in.by_region = stats_by(stats::GroupBy::kRegion);
  in.by_demo = stats_by(stats::GroupBy::kDemo);

  stats::WarningQuery wq;
  wq.as_of = month_end;
  wq.levels = q.levels;
  wq.unit = unit;
  auto chart = BuildWallChart(ms_, wq);
  if (!chart.ok()) return chart.status();
  for (const WallChartRow& row : chart->rows) {
    for (const WallChartNode& n : row.nodes) ++in.node_states[static_cast<size_t>(n.status.state)];
  }
  in.warnings = std::move(chart->result);

  stats::ProblemQuery pq;
  pq.as_of = month_end;
  pq.levels = q.levels;
  pq.unit = unit;
  auto problems = problems_.Stats(pq);
  if (!problems.ok()) return problems.status();
  in.problems = std::move(*problems);

  auto visits = supervision_.Figures(Date{q.year, 1, 1}, month_end, q.levels, q.user);
  if (!visits.ok()) return visits.status();
  in.visits = *visits;

  stats::FinancingQuery fq;
  fq.year = q.year;
  fq.month = q.month;
  fq.as_of = month_end;
  fq.levels = q.levels;
  fq.unit = unit;
  auto financing = financing_.Stats(fq);
  if (!financing.ok()) return financing.status();
  in.financing = std::move(*financing);

  stats::StatsQuery rq = sq;
  rq.by = stats::GroupBy::kRegion;
  auto lists = RedBlackLists(reg_).Lists(rq, std::nullopt, std::nullopt);
  if (!lists.ok()) return lists.status();
  in.redblack = std::move(*lists);
  in.line = reg_.stats_engine().Line(sq);
  if (q.kind == "monthly") return reports::BuildMonthly(in);
  stats::StatsQuery last = sq;
  last.year = q.year - 1;
  last.by = stats::GroupBy::kLevel;
  in.last_year = reg_.Stats(last);
  in.last_line = reg_.stats_engine().Line(last);
  return q.kind == "annual" ? reports::BuildAnnual(in) : reports::BuildQuarterly(in);
}

std::string PeriodKey(const ReportQuestion& q) {
  constexpr int kMonthsPerQuarter = 3;
  if (q.kind == "annual") return std::to_string(q.year);
  if (q.kind == "quarterly") return std::to_string(q.year) + "-Q" + std::to_string((q.month + kMonthsPerQuarter - 1) / kMonthsPerQuarter);
  if (q.kind == "weekly") return std::to_string(q.year) + "-W" + (q.week < 10 ? "0" : "") + std::to_string(q.week);
  return YearMonth{q.year, q.month}.ToString();
}

namespace {

constexpr int kDaysPerWeek = 7;

// ISO weekday: Monday 1 … Sunday 7 (1970-01-01, day 0, was a Thursday).
int IsoWeekday(const Date& d) { return ((DayNumber(d) % kDaysPerWeek) + kDaysPerWeek + 3) % kDaysPerWeek + 1; }

Date IsoWeekOneMonday(int year) {
  const Date jan4{year, 1, 4};
  return AddDays(jan4, -(IsoWeekday(jan4) - 1));
}

int IsoWeeksInYear(int year) {
  constexpr int kThursday = 4, kWednesday = 3, kLongYear = 53, kShortYear = 52;
  const int jan1 = IsoWeekday(Date{year, 1, 1});
  return jan1 == kThursday || (IsLeapYear(year) && jan1 == kWednesday) ? kLongYear : kShortYear;
}

}  // namespace

Result<ReportQuestion> ParseIsoWeek(const std::string& text) {
  auto bad = [&] {
    return InvalidArgument("week 应为 ISO 周，如 2024-W13 (bad week): " + text, "week");
  };
  const size_t w = text.find("-W");
  if (w != 4 || text.size() < 7 || text.size() > 8) return bad();
  int year = 0, week = 0;
  auto [ye, yec] = std::from_chars(text.data(), text.data() + 4, year);
  auto [we, wec] = std::from_chars(text.data() + 6, text.data() + text.size(), week);
  if (yec != std::errc() || ye != text.data() + 4 || wec != std::errc() || we != text.data() + text.size()) return bad();
  if (year < kMinYear || year > kMaxYear) {
    return InvalidArgument("week 的年份应为 " + std::to_string(kMinYear) + "-" + std::to_string(kMaxYear) +
                               " (the week's year is out of range): " + text,
                           "week");
  }
  if (week < 1 || week > IsoWeeksInYear(year)) {
    return InvalidArgument("week 应为 " + std::to_string(year) + " 年的第 1-" + std::to_string(IsoWeeksInYear(year)) +
                               " 周 (no such ISO week): " + text,
                           "week");
  }
  ReportQuestion q;
  q.kind = "weekly";
  q.year = year;
  q.week = week;
  q.monday = AddDays(IsoWeekOneMonday(year), (week - 1) * kDaysPerWeek);
  return q;
}

Result<reports::Report> Reports::BuildWeekly(const ReportQuestion& q) {
  reports::WeeklyInputs in;
  in.iso_year = q.year;
  in.week = q.week;
  in.monday = q.monday;
  in.sunday = AddDays(q.monday, kDaysPerWeek - 1);
  in.levels = q.levels;
  in.issued = q.issued;
  const Date mon = in.monday, sun = in.sunday;
  std::optional<std::string> unit;
  if (q.user.role == Role::kDepartment) unit = q.user.unit;
  auto settings = reg_.GetSettings();
  if (!settings.ok()) return settings.status();
  in.style.pct_decimals = settings->report_pct_decimals;

  // The headline: the last month ended by Sunday.
  YearMonth hm{sun.year, sun.month};
  if (sun.day != DaysInMonth(sun.year, sun.month)) hm = hm.month == 1 ? YearMonth{hm.year - 1, 12} : YearMonth{hm.year, hm.month - 1};
  stats::StatsQuery sq;
  sq.year = hm.year;
  sq.month = hm.month;
  sq.levels = q.levels;
  sq.unit = unit;
  sq.schedule = StatsDefaultsOf(*settings, TodayBeijing()).schedule;
  sq.by = stats::GroupBy::kLevel;
  in.headline = reg_.Stats(sq);

  // Nodes: as the wall chart has them as of Sunday.
  stats::WarningQuery wq;
  wq.as_of = sun;
  wq.levels = q.levels;
  wq.unit = unit;
  auto chart = BuildWallChart(ms_, wq);
  if (!chart.ok()) return chart.status();
  auto in_week = [&](const Date& d) { return mon <= d && d <= sun; };
  for (const WallChartRow& row : chart->rows) {
    for (const WallChartNode& n : row.nodes) {
      reports::WeeklyInputs::NodeEvent e{row.project->code, row.project->name, n.node.name, n.node.planned, n.node.actual, 0};
      if (n.node.actual && in_week(*n.node.actual)) {
        in.completed.push_back(e);
        if (n.node.name == stats::kStartNodeName) in.starts.push_back(e);
      }
      const bool done_by_sunday = n.node.actual && *n.node.actual <= sun;
      if (n.node.planned && !done_by_sunday && in_week(AddDays(*n.node.planned, 1))) {
        e.days_overdue = DayNumber(sun) - DayNumber(*n.node.planned);
        in.newly_overdue.push_back(e);
      }
    }
  }

  // Monthly reports submitted in the week, of the projects in the question's scope (levels, a department's unit).
  // [Monday 00:00, next Monday 00:00) in Beijing is [Sunday 16:00, Monday 16:00) UTC.
  constexpr const char* kBeijingMidnightUtc = "T16:00:00Z";
  auto reports = activity_.SubmittedBetween(AddDays(mon, -1).ToString() + kBeijingMidnightUtc,
                                            sun.ToString() + kBeijingMidnightUtc);
  if (!reports.ok()) return reports.status();
  for (const MonthlyReport& r : *reports) {
    auto p = reg_.GetProject(r.project_id);
    if (!p.ok()) continue;  // deleted since
    if (!q.levels.empty() && std::find(q.levels.begin(), q.levels.end(), p->level) == q.levels.end()) continue;
    if (unit && p->unit != *unit) continue;
    auto day = ParseDate(r.submitted_at.substr(0, 10));
    if (!day.ok()) continue;
    constexpr int kBeijingOffsetHours = 8, kHoursPerDay = 24;
    const int hour = std::atoi(r.submitted_at.substr(11, 2).c_str());
    const Date beijing = hour + kBeijingOffsetHours >= kHoursPerDay ? AddDays(*day, 1) : *day;
    in.reports.push_back({p->code, p->name, r.month.ToString(), beijing.ToString(), r.completed});
  }
  std::sort(in.reports.begin(), in.reports.end(), [](const auto& a, const auto& b) {
    return std::tie(a.submitted_on, a.code, a.month) < std::tie(b.submitted_on, b.code, b.month);
  });

  // Problems raised and closed in the week, as the problem statistics count them in the scope; open on Sunday.
  stats::ProblemQuery pq;
  pq.levels = q.levels;
  pq.unit = unit;
  auto week = problems_.Between(pq, mon, sun);
  if (!week.ok()) return week.status();
  // The projects' code and name from the engine's briefs, in one call (the engine counted only live projects).
  auto rows = [&](const std::vector<Problem>& problems, std::vector<reports::WeeklyInputs::ProblemEvent>& out) {
    std::vector<int64_t> ids;
    for (const Problem& p : problems) ids.push_back(p.project_id);
    const auto briefs = reg_.stats_engine().Briefs(ids);
    for (size_t i = 0; i < problems.size(); ++i) {
      if (!briefs[i]) continue;
      const Problem& p = problems[i];
      out.push_back({briefs[i]->code, briefs[i]->name, p.text, p.lead_unit, p.raised_on, p.closed_on});
    }
  };
  rows(week->raised, in.problems_raised);
  rows(week->closed, in.problems_closed);
  in.problems_open = week->open_at_end;
  return reports::BuildWeekly(in);
}

std::string IssueLabel(int issue) { return "第" + std::to_string(issue) + "期"; }

namespace {

namespace json = boost::json;

std::string QuestionJson(const ReportQuestion& q, const std::map<std::string, std::string>& overrides) {
  json::array levels;
  for (Level l : q.levels) levels.emplace_back(LevelName(l));
  json::object o_overrides;
  for (const auto& [id, text] : overrides) o_overrides[id] = text;
  return json::serialize(json::object{{"kind", q.kind},
                                      {"year", q.year},
                                      {"month", q.month},
                                      {"week", PeriodKey(q)},
                                      {"levels", std::move(levels)},
                                      {"date", q.issued.ToString()},
                                      {"overrides", std::move(o_overrides)}});
}

// The published question back, asked for the whole county (what was published).
Result<ReportQuestion> QuestionOf(const store::PublishedReport& p) {
  json::error_code ec;
  json::value v = json::parse(p.question, ec);
  if (ec || !v.is_object()) return Internal("已发布报告的问题数据损坏 (bad stored question): " + std::to_string(p.id));
  const json::object& o = v.as_object();
  ReportQuestion q;
  q.kind = p.kind;
  const json::value* year = o.if_contains("year");
  const json::value* month = o.if_contains("month");
  if (!year || !year->is_int64() || !month || !month->is_int64()) {
    return Internal("已发布报告的问题数据损坏 (bad stored question): " + std::to_string(p.id));
  }
  q.year = static_cast<int>(year->as_int64());
  q.month = static_cast<int>(month->as_int64());
  if (p.kind == "weekly") {
    auto w = ParseIsoWeek(p.period);
    if (!w.ok()) return Internal("已发布报告的周次损坏 (bad stored week): " + p.period);
    q.week = w->week;
    q.monday = w->monday;
  }
  if (const json::value* ls = o.if_contains("levels"); ls && ls->is_array()) {
    for (const auto& l : ls->as_array()) {
      if (auto lv = l.is_string() ? ParseLevel(std::string(l.as_string())) : std::nullopt) q.levels.push_back(*lv);
    }
  }
  q.issued = TodayBeijing();
  if (const json::value* d = o.if_contains("date"); d && d->is_string()) {
    if (auto date = ParseDate(std::string(d->as_string())); date.ok()) q.issued = *date;
  }
  q.user.role = Role::kAdmin;
  q.user.login = p.published_by;
  return q;
}

// (paragraph id, key) → the figure's value (signed where the words give it a direction), in the report's order.
std::vector<std::pair<std::pair<std::string, std::string>, std::string>> FiguresOf(const reports::Report& r) {
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> out;
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind != reports::Block::Kind::kParagraph) continue;
      for (const auto& f : b.paragraph.figures) out.push_back({{b.paragraph.id, f.key}, f.Value()});
    }
  }
  return out;
}

}  // namespace

Date FirstPublishableDay(const ReportQuestion& q) {
  // The weekly summary is drawn up on the week's Friday (PRACTICES §7) and sent the Monday after.
  if (q.kind == "weekly") return AddDays(q.monday, 4);
  return AddDays(Date{q.year, q.month, DaysInMonth(q.year, q.month)}, 1);
}

Status PeriodOver(const ReportQuestion& q, const Date& today) {
  const Date first = FirstPublishableDay(q);
  if (!(today < first)) return Status::Ok();
  const std::string from = first.ToString() + " 起才能发布";
  if (q.kind == "weekly") {
    return InvalidArgument(std::to_string(q.year) + "年第" + std::to_string(q.week) + "周的周五 (" + first.ToString() +
                               ") 起才能发布 (a week is published from its Friday)",
                           "week");
  }
  if (q.kind == "annual") return InvalidArgument(std::to_string(q.year) + "年尚未结束，" + from + " (the year has not ended)", "year");
  if (q.kind == "quarterly") {
    return InvalidArgument(std::to_string(q.year) + "年第" + std::to_string(q.month / 3) + "季度尚未结束，" + from +
                               " (the quarter has not ended)",
                           "quarter");
  }
  return InvalidArgument(std::to_string(q.year) + "年" + std::to_string(q.month) + "月尚未结束，" + from +
                             " (the month has not ended)",
                         "month");
}

Result<store::PublishedReport> Reports::Publish(const ReportQuestion& q, const std::map<std::string, std::string>& overrides,
                                                const Actor& by) {
  // A period is frozen once it is over, never before: the early copy would take its 第N期 and the real one 409.
  const Date today = TodayBeijing();
  if (Status s = PeriodOver(q, today); !s.ok()) return s;
  // Its date of issue lies between then and today (a draft may carry any date; a published document not).
  const Date first = FirstPublishableDay(q);
  if (q.issued < first || today < q.issued) {
    return InvalidArgument("发布日期应在 " + first.ToString() + " 至今天 (" + today.ToString() +
                               ") 之间 (the issue date lies between the period's end and today)",
                           "date");
  }
  // What other servers and the CLI wrote is taken in first: the frozen figures are the database's now.
  if (auto f = reg_.FollowChanges(); !f.ok()) return f.status();
  auto r = Build(q);
  if (!r.ok()) return r.status();
  if (Status s = reports::ApplyOverrides(*r, overrides); !s.ok()) return s;
  store::PublishedReport p;
  p.kind = q.kind;
  p.period = PeriodKey(q);
  p.year = q.year;
  p.question = QuestionJson(q, overrides);
  reports::Report frozen = std::move(*r);
  return published_.Publish(
      std::move(p),
      [&frozen](int issue) -> Result<std::string> {
        frozen.issue = IssueLabel(issue);
        return json::serialize(reports::ReportToJson(frozen));
      },
      by);
}

namespace {

// Text stored before a check refused it (a noncharacter published in a paragraph) is drawn as U+FFFD, so the
// document can still be written: the PDF and docx writers refuse such characters.
void ScrubStrings(json::value& v) {
  if (v.is_string()) {
    const std::string_view text(v.as_string());
    if (!TextProblem(text, TextShape::kMultiLine).empty()) v = ScrubText(text, TextShape::kMultiLine);
  } else if (v.is_array()) {
    for (auto& x : v.as_array()) ScrubStrings(x);
  } else if (v.is_object()) {
    for (auto& [k, x] : v.as_object()) ScrubStrings(x);
  }
}

}  // namespace

Result<reports::Report> Reports::PublishedReport(int64_t id) {
  auto p = published_.Get(id);
  if (!p.ok()) return p.status();
  json::error_code ec;
  json::value v = json::parse(p->model, ec);
  if (ec) return Internal("已发布报告的数据损坏 (bad stored report): " + std::to_string(id));
  ScrubStrings(v);
  return reports::ReportFromJson(v);
}

Result<std::vector<FigureChange>> Reports::ChangesSince(int64_t id) {
  auto p = published_.Get(id);
  if (!p.ok()) return p.status();
  auto frozen = PublishedReport(id);
  if (!frozen.ok()) return frozen.status();
  auto q = QuestionOf(*p);
  if (!q.ok()) return q.status();
  auto live = Build(*q);
  if (!live.ok()) return live.status();
  std::map<std::pair<std::string, std::string>, std::string> now;
  for (auto& [where, text] : FiguresOf(*live)) now.emplace(where, text);
  std::vector<FigureChange> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [where, text] : FiguresOf(*frozen)) {
    if (!seen.insert(where).second) continue;
    auto it = now.find(where);
    const std::string live_text = it == now.end() ? std::string() : it->second;
    if (live_text != text) out.push_back({where.first, where.second, reports::FigureName(where.second), text, live_text});
  }
  return out;
}

}  // namespace kp
