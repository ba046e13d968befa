#include "stats/redblack.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "common/text.h"
#include "stats/rule_json.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

constexpr int kMaxN = 1000;
constexpr size_t kMaxGroups = 20;
constexpr size_t kMaxKeys = 10'000;
constexpr size_t kMaxExemptions = 1'000;
constexpr size_t kMaxFieldBytes = 200;
constexpr size_t kMaxReasonBytes = 1'000;

bool ExemptionMatches(const RedBlackExemption& e, const RedBlackList& l, const std::string& key) {
  return e.key == key && e.by == GroupByName(l.by) && e.year == l.year && (!e.month || *e.month == l.month);
}

Result<int> ReadN(const boost::json::object& o, const char* field, int fallback) {
  const boost::json::value* v = o.if_contains(field);
  if (!v) return fallback;
  if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > kMaxN) {
    return InvalidArgument(std::string(field) + " 应为 0-1000 的整数 (an integer 0-1000)", field);
  }
  return static_cast<int>(v->as_int64());
}

boost::json::object EntryToJson(const RedBlackEntry& e, bool with_reason) {
  const GroupFigures& g = e.figures;
  boost::json::object o;
  o["key"] = g.key;
  if (!g.label.empty()) o["label"] = g.label;
  o["group"] = e.group;
  o["rank"] = e.rank;
  o["from_bottom"] = e.from_bottom;
  o["projects"] = g.projects;
  o["plan_wan"] = g.plan.Wan();
  o["completed_wan"] = g.completed.Wan();
  o["completion_rate_pct"] = g.completion_pct ? boost::json::value(g.completion_pct->ToDouble()) : nullptr;
  o["ahead_points"] = g.ahead_points ? boost::json::value(g.ahead_points->ToDouble()) : nullptr;
  if (with_reason) o["reason"] = e.reason;
  o["display"] = boost::json::object{
      {"plan_wan", FormatWanRounded(g.plan, 2)},
      {"completed_wan", FormatWanRounded(g.completed, 2)},
      {"completion_rate_pct", g.completion_pct ? g.completion_pct->Format(2) : "—"},
      {"ahead_points", g.ahead_points ? FormatPoints(*g.ahead_points) : "—"}};
  return o;
}

}  // namespace

RedBlackList BuildRedBlack(const StatsResult& r, const RedBlackRule& rule) {
  RedBlackList l;
  l.year = r.year;
  l.month = r.month;
  l.by = r.by;
  l.schedule_pct = r.schedule_pct;
  l.target_pct = rule.target_pct ? *rule.target_pct : r.schedule_pct;
  // Each entry with a plan goes to its rule group; keys in no group form the group "".
  std::map<std::string, const RedBlackGroup*> group_of;
  for (const RedBlackGroup& g : rule.groups) {
    for (const std::string& k : g.keys) group_of.emplace(k, &g);
  }
  std::map<std::string, std::vector<const GroupFigures*>> members;  // by rule group name
  for (const GroupFigures& g : r.groups) {
    if (!g.completion_pct) continue;
    auto it = group_of.find(g.key);
    members[it == group_of.end() ? std::string() : it->second->name].push_back(&g);
    ++l.ranked;
  }
  auto order_of = [&](const std::string& name) {
    for (size_t i = 0; i < rule.groups.size(); ++i) {
      if (rule.groups[i].name == name) return i;
    }
    return rule.groups.size();
  };
  std::vector<std::string> names;
  for (const auto& [name, _] : members) names.push_back(name);
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) { return order_of(a) < order_of(b); });
  for (const std::string& name : names) {
    std::vector<const GroupFigures*>& v = members[name];
    // Competition ranking by the exact completion rate; equal rates share a rank, from either end.
    std::stable_sort(v.begin(), v.end(), [](const GroupFigures* a, const GroupFigures* b) { return *b->completion_pct < *a->completion_pct; });
    size_t i = order_of(name);
    const int red_n = i < rule.groups.size() ? rule.groups[i].red_n : rule.red_n;
    const int black_n = i < rule.groups.size() ? rule.groups[i].black_n : rule.black_n;
    std::vector<RedBlackEntry> black;
    for (const GroupFigures* g : v) {
      RedBlackEntry e;
      e.group = name;
      e.figures = *g;
      e.rank = 1 + static_cast<int>(std::count_if(v.begin(), v.end(), [&](const GroupFigures* o) { return *g->completion_pct < *o->completion_pct; }));
      e.from_bottom = 1 + static_cast<int>(std::count_if(v.begin(), v.end(), [&](const GroupFigures* o) { return *o->completion_pct < *g->completion_pct; }));
      const bool met = !(*g->completion_pct < l.target_pct);
      if (met && e.rank <= red_n) {
        l.red.push_back(std::move(e));
      } else if (!met && e.from_bottom <= black_n) {
        auto ex = std::find_if(rule.exemptions.begin(), rule.exemptions.end(),
                               [&](const RedBlackExemption& x) { return ExemptionMatches(x, l, g->key); });
        if (ex != rule.exemptions.end()) {
          e.reason = ex->reason;
          l.exempt.push_back(std::move(e));
        } else {
          black.push_back(std::move(e));
        }
      } else {
        l.unlisted.push_back(std::move(e));
      }
    }
    // The black list reads worst first.
    std::reverse(black.begin(), black.end());
    for (RedBlackEntry& e : black) l.black.push_back(std::move(e));
  }
  return l;
}

Result<RedBlackRule> ParseRedBlackRule(const boost::json::object& o) {
  RedBlackRule rule;
  if (const boost::json::value* t = o.if_contains("target"); t && !t->is_null()) {
    std::string s;
    if (t->is_string()) s = std::string(t->as_string());
    else if (t->is_int64()) s = std::to_string(t->as_int64());
    else return InvalidArgument("target 应为 \"schedule\" 或百分数文本如 \"25\" (schedule or a rate)", "target");
    if (s != "schedule") {
      auto r = ParseDecimal(s);
      // What was typed is echoed only when it is plain text (an invisible character would hide in the message).
      if (!r) {
        return InvalidArgument("target 应为 0-1000 的百分数，最多 4 位小数 (bad target)" +
                                   (TextProblem(s, TextShape::kSingleLine).empty() && s.size() <= 40 ? ": " + s : std::string()),
                               "target");
      }
      rule.target_pct = *r;
    }
  }
  auto red = ReadN(o, "red", rule.red_n);
  if (!red.ok()) return red.status();
  rule.red_n = *red;
  auto black = ReadN(o, "black", rule.black_n);
  if (!black.ok()) return black.status();
  rule.black_n = *black;
  std::set<std::string> names, keys;
  size_t key_count = 0;
  if (const boost::json::value* gs = o.if_contains("groups"); gs && !gs->is_null()) {
    if (!gs->is_array() || gs->as_array().size() > kMaxGroups) return InvalidArgument("groups 应为最多 20 个分组 (at most 20 groups)", "groups");
    for (size_t i = 0; i < gs->as_array().size(); ++i) {
      const boost::json::value& gv = gs->as_array()[i];
      const std::string field = "groups[" + std::to_string(i) + "]";
      if (!gv.is_object()) return InvalidArgument(field + " 应为对象 (an object)", field);
      const auto& go = gv.as_object();
      RedBlackGroup g;
      auto name = ReadText(go, "name", field + ".name", kMaxFieldBytes, true);
      if (!name.ok()) return name.status();
      g.name = *name;
      if (!names.insert(g.name).second) return InvalidArgument("分组名「" + g.name + "」重复 (duplicate group)", field + ".name");
      for (auto [k, into] : {std::pair{"red", &g.red_n}, std::pair{"black", &g.black_n}}) {
        auto n = ReadN(go, k, k == std::string("red") ? rule.red_n : rule.black_n);
        if (!n.ok()) return Status(n.status().code(), n.status().message(), field + "." + k);
        *into = *n;
      }
      const boost::json::value* ks = go.if_contains("keys");
      if (!ks || !ks->is_array() || ks->as_array().empty()) return InvalidArgument(field + ".keys 应为非空列表 (a list)", field + ".keys");
      for (const auto& kv : ks->as_array()) {
        boost::json::object holder{{"k", kv}};
        auto key = ReadText(holder, "k", field + ".keys", kMaxFieldBytes, true);
        if (!key.ok()) return key.status();
        if (!keys.insert(*key).second) return InvalidArgument("「" + *key + "」在两个分组中 (a key in two groups)", field + ".keys");
        if (++key_count > kMaxKeys) return InvalidArgument("分组成员过多 (too many keys)", field + ".keys");
        g.keys.push_back(*key);
      }
      rule.groups.push_back(std::move(g));
    }
  }
  if (const boost::json::value* es = o.if_contains("exemptions"); es && !es->is_null()) {
    if (!es->is_array() || es->as_array().size() > kMaxExemptions) return InvalidArgument("exemptions 应为列表 (a list, at most 1000)", "exemptions");
    for (size_t i = 0; i < es->as_array().size(); ++i) {
      const boost::json::value& ev = es->as_array()[i];
      const std::string field = "exemptions[" + std::to_string(i) + "]";
      if (!ev.is_object()) return InvalidArgument(field + " 应为对象 (an object)", field);
      const auto& eo = ev.as_object();
      RedBlackExemption e;
      auto by = ReadText(eo, "by", field + ".by", 20, true);
      if (!by.ok()) return by.status();
      if (*by != "region" && *by != "unit" && *by != "project") return InvalidArgument(field + ".by 应为 region/unit/project", field + ".by");
      e.by = *by;
      auto key = ReadText(eo, "key", field + ".key", kMaxFieldBytes, true);
      if (!key.ok()) return key.status();
      e.key = *key;
      const boost::json::value* y = eo.if_contains("year");
      if (!y || !y->is_int64() || y->as_int64() < 1990 || y->as_int64() > 2100) return InvalidArgument(field + ".year 应为 1990-2100", field + ".year");
      e.year = static_cast<int>(y->as_int64());
      if (const boost::json::value* m = eo.if_contains("month"); m && !m->is_null()) {
        if (!m->is_int64() || m->as_int64() < 1 || m->as_int64() > 12) return InvalidArgument(field + ".month 应为 1-12", field + ".month");
        e.month = static_cast<int>(m->as_int64());
      }
      auto reason = ReadText(eo, "reason", field + ".reason", kMaxReasonBytes, true);
      if (!reason.ok()) {
        const std::string n = std::to_string(i + 1);
        return Status(reason.status().code(),
                      "第 " + n + " 条豁免须写明原因，且不超过 1000 字节、不含控制字符 (exemption " + n + " needs a reason)",
                      field + ".reason");
      }
      e.reason = *reason;
      rule.exemptions.push_back(std::move(e));
    }
  }
  return rule;
}

boost::json::object RedBlackRuleToJson(const RedBlackRule& rule) {
  boost::json::object o;
  o["target"] = "schedule";
  if (rule.target_pct) {
    // "25.0000" → "25": the text the bureau typed, without the padding.
    o["target"] = DecimalText(*rule.target_pct);
  }
  o["red"] = rule.red_n;
  o["black"] = rule.black_n;
  boost::json::array groups;
  for (const RedBlackGroup& g : rule.groups) {
    boost::json::array keys;
    for (const auto& k : g.keys) keys.emplace_back(k);
    groups.emplace_back(boost::json::object{{"name", g.name}, {"red", g.red_n}, {"black", g.black_n}, {"keys", std::move(keys)}});
  }
  o["groups"] = std::move(groups);
  boost::json::array ex;
  for (const RedBlackExemption& e : rule.exemptions) {
    ex.emplace_back(boost::json::object{{"by", e.by},
                                        {"key", e.key},
                                        {"year", e.year},
                                        {"month", e.month ? boost::json::value(*e.month) : boost::json::value(nullptr)},
                                        {"reason", e.reason}});
  }
  o["exemptions"] = std::move(ex);
  return o;
}

boost::json::object RedBlackToJson(const RedBlackList& l, bool with_unlisted) {
  boost::json::object o;
  o["year"] = l.year;
  o["month"] = l.month;
  o["by"] = GroupByName(l.by);
  o["schedule_pct"] = l.schedule_pct.ToDouble();
  o["target_pct"] = l.target_pct.ToDouble();
  o["ranked"] = l.ranked;
  for (auto [name, list] : {std::pair{"red", &l.red}, std::pair{"black", &l.black}, std::pair{"exempt", &l.exempt}}) {
    boost::json::array a;
    for (const RedBlackEntry& e : *list) a.emplace_back(EntryToJson(e, list == &l.exempt));
    o[name] = std::move(a);
  }
  if (with_unlisted) {
    boost::json::array a;
    for (const RedBlackEntry& e : l.unlisted) a.emplace_back(EntryToJson(e, false));
    o["unlisted"] = std::move(a);
  }
  o["display"] = boost::json::object{{"schedule_pct", l.schedule_pct.Format(2)}, {"target_pct", l.target_pct.Format(2)}};
  return o;
}

namespace {

struct Place {
  std::string list, label, group, rate;
  int rank = 0;
};

// key → its place, and the keys in the order the lists give them (red, black, exempt, unlisted).
std::pair<std::map<std::string, Place>, std::vector<std::string>> PlacesOf(const boost::json::object& o) {
  std::map<std::string, Place> places;
  std::vector<std::string> order;
  for (const char* list : {"red", "black", "exempt", "unlisted"}) {
    const boost::json::value* v = o.if_contains(list);
    if (!v || !v->is_array()) continue;
    for (const boost::json::value& ev : v->as_array()) {
      if (!ev.is_object()) continue;
      const boost::json::object& e = ev.as_object();
      const boost::json::value* key = e.if_contains("key");
      if (!key || !key->is_string()) continue;
      Place p;
      p.list = std::string(list) == "unlisted" ? "" : list;
      if (const auto* x = e.if_contains("label"); x && x->is_string()) p.label = std::string(x->as_string());
      if (const auto* x = e.if_contains("group"); x && x->is_string()) p.group = std::string(x->as_string());
      if (const auto* x = e.if_contains("rank"); x && x->is_int64()) p.rank = static_cast<int>(x->as_int64());
      p.rate = "—";
      if (const auto* d = e.if_contains("display"); d && d->is_object()) {
        if (const auto* x = d->as_object().if_contains("completion_rate_pct"); x && x->is_string()) p.rate = std::string(x->as_string());
      }
      const std::string k(key->as_string());
      if (places.emplace(k, std::move(p)).second) order.push_back(k);
    }
  }
  return {std::move(places), std::move(order)};
}

}  // namespace

std::vector<RedBlackChange> RedBlackChanges(const boost::json::object& published, const boost::json::object& live) {
  auto [was, was_order] = PlacesOf(published);
  auto [now, now_order] = PlacesOf(live);
  std::vector<std::string> keys = was_order;
  for (const std::string& k : now_order) {
    if (!was.count(k)) keys.push_back(k);
  }
  std::vector<RedBlackChange> moved, ranked;
  for (const std::string& k : keys) {
    const Place none{"", "", "", "—", 0};
    auto w = was.find(k);
    auto n = now.find(k);
    const Place& a = w == was.end() ? none : w->second;
    const Place& b = n == now.end() ? none : n->second;
    if (a.list == b.list && a.rank == b.rank) continue;
    RedBlackChange c;
    c.key = k;
    c.label = !b.label.empty() ? b.label : a.label;
    c.group = n != now.end() ? b.group : a.group;
    c.was = a.list;
    c.now = b.list;
    c.was_rank = a.rank;
    c.now_rank = b.rank;
    c.was_rate = a.rate;
    c.now_rate = b.rate;
    (a.list != b.list ? moved : ranked).push_back(std::move(c));
  }
  for (RedBlackChange& c : ranked) moved.push_back(std::move(c));
  return moved;
}

std::string RedBlackToTable(const RedBlackList& l) {
  std::ostringstream out;
  out << l.year << "年" << l.month << "月  红黑榜  目标 " << l.target_pct.Format(2) << "%  时序进度 " << l.schedule_pct.Format(2)
      << "%  参评 " << l.ranked << "\n";
  for (auto [title, list] : {std::pair{"红榜", &l.red}, std::pair{"黑榜", &l.black}, std::pair{"豁免", &l.exempt}}) {
    out << "\n" << title << " (" << list->size() << ")\n";
    out << Pad("分组", 14) << Pad("排名", 6) << Pad("名称", 32) << Pad("完成率%", 10) << Pad("超/低时序", 10) << "\n";
    for (const RedBlackEntry& e : *list) {
      const GroupFigures& g = e.figures;
      out << Pad(e.group.empty() ? "—" : e.group, 14) << Pad(std::to_string(e.rank), 6)
          << Pad(g.label.empty() ? g.key : g.key + " " + g.label, 32) << Pad(g.completion_pct->Format(2), 10)
          << Pad(FormatPoints(*g.ahead_points), 10) << (e.reason.empty() ? "" : "  " + e.reason) << "\n";
    }
  }
  return out.str();
}

}  // namespace kp::stats
