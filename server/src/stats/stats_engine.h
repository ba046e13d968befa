#pragma once
// The statistics the bureau publishes, answered from an in-memory column cache of projects,
// annual plans and monthly amounts. The database stays the system of record: the cache is
// rebuilt from it at start and updated by the domain services on every write.
// Thread-safety: Compute may run concurrently; writers take an exclusive lock.
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "domain/model.h"
#include "stats/financing_stats.h"
#include "stats/problem_stats.h"
#include "stats/schedule.h"
#include "stats/warnings.h"

namespace kp::store {
struct StatsSource;
struct ImportApplied;
}

namespace kp::stats {

enum class GroupBy { kNone, kLevel, kRegion, kIndustry, kUnit, kLeader, kDemo, kStatus, kProject };
const char* GroupByName(GroupBy g);
std::optional<GroupBy> ParseGroupBy(std::string_view s);
inline constexpr GroupBy kDashboardGroupings[] = {GroupBy::kLevel, GroupBy::kRegion, GroupBy::kIndustry,
                                                   GroupBy::kUnit,  GroupBy::kLeader, GroupBy::kDemo,
                                                   GroupBy::kStatus};

struct StatsQuery {
  int year = 0;
  int month = 12;                // as-of month, 1..12 (end of month)
  std::optional<int> day;        // as-of day for the day convention (default: end of month)
  std::vector<Level> levels;     // empty = every level
  GroupBy by = GroupBy::kNone;
  std::optional<int> region_depth;      // for kRegion: absolute depth (0 = a root); default: below home
  std::optional<int64_t> region_id;     // only projects in this region's subtree
  std::optional<std::string> unit;      // only this responsible unit's projects (a department's scope)
  std::optional<std::string> owner;     // only this owner's projects (an owner's scope)
  Schedule schedule = Schedule::kMonth;
};

// Figures of one group (or the total). Ratios are exact; nullopt when the plan is zero.
struct GroupFigures {
  std::string key;
  std::string label;  // project name for kProject, else empty
  std::optional<int> rank;
  int64_t projects = 0;
  Money plan;
  Money completed;
  std::optional<Ratio> completion_pct;  // completed / plan × 100
  std::optional<Ratio> ahead_points;    // completion_pct − schedule_pct
  std::optional<Ratio> spi;             // completion / schedule
};

struct StatsResult {
  int year = 0;
  int month = 0;
  Schedule schedule = Schedule::kMonth;
  Ratio schedule_pct;
  std::vector<Level> levels;
  GroupBy by = GroupBy::kNone;
  GroupFigures total;
  std::vector<GroupFigures> groups;  // ordered by rank; zero-plan groups last, unranked
  // How complete the month's reporting is among the total's projects (those with a plan):
  // `reported` of them reported the as-of month, out of total.projects expected.
  int64_t reported = 0;
};

// How the default (headline) month of a year is chosen: the latest month whose reporting deadline
// has passed and whose reporting is substantially complete, unless the bureau pinned a month.
struct HeadlineRule {
  int threshold_pct = 80;               // 填报率 a month needs, 0..100
  std::optional<YearMonth> pinned;      // the bureau's current period; wins in its year
  int deadline_day = 5;                 // reports for month M are due on this day of month M+1
  Date today;                           // Beijing date; a deadline has passed once today is after it
};

// The day reports for `month` are due: deadline_day of the next month (capped at its last day).
Date ReportDeadline(YearMonth month, int deadline_day);

// Fills completion_pct, ahead_points and spi from plan/completed and the schedule.
void FillRatios(GroupFigures& g, const Ratio& schedule_pct);

// A colour question: every project with a plan in the as-of year, in scope, as of a date.
struct WarningQuery {
  Date as_of;
  std::vector<Level> levels;
  GroupBy by = GroupBy::kNone;
  std::optional<int> region_depth;
  std::optional<int64_t> region_id;
  std::optional<std::string> unit;   // a department's scope
  std::optional<std::string> owner;  // an owner's scope
  std::optional<std::string> leader;
  std::optional<bool> demo;      // only 示范项目 (true) or only the others (false)
  std::optional<Colour> colour;  // list only projects of this colour (counts stay whole)
  bool list_projects = true;     // false: colours and counts only (dashboards, benchmarks)
};

struct ProjectColour {
  int64_t id = 0;
  std::string code, name, region, unit, person, leader;
  Level level = Level::kCounty;
  Colour colour = Colour::kGreen;
  std::vector<Warning> warnings;
};

struct ColourCounts {
  std::string key;
  std::array<int64_t, 3> counts{};  // by Colour
};

struct WarningResult {
  Date as_of;
  WarningRules rules;
  Ratio schedule_pct;
  std::vector<Level> levels;
  GroupBy by = GroupBy::kNone;
  std::array<int64_t, 3> counts{};
  std::vector<ProjectColour> projects;  // red first, then yellow, then green; by code within
  std::vector<ColourCounts> groups;     // by key
};

// How a group carries its projects out, as of a date (the 考核's measures, stats/assessment.h): over
// the projects with a plan in the as-of year, in scope.
struct ExecutionFigures {
  std::string key;
  int64_t projects = 0;
  int64_t starts_due = 0;     // planned start on or before the as-of date, not 停缓建
  int64_t started = 0;        // of those, started by then (its 开工 node done, else not 前期)
  int64_t nodes_due = 0;      // nodes planned on or before the as-of date
  int64_t nodes_on_time = 0;  // of those, done by then and on or before the planned date
  int64_t reports_due = 0;    // project × month whose report deadline had passed by the as-of date
  int64_t reports_in = 0;     // of those, reported
};
struct ExecutionResult {
  Date as_of;
  ExecutionFigures total;
  std::vector<ExecutionFigures> groups;  // by key
};

class StatsEngine {
 public:
  void Rebuild(const store::StatsSource& src);
  void SetRegions(const std::vector<Region>& regions, std::optional<int64_t> home_region);
  void UpsertProject(const Project& p);
  void RemoveProject(int64_t project_id);
  void SetPlan(int64_t project_id, int year, Money plan);
  void SetReport(int64_t project_id, YearMonth month, Money completed);
  // What an import wrote, taken in under one lock (regions are set separately).
  void Apply(const store::ImportApplied& applied);
  // Replaces everything cached of these projects by what `src` holds of them (their record, plans
  // and reports as the database has them now); an id absent from src.projects is not live.
  void ReplaceProjects(const std::vector<int64_t>& ids, const store::StatsSource& src);

  StatsResult Compute(const StatsQuery& q) const;
  // Cumulative completed per month 1..12 of a year for the projects matching q (levels/region),
  // with the plan: the data behind a "cumulative vs schedule" line.
  struct MonthlyLine {
    Money plan;
    std::array<Money, 12> cumulative{};
  };
  MonthlyLine Line(const StatsQuery& q) const;

  // Figures of individual projects (nullopt: no plan that year), in the order of `ids`.
  std::vector<std::optional<GroupFigures>> ProjectFigures(const std::vector<int64_t>& ids, const StatsQuery& q) const;

  // Starts, nodes on time and reports received per group of q.by (q's scope; colour and list ignored).
  ExecutionResult Execution(const WarningQuery& q, const WarningRules& rules) const;
  // Warning colours as of a date (stats/warnings.h rules), with every counted project's warnings.
  WarningResult Warnings(const WarningQuery& q, const WarningRules& rules) const;
  // The colour of each project as of q.as_of (nullopt: no plan that year, unknown, or outside q's
  // scope — unit, owner, levels, region), in order of ids.
  std::vector<std::optional<Colour>> ColoursOf(const std::vector<int64_t>& ids, const WarningQuery& q,
                                               const WarningRules& rules) const;
  // Problem-list figures as of q.as_of over `set`, with each problem's project as this cache holds it
  // (live projects only; levels, region and scope from the project; stats/problem_stats.h).
  ProblemStats Problems(const ProblemQuery& q, const ProblemSet& set) const;
  // Records in `set` the slot of each item's project as this cache holds it now, so Problems need
  // not look each one up while nothing changes. REQUIRES: set not used concurrently.
  void ResolveProjects(ProblemSet& set) const;
  void ResolveProjects(FinancingSet& set) const;  // the same for Financing
  static constexpr uint32_t kNoSlot = UINT32_MAX;  // a resolved item whose project this cache does not hold
  // The financing funnel as of q.as_of over `set` (stats/financing_stats.h).
  FinancingStats Financing(const FinancingQuery& q, const FinancingSet& set) const;
  // What a list of problems shows of their projects, in order of ids (nullopt: not live).
  struct ProjectBrief {
    std::string code, name, unit, owner, leader;
    Level level = Level::kCounty;
  };
  std::vector<std::optional<ProjectBrief>> Briefs(const std::vector<int64_t>& ids) const;
  // The group key (as Compute names groups) of each project under `by`, in order of ids ("": not live).
  // Implemented in tour_results.cc.
  std::vector<std::string> GroupKeys(const std::vector<int64_t>& ids, GroupBy by, std::optional<int> region_depth) const;
  // The ids of the projects in q's scope (levels, region, unit, owner, leader, demo) whose colour as of
  // q.as_of is `colour`, ascending: the project list's colour filter.
  std::vector<int64_t> IdsOfColour(const WarningQuery& q, Colour colour, const WarningRules& rules) const;
  // The live projects whose 包抓领导 is `leader`, ascending by id.
  std::vector<int64_t> IdsOfLeader(const std::string& leader) const;
  // Each project's next node as of `as_of`: the earliest planned of its nodes not done by then and not
  // yet overdue (planned ≥ as_of), in order of ids (nullopt: none, or not live).
  struct NextNode {
    std::string name;
    Date planned;
  };
  std::vector<std::optional<NextNode>> NextNodes(const std::vector<int64_t>& ids, const Date& as_of) const;
  // Replaces a project's nodes in the cache (a node written in this process).
  void SetNodes(int64_t project_id, const std::vector<ProjectNode>& nodes);

  // Marks cached answers stale (settings the figures depend on changed).
  void Invalidate() { Bump(); }
  // Bumped on every write: response caches keyed on it stay coherent.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  size_t project_count() const;
  // The latest month of `year` with a reported amount, if any.
  std::optional<int> LatestMonth(int year) const;
  // The month figures open on when none is asked for (see HeadlineRule): the pinned month in its
  // year; else the latest month past its deadline with 填报率 ≥ threshold over every project with a
  // plan (and at least one report); else the latest month past its deadline with any report; else LatestMonth; else 12.
  int HeadlineMonth(int year, const HeadlineRule& rule) const;

 private:
  struct ProjectMeta {
    int64_t id = 0;
    bool live = false;
    Level level = Level::kCounty;
    int region = -1;  // index into regions_, -1 none
    uint32_t industry = 0, unit = 0, leader = 0, status = 0, owner = 0;
    bool demo = false;
    bool suspended = false, preparing = false;  // 停缓建, 前期
    int32_t planned_start = kNoDay;
    uint32_t unit_text = 0, person_text = 0;  // in texts_
    std::string code, name;
  };
  struct YearData {
    std::vector<int64_t> plan;      // by project index
    std::vector<uint8_t> has_plan;  // by project index
    std::vector<std::array<int64_t, 12>> monthly;     // amount reported for each month
    std::vector<std::array<int64_t, 12>> cumulative;  // running sums of monthly: the as-of figure
    std::vector<uint16_t> reported;                   // bit m-1 set when month m was reported
    void Resize(size_t n);
    void SetPlan(size_t i, int64_t yuan) {
      plan[i] = yuan;
      has_plan[i] = 1;
    }
    // Records month m (1..12) without recomputing the running sums (Accumulate does).
    void SetMonth(size_t i, int m, int64_t yuan) {
      monthly[i][m - 1] = yuan;
      reported[i] |= static_cast<uint16_t>(1u << (m - 1));
    }
    void Accumulate(size_t i);  // recomputes cumulative[i] from monthly[i]
    void Clear(size_t i);       // forgets project i's plan and months
  };
  struct Dictionary {
    std::vector<std::string> names;
    std::unordered_map<std::string, uint32_t> ids;
    uint32_t Intern(const std::string& s);
  };

  // A grouping's dense slots (Compute and Warnings share it).
  struct Grouping {
    GroupBy by = GroupBy::kNone;
    size_t slots = 1;
    std::vector<int> region_at_depth;  // for kRegion: region index -> its ancestor at the depth
  };
  Grouping MakeGrouping(GroupBy by, std::optional<int> depth) const;  // REQUIRES: lock held
  // A warning question's scope as the engine tests it (Warnings, IdsOfColour, Execution): levels, region,
  // unit and owner as Matches does, then the leader and 示范.
  struct WarningScope {
    StatsQuery scope;
    std::vector<uint8_t> region_mask;
    std::optional<uint32_t> leader;
    std::optional<bool> demo;
    bool none = false;  // a leader the engine does not know: nothing is in scope
  };
  WarningScope ScopeOf(const WarningQuery& q) const;                    // REQUIRES: lock held
  bool InScope(const WarningScope& s, const ProjectMeta& m) const;      // REQUIRES: lock held
  size_t SlotOf(const Grouping& g, const ProjectMeta& m, size_t idx) const;
  std::string SlotKey(const Grouping& g, size_t slot, std::string* label) const;
  ProjectFacts FactsOf(size_t idx, const YearData* year, int month) const;  // REQUIRES: lock held
  void SetNodesLocked(size_t idx, const std::vector<const ProjectNode*>& nodes);

  size_t IndexOf(int64_t project_id);  // creates a slot when unknown. REQUIRES: lock held
  YearData& Year(int year);           // REQUIRES: lock held
  void FillMeta(ProjectMeta& m, const Project& p);
  void Bump() { generation_.fetch_add(1, std::memory_order_acq_rel); }
  bool Matches(const ProjectMeta& m, const StatsQuery& q, const std::vector<uint8_t>& region_mask) const;
  std::vector<uint8_t> RegionMask(const StatsQuery& q) const;
  int DefaultRegionDepth() const;

  mutable std::shared_mutex mu_;
  std::vector<ProjectMeta> projects_;
  std::unordered_map<int64_t, size_t> index_;
  std::unordered_map<int, YearData> years_;
  Dictionary industries_, units_, leaders_, statuses_, owners_;
  Dictionary texts_;                             // node names, units and persons (warnings)
  std::vector<std::vector<NodeFacts>> nodes_;    // by project index, in node order
  std::vector<int> start_node_;                  // by project index: its 开工 node, -1 none
  std::vector<Region> regions_;
  std::unordered_map<int64_t, int> region_index_;
  std::vector<int> region_depth_;
  std::vector<int> region_parent_;  // index, -1 for roots
  std::optional<int> home_region_;  // index
  std::atomic<uint64_t> generation_{1};
};

}  // namespace kp::stats
