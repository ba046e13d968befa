#include "domain/redblack.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "common/dates.h"
#include "domain/audited_setting.h"
#include "domain/reports.h"
#include "stats/stats_query.h"

namespace kp {
namespace {
constexpr const char* kRuleKey = "redblack_rule";
constexpr int kMinYear = 1990, kMaxYear = 2100, kQuarters = 4, kMonthsPerQuarter = 3, kMaxN = 1000;

std::optional<std::string> Param(const std::map<std::string, std::string>& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<int> IntOf(const std::string& text, const char* name, int lo, int hi, const std::string& what) {
  int x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || x < lo || x > hi) {
    return InvalidArgument(std::string(name) + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " 的整数 (" + what + ")",
                           name);
  }
  return x;
}

std::string LevelsText(const std::vector<Level>& levels) {
  std::string out;
  for (Level l : levels) out += (out.empty() ? "" : ",") + std::string(LevelName(l));
  return out;
}

boost::json::object QuestionJson(const RedBlackQuestion& q) {
  boost::json::object o{{"kind", q.kind}, {"year", std::to_string(q.year)}, {"by", stats::GroupByName(q.by)},
                        {"levels", LevelsText(q.levels)}};
  if (q.kind == "quarterly") {
    o["quarter"] = std::to_string(q.quarter);
  } else {
    o["month"] = std::to_string(q.month);
  }
  if (q.red) o["red"] = std::to_string(*q.red);
  if (q.black) o["black"] = std::to_string(*q.black);
  return o;
}

}  // namespace

Result<RedBlackQuestion> ParseRedBlackQuestion(const std::map<std::string, std::string>& params) {
  RedBlackQuestion q;
  auto year = Param(params, "year");
  if (!year) return InvalidArgument("year 必填 (the year is required)", "year");
  auto y = IntOf(*year, "year", kMinYear, kMaxYear, "bad year");
  if (!y.ok()) return y.status();
  q.year = *y;
  auto month = Param(params, "month");
  auto quarter = Param(params, "quarter");
  if (month && quarter) return InvalidArgument("month 与 quarter 只能给一个 (month or quarter, not both)", "month");
  if (!month && !quarter) return InvalidArgument("须给出 month (1-12) 或 quarter (1-4) (a month or a quarter)", "month");
  if (quarter) {
    auto n = IntOf(*quarter, "quarter", 1, kQuarters, "bad quarter");
    if (!n.ok()) return n.status();
    q.kind = "quarterly";
    q.quarter = *n;
    q.month = *n * kMonthsPerQuarter;
  } else {
    auto n = IntOf(*month, "month", 1, 12, "bad month");
    if (!n.ok()) return n.status();
    q.month = *n;
  }
  if (auto by = Param(params, "by")) {
    auto g = stats::ParseGroupBy(*by);
    if (!g || (*g != stats::GroupBy::kRegion && *g != stats::GroupBy::kUnit && *g != stats::GroupBy::kProject)) {
      return InvalidArgument("by 应为 region、unit 或 project (red/black lists rank townships, units or projects)", "by");
    }
    q.by = *g;
  }
  if (auto levels = Param(params, "levels")) {
    auto ls = stats::ParseLevels(*levels);
    if (!ls.ok()) return ls.status();
    for (Level l : kAllLevels) {
      if (std::find(ls->begin(), ls->end(), l) != ls->end()) q.levels.push_back(l);
    }
    if (q.levels.size() == std::size(kAllLevels)) q.levels.clear();  // every level: the same list as none given
  }
  for (auto [name, into] : {std::pair{"red", &q.red}, std::pair{"black", &q.black}}) {
    auto v = Param(params, name);
    if (!v) continue;
    auto n = IntOf(*v, name, 0, kMaxN, "bad count");
    if (!n.ok()) return n.status();
    *into = *n;
  }
  return q;
}

std::string RedBlackPeriodKey(const RedBlackQuestion& q) {
  if (q.kind == "quarterly") return std::to_string(q.year) + "-Q" + std::to_string(q.quarter);
  return std::to_string(q.year) + (q.month < 10 ? "-0" : "-") + std::to_string(q.month);
}

namespace {

Result<stats::RedBlackRule> RuleOf(const std::optional<std::string>& v) {
  if (!v || v->empty()) return stats::RedBlackRule{};
  boost::system::error_code ec;
  auto j = boost::json::parse(*v, ec);
  if (ec || !j.is_object()) return Internal("红黑榜规则设置已损坏 (the red/black rule setting is corrupt)");
  return stats::ParseRedBlackRule(j.as_object());
}

}  // namespace

Result<stats::RedBlackRule> RedBlackLists::Rule() {
  auto v = reg_.store().GetSetting(kRuleKey);
  if (!v.ok()) return v.status();
  return RuleOf(*v);
}

Status RedBlackLists::SaveRule(const stats::RedBlackRule& rule, const Actor& by) {
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "redblack_rule";
  return SaveAuditedSetting(reg_.store(), kRuleKey, boost::json::serialize(stats::RedBlackRuleToJson(rule)), e,
                            [](const std::optional<std::string>& stored) -> Result<std::string> {
                              auto before = RuleOf(stored);
                              if (!before.ok()) return before.status();
                              return boost::json::serialize(stats::RedBlackRuleToJson(*before));
                            });
}

Result<stats::RedBlackRule> RedBlackLists::RuleWith(std::optional<int> red, std::optional<int> black) {
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
  return rule;
}

Result<stats::RedBlackList> RedBlackLists::Lists(const stats::StatsQuery& q, std::optional<int> red,
                                                  std::optional<int> black) {
  if (q.by != stats::GroupBy::kRegion && q.by != stats::GroupBy::kUnit && q.by != stats::GroupBy::kProject) {
    return InvalidArgument("by 应为 region、unit 或 project (red/black lists rank townships, units or projects)", "by");
  }
  auto rule = RuleWith(red, black);
  if (!rule.ok()) return rule.status();
  return stats::BuildRedBlack(reg_.Stats(q), *rule);
}

Result<stats::RedBlackList> RedBlackLists::Compute(const RedBlackQuestion& q, const stats::RedBlackRule& rule) {
  auto settings = reg_.GetSettings();
  if (!settings.ok()) return settings.status();
  std::map<std::string, std::string> params{{"year", std::to_string(q.year)},
                                            {"month", std::to_string(q.month)},
                                            {"by", stats::GroupByName(q.by)}};
  if (!q.levels.empty()) params["levels"] = LevelsText(q.levels);
  auto sq = stats::ParseStatsQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg_.stats_engine());
  if (!sq.ok()) return sq.status();
  return stats::BuildRedBlack(reg_.Stats(*sq), rule);
}

Result<store::PublishedRedBlack> RedBlackLists::Publish(const RedBlackQuestion& q, const Actor& by) {
  // A 月榜/季榜 is frozen once its period is over, never before (an early copy would take its 第N期): as a
  // report of the same period.
  ReportQuestion period;
  period.kind = q.kind;
  period.year = q.year;
  period.month = q.month;
  if (Status s = PeriodOver(period, TodayBeijing()); !s.ok()) return s;
  // What other servers and the CLI wrote is taken in first: the frozen figures are the database's now.
  if (auto f = reg_.FollowChanges(); !f.ok()) return f.status();
  auto rule = RuleWith(q.red, q.black);
  if (!rule.ok()) return rule.status();
  auto list = Compute(q, *rule);
  if (!list.ok()) return list.status();
  store::PublishedRedBlack p;
  p.kind = q.kind;
  p.period = RedBlackPeriodKey(q);
  p.group_by = stats::GroupByName(q.by);
  p.levels = LevelsText(q.levels);
  p.year = q.year;
  p.question = boost::json::serialize(QuestionJson(q));
  boost::json::object frozen = stats::RedBlackToJson(*list, true);
  frozen["kind"] = q.kind;
  frozen["period"] = p.period;
  frozen["quarter"] = q.kind == "quarterly" ? boost::json::value(q.quarter) : boost::json::value(nullptr);
  boost::json::array levels;
  for (Level l : q.levels) levels.emplace_back(LevelName(l));
  frozen["levels"] = std::move(levels);
  frozen["rule"] = stats::RedBlackRuleToJson(*rule);
  frozen["published_by"] = by.login;
  return published_.Publish(
      std::move(p),
      [&frozen](int issue) -> Result<std::string> {
        frozen["issue"] = issue;
        frozen["issue_label"] = IssueLabel(issue);
        return boost::json::serialize(frozen);
      },
      by);
}

Result<RedBlackChangesSince> RedBlackLists::ChangesSince(int64_t id) {
  RedBlackChangesSince out;
  auto p = published_.Get(id);
  if (!p.ok()) return p.status();
  out.record = *p;
  const std::string bad = "已发布红黑榜的数据损坏 (bad stored red/black list): " + std::to_string(id);
  boost::system::error_code ec;
  boost::json::value question = boost::json::parse(p->question, ec);
  if (ec || !question.is_object()) return Internal(bad);
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : question.as_object()) {
    if (v.is_string()) params[std::string(k)] = std::string(v.as_string());
  }
  auto q = ParseRedBlackQuestion(params);
  if (!q.ok()) return Internal(bad);
  boost::json::value frozen = boost::json::parse(p->list, ec);
  if (ec || !frozen.is_object()) return Internal(bad);
  auto rule = RuleWith(q->red, q->black);
  if (!rule.ok()) return rule.status();
  auto live = Compute(*q, *rule);
  if (!live.ok()) return live.status();
  out.changes = stats::RedBlackChanges(frozen.as_object(), stats::RedBlackToJson(*live, true));
  const boost::json::value* frozen_rule = frozen.as_object().if_contains("rule");
  out.rule_changed = !frozen_rule || *frozen_rule != boost::json::value(stats::RedBlackRuleToJson(*rule));
  if (const auto* d = frozen.as_object().if_contains("display"); d && d->is_object()) {
    if (const auto* t = d->as_object().if_contains("target_pct"); t && t->is_string()) {
      out.published_target = std::string(t->as_string());
    }
  }
  out.live_target = live->target_pct.Format(2);
  return out;
}

}  // namespace kp
