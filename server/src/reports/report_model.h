#pragma once
// A periodic report as data: sections of drafted paragraphs, tables and charts, every figure taken from
// the engines' answers (stats, warnings, problem, visit and financing figures, the red/black list) and
// written by phrasing.h. The docx and PDF renderers and the 报告 page draw this model and nothing else.
// Pure: builds from answers handed in; nothing here reads the database or the engines.
#include <array>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "reports/phrasing.h"
#include "stats/financing_stats.h"
#include "stats/problem_stats.h"
#include "stats/redblack.h"
#include "stats/stats_engine.h"
#include "stats/visit_stats.h"

namespace kp::reports {

// One figure of a sentence: where it comes from ("total.completion_pct") and how it is written ("30.8").
struct Figure {
  std::string key;
  std::string text;
  std::string value;  // signed ("-1.5") when the words around it give the direction (低于/超…); else empty
  // The figure as a signed value where it has a direction, else as written.
  const std::string& Value() const { return value.empty() ? text : value; }
};

struct Paragraph {
  std::string id;  // stable within a kind of report: what an override names
  std::string text;
  std::vector<Figure> figures;
  bool edited = false;  // the text is a user's override
  // Names the data put in the text (townships, levels, industries, the red/black lists' members), in order:
  // a rewording keeps them with the figures (ApplyOverrides). Not part of the published shape.
  std::vector<std::string> bound;
};

struct Table {
  std::string id, caption, unit;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A chart, in percent. kBars: bars (one per label) against a horizontal reference line (时序进度).
// kCurve: lines over the labels (the months), e.g. the cumulative completion rate against 时序进度.
struct Chart {
  enum class Shape { kBars, kCurve };
  struct Series {
    std::string name;
    std::vector<double> values;  // one per label
  };
  Shape shape = Shape::kBars;
  std::string id, title, line_label;
  double line_value = 0;
  std::vector<std::pair<std::string, double>> bars;  // kBars
  std::vector<std::string> labels;                   // kCurve: the x axis
  std::vector<Series> series;                        // kCurve: the first is drawn solid, the others dashed
};

struct Block {
  enum class Kind { kParagraph, kTable, kChart };
  Kind kind = Kind::kParagraph;
  Paragraph paragraph;
  Table table;
  Chart chart;
};

struct Section {
  std::string id, heading;  // heading numbered as written: "一、总体情况"
  std::vector<Block> blocks;
};

struct Report {
  std::string kind;  // monthly | quarterly | annual | weekly
  int year = 0, month = 0;
  int week = 0;  // weekly: the ISO week (year is the ISO week's year; month 0)
  std::vector<Level> levels;
  std::string title, issuer, date;  // date as written: "2024年4月5日"
  std::string issue;                 // a published report's number as written ("第3期"); empty: a draft
  std::vector<Section> sections;
};

// What a monthly analysis is made of: the engines' answers for one month and scope.
struct MonthlyInputs {
  int year = 0, month = 0;
  std::vector<Level> levels;
  Date issued;
  std::string issuer = "县发展和改革局";
  ReportStyle style;
  stats::StatsResult by_level, by_industry, by_region, by_demo, by_status;
  stats::WarningResult warnings;              // as of the month's end
  std::array<int64_t, 5> node_states{};       // nodes as of the month's end, by stats::NodeState
  stats::ProblemStats problems;               // as of the month's end
  stats::VisitFigures visits;                 // visits of the year up to the month's end
  stats::FinancingStats financing;            // as of the month's end
  stats::RedBlackList redblack;               // by region, the month
  // The year's cumulative line in the report's scope (the summary's curve; the quarterly review's quarter on quarter).
  stats::StatsEngine::MonthlyLine line;
  std::string next_steps;                     // stock text; empty: the default
  // The quarterly review's comparisons (BuildQuarterly): the same period last year (by level), and last
  // year's cumulative line, in the same scope.
  std::optional<stats::StatsResult> last_year;
  stats::StatsEngine::MonthlyLine last_line;
};

Report BuildMonthly(const MonthlyInputs& in);
// The quarterly review: the monthly analysis of the quarter's last month, written for the period ("一季度",
// "上半年", "前三季度", "全年"), with quarter on quarter and the same period last year.
// REQUIRES: in.month is 3, 6, 9 or 12.
Report BuildQuarterly(const MonthlyInputs& in);
// The annual summary: the quarterly review of December, titled for the whole year.
Report BuildAnnual(const MonthlyInputs& in);

// The weekly dispatch sheet (周调度): what happened in one ISO week (Monday to Sunday, Beijing dates) — monthly
// reports submitted, nodes completed, nodes newly overdue, new starts, problems raised and closed (each listed) — and the
// headline figures of the last month ended by the week's Sunday. The domain selects the week's events.
struct WeeklyInputs {
  int iso_year = 0, week = 0;
  Date monday, sunday;
  std::vector<Level> levels;
  Date issued;
  std::string issuer = "县发展和改革局";
  ReportStyle style;
  struct Submitted {
    std::string code, name, month, submitted_on;  // submitted_on: the Beijing date
    Money completed;
  };
  struct NodeEvent {
    std::string code, name, node;
    std::optional<Date> planned, actual;
    int days_overdue = 0;  // as of Sunday (newly overdue nodes)
  };
  std::vector<Submitted> reports;
  std::vector<NodeEvent> completed, newly_overdue, starts;
  struct ProblemEvent {
    std::string code, name, text, lead_unit;
    Date raised_on;
    std::optional<Date> closed_on;
  };
  std::vector<ProblemEvent> problems_raised, problems_closed;  // raised / closed in the week
  int64_t problems_open = 0;                                   // open at its end
  stats::StatsResult headline;  // by level, the last month ended by Sunday
};
Report BuildWeekly(const WeeklyInputs& in);

// Replaces paragraphs' text by the user's wording (line breaks joined, full-width digits as 0-9). The
// figures stay bound to the data: in a paragraph with figures, an override must carry the same tokens in
// the same order — each number with its sign and unit (16.2亿元, 30.8%, 5.8个百分点), each direction word
// before a number with its negation (超, 低于, 未超 …) and each name the data put there — and no other
// number characters than 0-9; else kInvalidArgument naming it. A paragraph without figures is free text.
Status ApplyOverrides(Report& r, const std::map<std::string, std::string>& overrides);

// The numbers written in a text, in order ("1—3月…30.8%" → 1, 3, 30.8).
std::vector<std::string> NumbersIn(const std::string& text);
// The tokens an override must keep, in order: numbers with sign and unit, direction words that a number
// follows in their clause (with 未/不/没/非/无 before them), and `names` where they occur
// ("超时序进度5.8个百分点" → 超, 5.8个百分点).
std::vector<std::string> BoundTokensIn(const std::string& text, const std::vector<std::string>& names = {});

// The published shape (CLI `--format json` and the API give the same bytes).
boost::json::object ReportToJson(const Report& r);
// The report back from its published shape (a frozen, published report is rendered from this);
// kInvalidArgument naming the first field that does not fit.
Result<Report> ReportFromJson(const boost::json::value& v);
// The whole report as plain text, paragraph by paragraph (tests, logs).
std::string ReportText(const Report& r);
const Paragraph* FindParagraph(const Report& r, const std::string& id);
// A figure's key as a reader names it: "level.市重点.completed_yi" → "市重点 累计完成投资（亿元）" (an unknown
// part is kept as written).
std::string FigureName(const std::string& key);
const Table* FindTable(const Report& r, const std::string& id);

}  // namespace kp::reports
