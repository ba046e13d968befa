#include "domain/reports.h"

#include <boost/json.hpp>
#include <charconv>
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

std::string PeriodKey(const std::string& kind, int year, int month) {
  constexpr int kMonthsPerQuarter = 3;
  if (kind == "annual") return std::to_string(year);
  if (kind == "quarterly") return std::to_string(year) + "-Q" + std::to_string((month + kMonthsPerQuarter - 1) / kMonthsPerQuarter);
  return YearMonth{year, month}.ToString();
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

// (paragraph id, key) → written text, in the report's order.
std::vector<std::pair<std::pair<std::string, std::string>, std::string>> FiguresOf(const reports::Report& r) {
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> out;
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind != reports::Block::Kind::kParagraph) continue;
      for (const auto& f : b.paragraph.figures) out.push_back({{b.paragraph.id, f.key}, f.text});
    }
  }
  return out;
}

}  // namespace

Result<store::PublishedReport> Reports::Publish(const ReportQuestion& q, const std::map<std::string, std::string>& overrides,
                                                const Actor& by) {
  auto r = Build(q);
  if (!r.ok()) return r.status();
  if (Status s = reports::ApplyOverrides(*r, overrides); !s.ok()) return s;
  store::PublishedReport p;
  p.kind = q.kind;
  p.period = PeriodKey(q.kind, q.year, q.month);
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

Result<reports::Report> Reports::PublishedReport(int64_t id) {
  auto p = published_.Get(id);
  if (!p.ok()) return p.status();
  json::error_code ec;
  json::value v = json::parse(p->model, ec);
  if (ec) return Internal("已发布报告的数据损坏 (bad stored report): " + std::to_string(id));
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
    if (live_text != text) out.push_back({where.first, where.second, text, live_text});
  }
  return out;
}

}  // namespace kp
