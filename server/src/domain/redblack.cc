#include "domain/redblack.h"

#include <boost/json.hpp>

namespace kp {
namespace {
constexpr const char* kRuleKey = "redblack_rule";
}  // namespace

Result<stats::RedBlackRule> RedBlackLists::Rule() {
  auto v = reg_.store().GetSetting(kRuleKey);
  if (!v.ok()) return v.status();
  if (!*v || (*v)->empty()) return stats::RedBlackRule{};
  boost::system::error_code ec;
  auto j = boost::json::parse(**v, ec);
  if (ec || !j.is_object()) return Internal("红黑榜规则设置已损坏 (the red/black rule setting is corrupt)");
  return stats::ParseRedBlackRule(j.as_object());
}

Status RedBlackLists::SaveRule(const stats::RedBlackRule& rule, const Actor& by) {
  auto before = Rule();
  if (!before.ok()) return before.status();
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "redblack_rule";
  e.before_json = boost::json::serialize(stats::RedBlackRuleToJson(*before));
  e.after_json = boost::json::serialize(stats::RedBlackRuleToJson(rule));
  return reg_.store().SetSettings({{kRuleKey, *e.after_json}}, e);
}

Result<stats::RedBlackList> RedBlackLists::Lists(const stats::StatsQuery& q, std::optional<int> red,
                                                  std::optional<int> black) {
  if (q.by != stats::GroupBy::kRegion && q.by != stats::GroupBy::kUnit && q.by != stats::GroupBy::kProject) {
    return InvalidArgument("by 应为 region、unit 或 project (red/black lists rank townships, units or projects)", "by");
  }
  auto rule = Rule();
  if (!rule.ok()) return rule.status();
  if (red) {
    rule->red_n = *red;
    for (auto& g : rule->groups) g.red_n = *red;
  }
  if (black) {
    rule->black_n = *black;
    for (auto& g : rule->groups) g.black_n = *black;
  }
  return stats::BuildRedBlack(reg_.Stats(q), *rule);
}

}  // namespace kp
