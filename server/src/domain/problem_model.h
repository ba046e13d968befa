#pragma once
// The values of problem lists (清单制 + 责任制 + 销号制) and on-site supervision (现场督导).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/dates.h"

namespace kp {

// 待交办 → 办理中 → 待销号 → 已销号 (PRACTICES.md §3).
enum class ProblemState { kPending, kWorking, kAnswered, kClosed };
const char* ProblemStateName(ProblemState s);   // pending working answered closed
const char* ProblemStateLabel(ProblemState s);  // 待交办 办理中 待销号 已销号
std::optional<ProblemState> ParseProblemState(std::string_view s);  // either spelling

struct Problem {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string category;
  std::string text;
  std::string source;  // 月报 现场督导 拉练 业主反映 领导交办
  std::optional<YearMonth> report_month;
  std::optional<int64_t> visit_id;
  std::string raised_by;
  Date raised_on;
  std::string lead_unit;              // 主办
  std::vector<std::string> co_units;  // 协办
  std::string person;
  std::optional<Date> deadline;
  ProblemState state = ProblemState::kPending;
  std::string answer;
  std::optional<Date> closed_on;
  std::string close_note;
  int escalation = 0;  // 督办 level 0..4
  std::optional<Date> ext_deadline;  // an extension asked for, awaiting the bureau
  std::string ext_reason, ext_by;
  int version = 1;
  std::string created_at, updated_at, updated_by;
};

// One move of a problem: who, when, from what state to what, why. Never deleted.
struct ProblemEvent {
  int64_t id = 0;
  int64_t problem_id = 0;
  std::string at;  // UTC timestamp
  Date on;         // the Beijing date it counts on
  std::string by;
  std::string action;
  std::string from_state, to_state;
  std::string note;
  std::string data = "{}";  // JSON
};

// A problem row of an import (a bureau's 台账).
struct ProblemImportRow {
  std::string project_code;
  Problem problem;
  int line = 0;
};

// What an import of the 问题台账 wrote: rows read, problems added, rows left out as already there
// (same project, text and date raised).
struct ProblemImportSummary {
  int rows = 0;
  int added = 0;
  int skipped = 0;
};

// A supervision visit and what it saw.
struct VisitFinding {
  int64_t id = 0;
  std::string text;
  std::string category = "其他";
  std::string outcome = "open";  // open solved passed_up
  std::optional<int64_t> problem_id;
};

struct VisitStop {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string seen, reported;
  bool on_schedule = true;
  std::vector<VisitFinding> findings;
};

struct Visit {
  int64_t id = 0;
  Date start, end;
  std::string leader;
  std::vector<std::string> members;
  std::string note;
  std::vector<VisitStop> stops;
  int version = 1;
  std::string created_at, updated_at, updated_by;
};

}  // namespace kp
