#pragma once
// Red/black lists (红黑榜), PRACTICES.md §5: over the groups of one statistics answer (townships, units or
// projects), red = met the target AND ranked in the top N of its rule group; black = missed the target AND
// ranked in the bottom N; an exemption (不可抗力 etc., with a reason) keeps an entry off the black list and
// lists it as exempt. The default rule is Mianyang's: target = 时序进度, top 5 red, bottom 4 black.
// Pure: the figures come from the stats engine's answer; nothing here reads the database.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/status.h"
#include "stats/stats_engine.h"

namespace kp::stats {

struct RedBlackExemption {
  std::string by;                 // region | unit | project (the grouping it applies to)
  std::string key;                // the group's key (region name, unit, project code)
  int year = 0;
  std::optional<int> month;       // nullopt: every month of the year
  std::string reason;
};

// A rule group (Mianyang's "counties and parks" / "departments and state firms"): entries are ranked
// within their group, and each group has its own N. Keys in no group form the group named "".
struct RedBlackGroup {
  std::string name;
  std::vector<std::string> keys;
  int red_n = 5;
  int black_n = 4;
};

struct RedBlackRule {
  std::optional<Ratio> target_pct;  // nullopt: the 时序进度 of the month
  int red_n = 5;                    // for entries in no group
  int black_n = 4;
  std::vector<RedBlackGroup> groups;
  std::vector<RedBlackExemption> exemptions;
};

struct RedBlackEntry {
  std::string group;     // the rule group's name ("" when the rule has none)
  int rank = 0;          // competition rank by completion rate within the rule group (1 = best)
  int from_bottom = 0;   // the same from the other end (1 = worst)
  GroupFigures figures;  // the engine's figures of the entry (key, label, plan, completed, rate, points)
  std::string reason;    // exempt entries: why
};

struct RedBlackList {
  int year = 0;
  int month = 0;
  GroupBy by = GroupBy::kRegion;
  Ratio schedule_pct;
  Ratio target_pct;
  std::vector<RedBlackEntry> red, black, exempt;
  std::vector<RedBlackEntry> unlisted;  // ranked entries on no list, best first (kept with a published list)
  int64_t ranked = 0;  // entries with a plan (an entry without one is neither red nor black)
};

// The lists of the answer `r` (grouped by region, unit or project) under `rule`.
RedBlackList BuildRedBlack(const StatsResult& r, const RedBlackRule& rule);

// The rule as stored in the settings (JSON), and back; parsing checks every field and names it.
Result<RedBlackRule> ParseRedBlackRule(const boost::json::object& o);
boost::json::object RedBlackRuleToJson(const RedBlackRule& rule);

// The published shape (CLI and API give the same bytes):
// {"year","month","by","schedule_pct","target_pct","red":[{"key","label"?,"group","rank","completion_rate_pct",
//  "ahead_points","plan_wan","completed_wan","display":{…}}],"black":[…],"exempt":[…+"reason"],"ranked":n}
// with_unlisted adds "unlisted":[…] (the ranked entries on no list): the copy a publication freezes, so that
// what changed since can name every entry's rank then and now.
boost::json::object RedBlackToJson(const RedBlackList& l, bool with_unlisted = false);
std::string RedBlackToTable(const RedBlackList& l);

// One entry of a published list whose place differs in a fresh computation: the list it was on and is on
// ("red" | "black" | "exempt" | "" for none) and its rank in its rule group then and now (0: not ranked —
// without a plan, or gone from the grouping).
struct RedBlackChange {
  std::string key, label, group;
  std::string was, now;
  int was_rank = 0, now_rank = 0;
  std::string was_rate, now_rate;  // the completion rate as displayed ("—" when not ranked)
};
// Compares two lists in the published shape with "unlisted" (RedBlackToJson(l, true)): every entry whose list
// or rank differs; those that changed list first (in the published list's order: red, black, exempt, unlisted,
// then entries new to the grouping), then those whose rank alone moved.
std::vector<RedBlackChange> RedBlackChanges(const boost::json::object& published, const boost::json::object& live);

}  // namespace kp::stats
