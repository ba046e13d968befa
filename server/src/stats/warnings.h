#pragma once
// Warning colours (红黄绿灯) and node states: the rules of PRACTICES.md §2, applied literally and
// exactly (points behind 时序进度 as exact ratios), as of any date. Pure functions here; the
// engine (StatsEngine::Warnings) applies them to every project in memory.
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "domain/model.h"
#include "stats/schedule.h"

namespace kp::stats {

enum class Colour { kGreen = 0, kYellow = 1, kRed = 2 };
const char* ColourName(Colour c);  // green yellow red
const char* ColourLabel(Colour c);  // 绿 黄 红
std::optional<Colour> ParseColour(std::string_view s);

// A node's state as of a date: derived, never typed.
enum class NodeState { kNotDue, kDueSoon, kOverdue, kDoneOnTime, kDoneLate };
const char* NodeStateName(NodeState s);   // not_due due_soon overdue done_on_time done_late
const char* NodeStateLabel(NodeState s);  // 未到期 临期 逾期 按期完成 逾期完成
struct NodeStatus {
  NodeState state = NodeState::kNotDue;
  // kOverdue: days past the planned date; kDoneLate: days late; kDueSoon/kNotDue: days left
  // (0 = due today; none without a planned date); kDoneOnTime: 0.
  std::optional<int32_t> days;
  Colour colour = Colour::kGreen;  // what the node rule gives it (overdue 1..red_days yellow, beyond red)
};
// As of `as_of`: done when actual ≤ as_of (on time when actual ≤ planned); overdue when
// planned < as_of; due soon when planned − as_of ≤ window_days; else not due.
NodeStatus DeriveNodeState(const std::optional<Date>& planned, const std::optional<Date>& actual, const Date& as_of,
                           int window_days, int red_days);

// The thresholds of the four rules. Settings, recorded with every published list.
struct WarningRules {
  int invest_yellow_points = 10;  // yellow when yellow ≤ behind ≤ red points
  int invest_red_points = 30;     // red when behind > red points
  int start_red_months = 2;       // late by fewer months yellow, by this many or more red
  int node_red_days = 30;         // overdue 1..red_days yellow, more red
  int report_red_months = 2;      // the latest due month missing yellow; this many latest all missing red
  int window_days = 15;           // 临期: a node due within this many days
  // From the register's settings.
  int deadline_day = 5;
  Schedule schedule = Schedule::kMonth;
};
// Errors name the field (invest_yellow_points …).
Status ValidateWarningRules(const WarningRules& r);

enum class WarningRule { kInvestment, kStart, kNode, kReport };
const char* WarningRuleName(WarningRule r);   // investment start node report
const char* WarningRuleLabel(WarningRule r);  // 投资进度 开工 节点 月报

struct Warning {
  WarningRule rule = WarningRule::kInvestment;
  Colour colour = Colour::kYellow;
  std::string detail;  // the sentence shown to people, with the figures
  // investment
  Money plan, completed;
  std::optional<Ratio> completion_pct, schedule_pct, behind_points;
  // start
  std::optional<Date> planned_start;
  int months_late = 0;
  // node
  std::string node, unit, person;  // the node's (or, for other rules, the project's) unit and person
  std::optional<Date> node_planned;
  int32_t days_overdue = 0;
  // report
  std::vector<YearMonth> missing;
};

// The facts one project's colour is computed from, as the engine holds them: dates as day numbers
// (DayNumber; kNoDay when absent), texts as indexes into one dictionary.
inline constexpr int32_t kNoDay = INT32_MIN;
struct NodeFacts {
  int32_t planned = kNoDay, actual = kNoDay;
  uint32_t name = 0, unit = 0, person = 0;
};
struct ProjectFacts {
  bool suspended = false;  // 停缓建: no start or node warning
  bool preparing = false;  // 前期: not started unless its 开工 node says so
  int32_t planned_start = kNoDay;
  int start_node = -1;     // index in nodes of its 开工 node, -1 none
  uint32_t unit = 0, person = 0;
  bool has_plan = false;   // a plan in the as-of year
  int64_t plan = 0;        // yuan
  int64_t completed = 0;   // cumulative through the as-of month, yuan
  uint16_t reported = 0;   // bit m-1: month m of the as-of year has a report
  const NodeFacts* nodes = nullptr;
  size_t node_count = 0;
};

// The name of the node that marks a start: 开工.
inline constexpr std::string_view kStartNodeName = "开工";

// Evaluates the rules for one project as of a date. The cheap colour pass and the detailed pass
// give the same colour; details (sentences, figures) are built only for warnings that fire.
class WarningEvaluator {
 public:
  WarningEvaluator(const Date& as_of, const WarningRules& rules);
  Colour ColourOf(const ProjectFacts& p) const;
  // texts: the dictionary the facts' text indexes point into.
  std::vector<Warning> WarningsOf(const ProjectFacts& p, const std::vector<std::string>& texts) const;
  const Ratio& schedule_pct() const { return schedule_pct_; }
  // The months of the as-of year whose report deadline is on or before the as-of date, latest first.
  const std::vector<int>& due_months() const { return due_months_; }
  // Started by the as-of date: its 开工 node done by then, else not 前期.
  bool Started(const ProjectFacts& p) const;

 private:
  std::optional<Ratio> Behind(const ProjectFacts& p) const;
  Colour InvestColour(const Ratio& behind) const;
  int MonthsLate(const ProjectFacts& p) const;
  int MissingLatest(const ProjectFacts& p) const;  // how many of the latest due months are missing, consecutively

  Date as_of_;
  int32_t day_;
  WarningRules rules_;
  Ratio schedule_pct_;
  std::vector<int> due_months_;
};

Colour WorstColour(const std::vector<Warning>& ws);

}  // namespace kp::stats
