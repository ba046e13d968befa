#pragma once
// The red/black list rule (红黑榜) kept in the settings, and the lists it gives for a statistics question.
// The figures come from the stats engine (Register::Stats); the rule from the setting `redblack_rule`
// (default: Mianyang's, PRACTICES.md §5: target = 时序进度, top 5 red, bottom 4 black).
#include "domain/register.h"
#include "stats/redblack.h"

namespace kp {

class RedBlackLists {
 public:
  explicit RedBlackLists(Register& reg) : reg_(reg) {}
  Result<stats::RedBlackRule> Rule();
  // Saves a rule (checked by stats::ParseRedBlackRule when it came from JSON) with its audit entry.
  Status SaveRule(const stats::RedBlackRule& rule, const Actor& by);
  // The lists of `q` (by region, unit or project); `red`/`black` override the rule's N for this answer.
  Result<stats::RedBlackList> Lists(const stats::StatsQuery& q, std::optional<int> red, std::optional<int> black);

 private:
  Register& reg_;
};

}  // namespace kp
