// 红黑榜 rules (PRACTICES.md §5, Mianyang): each case is a row of townships' completion rates, a rule, and
// the red, black and exempt lists the rule text gives them, read by hand.
#include "stats/redblack.h"

#include "domain/redblack.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace kp::stats {
namespace {

// A group with plan 100 and completion `pct` (in hundredths of a percent: 2500 = 25.00%); pct < 0: no plan.
GroupFigures G(const std::string& key, int64_t pct_hundredths) {
  GroupFigures g;
  g.key = key;
  if (pct_hundredths < 0) return g;
  g.plan.yuan = 1'000'000;
  g.completed.yuan = pct_hundredths * 100;  // 1,000,000 × pct/10000
  g.completion_pct = Ratio::Of(g.completed.yuan * 100, g.plan.yuan);
  g.ahead_points = *g.completion_pct - Ratio::Of(25, 1);
  return g;
}

StatsResult Answer(std::vector<GroupFigures> gs, int month = 3) {
  StatsResult r;
  r.year = 2024;
  r.month = month;
  r.by = GroupBy::kRegion;
  r.schedule_pct = Ratio::Of(month * 100, 12);
  r.groups = std::move(gs);
  return r;
}

std::vector<std::string> Keys(const std::vector<RedBlackEntry>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.figures.key);
  return out;
}

struct Case {
  const char* what;
  std::vector<GroupFigures> groups;
  std::string rule_json;  // "" = the default rule
  std::vector<std::string> red, black, exempt;
};

TEST(RedBlackTest, TheRuleTextRowByRow) {
  const std::vector<Case> cases = {
      {"ten townships: top 5 that met 25% red, bottom 4 that missed black",
       {G("a", 4000), G("b", 3500), G("c", 3000), G("d", 2800), G("e", 2600), G("f", 2550), G("g", 2400), G("h", 2000),
        G("i", 1500), G("j", 1000)},
       "",
       {"a", "b", "c", "d", "e"},
       {"j", "i", "h", "g"},
       {}},
      {"a tie at 5th: both red (competition rank 5)",
       {G("a", 4000), G("b", 3500), G("c", 3000), G("d", 2800), G("e", 2600), G("f", 2600), G("g", 1000)},
       "",
       {"a", "b", "c", "d", "e", "f"},
       {"g"},
       {}},
      {"a tie just past 5th: rank 6 is not red",
       {G("a", 4000), G("b", 3900), G("c", 3800), G("d", 3700), G("e", 3600), G("f", 3500), G("g", 3500)},
       "",
       {"a", "b", "c", "d", "e"},
       {},
       {}},
      {"exactly on the target is met: red if ranked, never black",
       {G("a", 2500), G("b", 2499)},
       R"({"red":0,"black":4})",
       {},
       {"b"},
       {}},
      {"met but in the bottom 4: not black",
       {G("a", 3000), G("b", 2900), G("c", 2800)},
       R"({"red":0})",
       {},
       {},
       {}},
      {"a group smaller than N: every one that missed is black",
       {G("a", 2000), G("b", 1000)},
       "",
       {},
       {"b", "a"},
       {}},
      {"a tie at the bottom: both share from-bottom 1",
       {G("a", 3000), G("b", 2000), G("c", 1000), G("d", 1000)},
       R"({"black":1})",
       {"a"},
       {"d", "c"},
       {}},
      {"no plan: neither red nor black, not ranked",
       {G("a", 3000), G("x", -1), G("b", 1000)},
       "",
       {"a"},
       {"b"},
       {}},
      {"a fixed target 30%: 28% is ahead of schedule but not red",
       {G("a", 3100), G("b", 2800), G("c", 2000)},
       R"({"target":"30"})",
       {"a"},
       {"c", "b"},
       {}},
      {"an exemption for the month keeps it off the black list, with its reason",
       {G("a", 3000), G("b", 2000), G("c", 1000)},
       R"({"exemptions":[{"by":"region","key":"c","year":2024,"month":3,"reason":"汛期"}]})",
       {"a"},
       {"b"},
       {"c"}},
      {"an exemption for another month or year does not apply; one for the whole year does",
       {G("a", 3000), G("b", 2000), G("c", 1000)},
       R"({"exemptions":[{"by":"region","key":"c","year":2024,"month":2,"reason":"x"},{"by":"region","key":"b","year":2023,"reason":"y"},{"by":"unit","key":"b","year":2024,"reason":"u"},{"by":"region","key":"b","year":2024,"reason":"z"}]})",
       {"a"},
       {"c"},
       {"b"}},
      {"rule groups rank within themselves with their own N; others use the rule's",
       {G("p1", 4000), G("p2", 3000), G("p3", 1000), G("t1", 3500), G("t2", 2000), G("t3", 1500), G("o", 2000)},
       R"({"red":1,"black":0,"groups":[{"name":"园区","keys":["p1","p2","p3"],"red":2,"black":1},{"name":"乡镇","keys":["t1","t2","t3"],"red":1,"black":1}]})",
       {"p1", "p2", "t1"},
       {"p3", "t3"},
       {}},
  };
  for (const Case& c : cases) {
    RedBlackRule rule;
    if (!c.rule_json.empty()) {
      auto parsed = ParseRedBlackRule(boost::json::parse(c.rule_json).as_object());
      ASSERT_TRUE(parsed.ok()) << c.what << ": " << parsed.status().message();
      rule = *parsed;
    }
    RedBlackList l = BuildRedBlack(Answer(c.groups), rule);
    EXPECT_EQ(Keys(l.red), c.red) << c.what;
    EXPECT_EQ(Keys(l.black), c.black) << c.what;
    EXPECT_EQ(Keys(l.exempt), c.exempt) << c.what;
  }
}

TEST(RedBlackTest, EntriesCarryTheirRankGroupAndReason) {
  auto rule = ParseRedBlackRule(boost::json::parse(
      R"({"groups":[{"name":"乡镇","keys":["a","b","c"]}],"exemptions":[{"by":"region","key":"c","year":2024,"reason":"不可抗力"}]})").as_object());
  ASSERT_TRUE(rule.ok());
  RedBlackList l = BuildRedBlack(Answer({G("a", 3000), G("b", 3000), G("c", 1000), G("d", 500)}), *rule);
  ASSERT_EQ(l.red.size(), 2u);
  EXPECT_EQ(l.red[0].rank, 1);
  EXPECT_EQ(l.red[1].rank, 1);
  EXPECT_EQ(l.red[0].group, "乡镇");
  ASSERT_EQ(l.exempt.size(), 1u);
  EXPECT_EQ(l.exempt[0].reason, "不可抗力");
  EXPECT_EQ(l.exempt[0].rank, 3);
  EXPECT_EQ(l.exempt[0].from_bottom, 1);
  ASSERT_EQ(l.black.size(), 1u);  // d: in no group, alone in the group ""
  EXPECT_EQ(l.black[0].group, "");
  EXPECT_EQ(l.ranked, 4);
  EXPECT_TRUE(l.target_pct == Ratio::Of(25, 1));
  boost::json::object j = RedBlackToJson(l);
  EXPECT_EQ(j.at("exempt").at(0).at("reason").as_string(), "不可抗力");
  EXPECT_EQ(j.at("red").at(0).at("display").at("completion_rate_pct").as_string(), "30.00");
  EXPECT_EQ(j.at("black").at(0).at("display").at("ahead_points").as_string(), "-20.0");
  EXPECT_FALSE(j.at("red").at(0).as_object().contains("reason"));
  // The table shows each list's title and entries.
  std::string t = RedBlackToTable(l);
  EXPECT_NE(t.find("红榜 (2)"), std::string::npos) << t;
  EXPECT_NE(t.find("不可抗力"), std::string::npos) << t;
}

// A published list keeps the ranked entries on no list ("unlisted") so that the change view can name every
// rank then and now; the published shape without them is unchanged (CLI = API bytes).
TEST(RedBlackTest, TheFrozenCopyKeepsUnlistedEntriesWithTheirRanks) {
  RedBlackRule rule;
  rule.red_n = 1;
  rule.black_n = 1;
  RedBlackList l = BuildRedBlack(Answer({G("a", 4000), G("b", 3000), G("c", 2000), G("d", 1000), G("e", -1)}), rule);
  EXPECT_EQ(Keys(l.red), std::vector<std::string>{"a"});
  EXPECT_EQ(Keys(l.black), std::vector<std::string>{"d"});
  EXPECT_EQ(Keys(l.unlisted), (std::vector<std::string>{"b", "c"}));  // e has no plan: not ranked at all
  EXPECT_EQ(l.unlisted[1].rank, 3);
  EXPECT_FALSE(RedBlackToJson(l).contains("unlisted"));
  boost::json::object j = RedBlackToJson(l, true);
  ASSERT_EQ(j.at("unlisted").as_array().size(), 2u);
  EXPECT_EQ(j.at("unlisted").at(0).at("rank").as_int64(), 2);
}

// What changed since: red 1 / black 1 of five townships, published; then b overtakes a, d climbs past c, and
// a sixth township f appears at the bottom. Each row below is read off the two rankings by hand.
TEST(RedBlackTest, ChangesNameEachEntryWhoseListOrRankMoved) {
  RedBlackRule rule;
  rule.red_n = 1;
  rule.black_n = 1;
  auto before = RedBlackToJson(BuildRedBlack(Answer({G("a", 4000), G("b", 3000), G("c", 2000), G("d", 1000), G("e", 500)}), rule), true);
  // Unchanged data: no change.
  EXPECT_TRUE(RedBlackChanges(before, before).empty());
  auto after = RedBlackToJson(
      BuildRedBlack(Answer({G("a", 3500), G("b", 4500), G("c", 1500), G("d", 1800), G("e", 500), G("f", 100)}), rule), true);
  // before: a red 1, b 2, c 3, d 4, e black 5.   after: b red 1, a 2, d 3, c 4, e 5, f black 6.
  std::vector<RedBlackChange> c = RedBlackChanges(before, after);
  std::vector<std::string> rows;
  for (const auto& x : c) {
    rows.push_back(x.key + " " + (x.was.empty() ? "-" : x.was) + std::to_string(x.was_rank) + "→" +
                   (x.now.empty() ? "-" : x.now) + std::to_string(x.now_rank));
  }
  // List moves first (in the published order: red, black, unlisted, then new), then ranks alone.
  EXPECT_EQ(rows, (std::vector<std::string>{"a red1→-2", "e black5→-5", "b -2→red1", "f -0→black6", "c -3→-4", "d -4→-3"}));
  EXPECT_EQ(c[0].was_rate, "40.00");
  EXPECT_EQ(c[0].now_rate, "35.00");
  EXPECT_EQ(c[3].was_rate, "—");  // f was not in the grouping
}

TEST(RedBlackTest, RulesAreCheckedFieldByFieldAndRoundTrip) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({"target":"abc"})", "target"},
      {R"({"target":"25.12345"})", "target"},
      {R"({"target":"1001"})", "target"},
      {R"({"target":25.5})", "target"},
      {R"({"red":-1})", "red"},
      {R"({"black":1001})", "black"},
      {R"({"red":"5"})", "red"},
      {R"({"groups":{}})", "groups"},
      {R"({"groups":[{"keys":["a"]}]})", "groups[0].name"},
      {R"({"groups":[{"name":"g","keys":[]}]})", "groups[0].keys"},
      {R"({"groups":[{"name":"g","keys":["a"]},{"name":"g","keys":["b"]}]})", "groups[1].name"},
      {R"({"groups":[{"name":"g","keys":["a"],"red":-2}]})", "groups[0].red"},
      {R"({"groups":[{"name":"g","keys":["a\u0001"]}]})", "groups[0].keys"},
      {R"({"exemptions":[{"by":"level","key":"a","year":2024,"reason":"r"}]})", "exemptions[0].by"},
      {R"({"exemptions":[{"by":"region","key":"","year":2024,"reason":"r"}]})", "exemptions[0].key"},
      {R"({"exemptions":[{"by":"region","key":"a","year":1800,"reason":"r"}]})", "exemptions[0].year"},
      {R"({"exemptions":[{"by":"region","key":"a","year":2024,"month":13,"reason":"r"}]})", "exemptions[0].month"},
      {R"({"exemptions":[{"by":"region","key":"a","year":2024,"reason":"  "}]})", "exemptions[0].reason"},
  };
  for (auto [body, field] : bad) {
    auto r = ParseRedBlackRule(boost::json::parse(body).as_object());
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().field(), field) << body << " " << r.status().message();
  }
  // A bad target is echoed when it is plain text, not when it hides a character.
  auto plain = ParseRedBlackRule(boost::json::parse(R"({"target":"abc"})").as_object());
  EXPECT_NE(plain.status().message().find(": abc"), std::string::npos) << plain.status().message();
  auto hidden = ParseRedBlackRule(boost::json::parse(R"({"target":"\u202e25"})").as_object());
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.status().message().find("\u202e"), std::string::npos) << hidden.status().message();
  const char* good = R"({"target":"27.5","red":3,"black":2,"groups":[{"name":"园区","keys":["a","b"],"red":1,"black":1}],"exemptions":[{"by":"unit","key":"县住建局","year":2024,"month":6,"reason":"r"}]})";
  auto r = ParseRedBlackRule(boost::json::parse(good).as_object());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(*r->target_pct == Ratio::Of(55, 2));
  boost::json::object back = RedBlackRuleToJson(*r);
  EXPECT_EQ(back.at("target").as_string(), "27.5");
  auto again = ParseRedBlackRule(back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(boost::json::serialize(RedBlackRuleToJson(*again)), boost::json::serialize(back));
  EXPECT_EQ(RedBlackRuleToJson(RedBlackRule{}).at("target").as_string(), "schedule");
}

}  // namespace
}  // namespace kp::stats

namespace kp {

// A red/black question takes months 1-12 or quarters 1-4 (a quarter as of its last month), one of them.
TEST(RedBlackTest, AQuestionTakesAMonthOrAQuarter) {
  for (int quarter = 1; quarter <= 4; ++quarter) {
    auto q = ParseRedBlackQuestion({{"year", "2024"}, {"quarter", std::to_string(quarter)}});
    ASSERT_TRUE(q.ok()) << quarter << " " << q.status().message();
    EXPECT_EQ(q->kind, "quarterly");
    EXPECT_EQ(q->month, quarter * 3);
    EXPECT_EQ(RedBlackPeriodKey(*q), "2024-Q" + std::to_string(quarter));
  }
  for (int month : {1, 12}) {
    auto q = ParseRedBlackQuestion({{"year", "2024"}, {"month", std::to_string(month)}});
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->kind, "monthly");
    EXPECT_EQ(RedBlackPeriodKey(*q), month < 10 ? "2024-01" : "2024-12");
  }
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"quarter", "0"}, {"quarter", "5"}, {"month", "0"}, {"month", "13"}}) {
    auto q = ParseRedBlackQuestion({{"year", "2024"}, {k, v}});
    ASSERT_FALSE(q.ok()) << k << v;
    EXPECT_EQ(q.status().field(), k);
  }
  EXPECT_EQ(ParseRedBlackQuestion({{"year", "2024"}, {"month", "3"}, {"quarter", "1"}}).status().field(), "month");
}

}  // namespace kp
