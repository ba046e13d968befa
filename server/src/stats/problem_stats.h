#pragma once
// The figures of problem lists (清单制 + 销号制) as of a date: raised, closed, closure rate, open,
// overdue, closed on time, average days to close — per group and in total, exactly.
// A problem counts in its project's level and region, and under its lead unit for by=unit.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "domain/model.h"
#include "stats/warnings.h"

namespace kp::stats {

// One problem as the figures need it: days as DayNumber, kNoDay when absent.
struct ProblemFacts {
  int64_t id = 0;  // the problem's
  int64_t project_id = 0;
  int32_t raised = kNoDay;
  int32_t deadline = kNoDay;
  int32_t closed = kNoDay;  // 办结日期 when it is closed now
  // Earlier closures undone by a reopening: [closed on, reopened on).
  std::vector<std::pair<int32_t, int32_t>> reopened;
  uint32_t category = 0, source = 0, lead_unit = 0;  // into ProblemSet's names
  std::vector<uint32_t> co_units;                     // 协办, into ProblemSet's units
  // The day it was first escalated (升级督办); escalation only goes up, so it counts as escalated on
  // every day from then while it is open.
  int32_t escalated_on = kNoDay;
  // Where it stands now (the worklists' summary, as of today): 待销号, an extension asked for and not
  // yet decided.
  bool answered = false, extension_pending = false;
};

struct ProblemSet {
  std::vector<ProblemFacts> items;
  std::vector<std::string> categories, sources, units;
  // The engine's slot of each item's project (StatsEngine::ResolveProjects), used while the engine's
  // generation is still `resolved_generation` (else each project is looked up by id).
  std::vector<uint32_t> project_slots;
  uint64_t resolved_generation = 0;
};

enum class ProblemGroupBy { kNone, kUnit, kCategory, kLevel, kRegion, kSource };
const char* ProblemGroupByName(ProblemGroupBy g);
std::optional<ProblemGroupBy> ParseProblemGroupBy(std::string_view s);

struct ProblemQuery {
  Date as_of;
  std::vector<Level> levels;  // empty = every level
  ProblemGroupBy by = ProblemGroupBy::kNone;
  std::optional<int64_t> region_id;
  std::optional<int> region_depth;
  // A department's scope: problems it leads or of its unit's projects.
  std::optional<std::string> unit;
  std::optional<std::string> owner;  // an owner's scope: its projects' problems
  // With `unit`: also the problems it is a co-unit of (the problem list's scope of a department).
  bool co_units_in_scope = false;
  // Keep ProblemStats::members: the set's index of every problem the total counts (the weekly sheet lists them).
  bool keep_members = false;
};

struct ProblemFigures {
  std::string key;
  int64_t raised = 0;          // 提出日期 ≤ as-of
  int64_t closed = 0;          // closed with 办结日期 ≤ as-of (and not reopened by then)
  int64_t open = 0;            // raised − closed
  int64_t overdue = 0;         // open and deadline < as-of
  int64_t closed_on_time = 0;  // closed, 办结日期 ≤ deadline (or no deadline)
  int64_t days_to_close = 0;   // Σ (办结日期 − 提出日期) of the closed
  int64_t escalated = 0;  // open and escalated on or before as-of
  // Of the open ones, where they stand now (meaningful as of today): 待销号, extension asked.
  int64_t answered = 0, pending_extensions = 0;
  std::optional<Ratio> closure_rate_pct() const;   // closed ÷ raised × 100
  std::optional<Ratio> avg_days_to_close() const;  // days_to_close ÷ closed
};

struct ProblemStats {
  Date as_of;
  std::vector<Level> levels;
  ProblemGroupBy by = ProblemGroupBy::kNone;
  ProblemFigures total;
  std::vector<ProblemFigures> groups;  // levels in order; others by raised (most first), then key
  std::vector<uint32_t> members;       // with ProblemQuery::keep_members: indexes into the set, in set order
};

// Whether a problem counts as closed on `day`, and on which date it was closed.
std::optional<int32_t> ClosedAsOf(const ProblemFacts& f, int32_t day);

// The figures of each project's problems as of `as_of`, in the order of `ids` (key: the id's digits);
// the same counting as StatsEngine::Problems. One pass over the set.
std::vector<ProblemFigures> ProblemsOfProjects(const ProblemSet& set, const std::vector<int64_t>& ids, const Date& as_of);

}  // namespace kp::stats
