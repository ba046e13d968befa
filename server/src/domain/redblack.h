#pragma once
// The red/black list rule (红黑榜) kept in the settings, and the lists it gives for a statistics question.
// The figures come from the stats engine (Register::Stats); the rule from the setting `redblack_rule`
// (default: Mianyang's, PRACTICES.md §5: target = 时序进度, top 5 red, bottom 4 black).
// Publishing (issue 13 §5) freezes a list like a report: 第N期 per kind (monthly | quarterly) and year, the
// entries with their figures, the rule and the target kept in `store/published_redblack_store`, served from
// that copy ever after; what changed since is the stored list against a fresh computation.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/register.h"
#include "stats/redblack.h"
#include "store/published_redblack_store.h"

namespace kp {

// A list to publish: a month (kind monthly) or a quarter (kind quarterly, as of its last month), the grouping,
// the levels (empty: every level) and the rule's N overridden for this list.
struct RedBlackQuestion {
  std::string kind = "monthly";
  int year = 0;
  int month = 0;    // quarterly: the quarter's last month
  int quarter = 0;  // quarterly: 1-4
  stats::GroupBy by = stats::GroupBy::kRegion;
  std::vector<Level> levels;  // in their fixed order; every level is kept as empty
  std::optional<int> red, black;
};

// Reads year (required), month 1-12 or quarter 1-4 (exactly one), by (region | unit | project; default region),
// levels, red and black (0-1000) from text parameters; errors name the parameter.
Result<RedBlackQuestion> ParseRedBlackQuestion(const std::map<std::string, std::string>& params);
// "2024-03" or "2024-Q1".
std::string RedBlackPeriodKey(const RedBlackQuestion& q);

// What changed since a publication: each entry whose list or rank differs in today's computation of the same
// question under today's rule, and whether the rule itself changed.
struct RedBlackChangesSince {
  store::PublishedRedBlack record;
  std::vector<stats::RedBlackChange> changes;
  bool rule_changed = false;
  std::string published_target, live_target;  // the target rates as displayed ("25.00")
};

class RedBlackLists {
 public:
  explicit RedBlackLists(Register& reg) : reg_(reg), published_(reg.store().db()) {}
  Result<stats::RedBlackRule> Rule();
  // Saves a rule (checked by stats::ParseRedBlackRule when it came from JSON) with its audit entry.
  Status SaveRule(const stats::RedBlackRule& rule, const Actor& by);
  // The lists of `q` (by region, unit or project); `red`/`black` override the rule's N for this answer.
  Result<stats::RedBlackList> Lists(const stats::StatsQuery& q, std::optional<int> red, std::optional<int> black);

  // Publishing: computes q's list for the whole county under the rule in force, numbers it 第N期 (N counts
  // the kind's red/black lists in the period's year) and freezes it. One publication per kind, period,
  // grouping and levels: a second is kConflict naming the first's number.
  Result<store::PublishedRedBlack> Publish(const RedBlackQuestion& q, const Actor& by);
  Result<std::vector<store::PublishedRedBlack>> Published() { return published_.List(); }
  Result<int> NextIssue(const std::string& kind, int year) { return published_.NextIssue(kind, year); }
  // The publication with its frozen list (JSON, as stored).
  Result<store::PublishedRedBlack> PublishedRecord(int64_t id) { return published_.Get(id); }
  Result<RedBlackChangesSince> ChangesSince(int64_t id);

 private:
  Result<stats::RedBlackRule> RuleWith(std::optional<int> red, std::optional<int> black);
  // The county-wide list of q under `rule`, as the engine answers today.
  Result<stats::RedBlackList> Compute(const RedBlackQuestion& q, const stats::RedBlackRule& rule);

  Register& reg_;
  store::PublishedRedBlackStore published_;
};

}  // namespace kp
