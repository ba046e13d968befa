#pragma once
// The financing funnel (融资对接) as of a date: demands (projects, amount), pushed, credit granted
// (projects, amount), signed, disbursed (projects, amount) — per group and in total, exactly.
// A demand counts in its project's level and region; by bank it counts under each bank it was
// pushed to by then (未推送 when none), with that bank's credit, contract and loans only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "domain/financing_model.h"
#include "domain/model.h"
#include "stats/warnings.h"

namespace kp::stats {

struct PushFacts {
  uint32_t bank = 0;  // into FinancingSet::banks
  int32_t pushed = kNoDay;
  int32_t answered = kNoDay;
  uint8_t answer = 0;  // 0 none, 1 interested/documents (对接中), 2 approving (审批中), 3 ineligible
  int32_t credit_on = kNoDay, contract_on = kNoDay;
  int64_t credit = 0, contract = 0;
  std::vector<std::pair<int32_t, int64_t>> loans;  // (day, yuan)
};

struct FinancingFacts {
  int64_t project_id = 0;
  int32_t registered = kNoDay;
  uint32_t kind = 0;  // into FinancingSet::kinds
  FinancingStage stage = FinancingStage::kRegistered;  // now
  int64_t amount = 0;
  std::vector<PushFacts> pushes;
};

struct FinancingSet {
  std::vector<FinancingFacts> items;  // by project id (a project's demands together)
  std::vector<std::string> kinds, banks;
  // The engine's slot of each item's project (StatsEngine::ResolveProjects), used while the engine's
  // generation is still `resolved_generation` (else each project is looked up by id).
  std::vector<uint32_t> project_slots;
  uint64_t resolved_generation = 0;
};

// The stage of a demand as of `day` from its dated facts (the bureau's 登记/审核/未通过 as now).
FinancingStage StageAsOf(const FinancingFacts& f, int32_t day);

enum class FinancingGroupBy { kNone, kBank, kKind, kStage, kLevel, kRegion };
const char* FinancingGroupByName(FinancingGroupBy g);
std::optional<FinancingGroupBy> ParseFinancingGroupBy(std::string_view s);

struct FinancingQuery {
  int year = 0;
  int month = 12;
  Date as_of;  // the month's last day
  std::vector<Level> levels;
  FinancingGroupBy by = FinancingGroupBy::kNone;
  std::optional<int64_t> region_id;
  std::optional<int> region_depth;
  std::optional<std::string> bank;   // a bank's scope: what was pushed to it
  std::optional<std::string> unit;   // a department's scope
  std::optional<std::string> owner;  // an owner's scope
};

struct FinancingFigures {
  std::string key;
  int64_t projects = 0;
  Money demand;
  int64_t pushed_projects = 0;
  int64_t credit_projects = 0;
  Money credit;
  int64_t signed_projects = 0;
  Money signed_amount;
  int64_t disbursed_projects = 0;
  Money disbursed;
};

struct FinancingStats {
  int year = 0, month = 0;
  Date as_of;
  std::vector<Level> levels;
  FinancingGroupBy by = FinancingGroupBy::kNone;
  FinancingFigures total;
  std::vector<FinancingFigures> groups;
};

// One project's financing as of a date: its funnel figures (the funnel's own counting) and the
// furthest stage any of its demands has reached (nullopt: no demand registered by then).
struct ProjectFinancing {
  int64_t demands = 0;
  FinancingFigures figures;
  std::optional<FinancingStage> stage;
};
// In the order of `ids`; one pass over the set.
std::vector<ProjectFinancing> FinancingOfProjects(const FinancingSet& set, const std::vector<int64_t>& ids, const Date& as_of);

}  // namespace kp::stats
