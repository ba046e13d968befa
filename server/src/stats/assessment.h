#pragma once
// Assessment (考核), PRACTICES.md §5: a scoring table kept as a setting — items with full points, each
// scored from one measure — applied to the townships or units of a month, quarter or year, ranked.
// The default is the 2020 city award scheme: plan completion 40 (25 at 100 % of the time-schedule
// target, −0.1 per point below, +0.2 per point to 130 %, +0.1 beyond, ±10 at most, rank 1–3 +7, 4–6 +5,
// 7–10 +3), starts 25 (10, +1 per start up to 10, +5 at a start rate ≥ 80 % (1–5 due) or ≥ 70 % (6+),
// −3 per project not started on time), management 15 (nodes on time, problems closed, reports in: 5
// each, in proportion), and the bureau's bonus/penalty points with a reason (加减分, ±10).
// Pure: the measures come from the engines' answers; points are exact and rounded only for display.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/status.h"
#include "stats/problem_stats.h"
#include "stats/stats_engine.h"
#include "stats/tour_results.h"

namespace kp::stats {

enum class AssessMeasure { kCompletion, kStarts, kNodes, kProblems, kReports, kManual, kTour };
const char* AssessMeasureName(AssessMeasure m);  // completion starts nodes problems reports manual tour
const char* AssessMeasureLabel(AssessMeasure m);  // 计划完成 项目开工 节点按期 问题销号 按时填报 加减分 拉练评比

struct RankBonus {
  int to_rank = 0;  // ranks up to this one (after the previous bonus's) get `points`
  Ratio points;
};

struct AssessmentItem {
  std::string name;
  AssessMeasure measure = AssessMeasure::kCompletion;
  Ratio max;  // full points; a score is held to [0, max] ([−max, max] for kManual)
  // kCompletion, on p = completion rate ÷ 时序进度 × 100: base + (p − 100) × below (p < 100), + (p − 100) × above
  // up to beyond_from, + (p − beyond_from) × beyond past it; the change held to ±cap; then the rank bonus.
  // kStarts: base + per_start × min(started, start_limit) + rate_bonus when the start rate reaches
  // small_pct (due ≤ small_max) or large_pct, − late_penalty per project due and not started.
  Ratio base, below, above, beyond, beyond_from = Ratio::Of(130, 1), cap;
  std::vector<RankBonus> rank_bonus;
  Ratio per_start, rate_bonus, small_pct = Ratio::Of(80, 1), large_pct = Ratio::Of(70, 1), late_penalty;
  int start_limit = 10, small_max = 5;
  // kNodes, kProblems, kReports: max × done ÷ due (full points when nothing was due).
  // kTour: the unit's 拉练 score (of 100) in the period × max ÷ 100; 0 when no tour ended in the period
  // or none stopped at its projects (the basis says which). Not in the default scheme: the bureau adds it.
};

// The bureau's points for a unit, with the reason (a kManual item's figure).
struct AssessmentAdjustment {
  std::string by;   // region | unit
  std::string key;  // the township or unit
  int year = 0;
  std::optional<int> month;  // the period's as-of month (3 for Q1); nullopt: every period of the year
  std::string item;          // the kManual item's name
  Ratio points;              // may be negative
  std::string reason;
};

struct AssessmentScheme {
  std::string name = "2020年市重点项目考核办法";
  std::vector<AssessmentItem> items;
  std::vector<AssessmentAdjustment> adjustments;
};
AssessmentScheme DefaultAssessmentScheme();

// The figures a unit's items are scored from.
struct AssessmentMeasures {
  std::optional<Ratio> completion_pct;  // completed ÷ plan × 100 (nullopt: no plan)
  std::optional<int> completion_rank;   // the engine's rank among the units by completion rate
  ExecutionFigures execution;
  int64_t problems_raised = 0, problems_closed = 0;
};

struct ItemScore {
  std::string name;
  AssessMeasure measure = AssessMeasure::kCompletion;
  Ratio points;
  std::string basis;  // how the points were reached, with the figures ("完成率为时序进度的123.20%：25+4.64+7")
};

struct UnitScore {
  std::string key;
  int rank = 0;  // competition rank by total (1 = best)
  Ratio total;
  std::vector<ItemScore> items;
  AssessmentMeasures measures;
};

struct AssessmentResult {
  int year = 0;
  int month = 0;
  std::string period;  // month | quarter | year
  GroupBy by = GroupBy::kRegion;
  Ratio schedule_pct;
  std::string scheme;
  std::vector<AssessmentItem> items;
  std::vector<UnitScore> scores;  // by rank, then key
};

// Scores every group of `stats` (grouped by region or unit) under `scheme`; execution, problems and
// tours are the same question's answers grouped the same way (joined by key); `tours` may be null when
// the scheme has no tour item.
AssessmentResult BuildAssessment(const AssessmentScheme& scheme, const StatsResult& stats,
                                 const ExecutionResult& execution, const ProblemStats& problems,
                                 const std::string& period, const TourPeriodFigures* tours = nullptr);

// The period of an assessment question: `quarter` 1-4 → its last month, "quarter"; `period` "year" →
// month 12; "month" (or nothing) → the question's month. Empty texts count as absent; errors name the field.
struct AssessmentPeriod {
  std::string name = "month";     // month | quarter | year
  std::optional<int> month;       // the as-of month the period fixes (nullopt: the question's month)
};
Result<AssessmentPeriod> ParseAssessmentPeriod(const std::string& quarter, const std::string& period,
                                               const std::string& month);

// The scheme as stored in the settings, and back; parsing checks every field and names it.
Result<AssessmentScheme> ParseAssessmentScheme(const boost::json::object& o);
boost::json::object AssessmentSchemeToJson(const AssessmentScheme& s);

// The published shape (CLI and API give the same bytes):
// {"year","month","period","by","scheme","schedule_pct","items":[{"name","measure","max"}],
//  "scores":[{"key","rank","total","items":[{"name","measure","points","basis"}],"measures":{…},"display":{"total"}}]}
boost::json::object AssessmentToJson(const AssessmentResult& r);
std::string AssessmentToTable(const AssessmentResult& r);

}  // namespace kp::stats
