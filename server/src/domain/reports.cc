#include "domain/reports.h"

#include <charconv>

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
  if (kind != "monthly" && kind != "quarterly" && kind != "annual") {
    return InvalidArgument("报告类型应为 monthly、quarterly 或 annual (bad kind): " + kind, "kind");
  }
  q.kind = kind;
  auto year = IntParam(params, "year", kMinYear, kMaxYear);
  if (!year.ok()) return year.status();
  q.year = *year;
  constexpr int kQuarters = 4, kMonthsPerQuarter = 3;
  if (kind == "annual") {
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
  if (q.kind == "monthly") return reports::BuildMonthly(in);
  stats::StatsQuery last = sq;
  last.year = q.year - 1;
  last.by = stats::GroupBy::kLevel;
  in.last_year = reg_.Stats(last);
  in.line = reg_.stats_engine().Line(sq);
  in.last_line = reg_.stats_engine().Line(last);
  return q.kind == "annual" ? reports::BuildAnnual(in) : reports::BuildQuarterly(in);
}

}  // namespace kp
