#include "common/json_text.h"

#include <charconv>

#include "api/json_codec.h"
#include "api/response_cache.h"
#include "api/routes.h"
#include "domain/redblack.h"
#include "domain/reports.h"
#include "stats/redblack.h"
#include "stats/stats_json.h"
#include "stats/stats_query.h"

namespace kp::api {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::object PublishedRedBlackJson(const store::PublishedRedBlack& p) {
  json::array levels;
  for (size_t start = 0; start < p.levels.size();) {
    size_t comma = p.levels.find(',', start);
    if (comma == std::string::npos) comma = p.levels.size();
    levels.emplace_back(p.levels.substr(start, comma - start));
    start = comma + 1;
  }
  return json::object{{"id", p.id},
                      {"kind", p.kind},
                      {"period", p.period},
                      {"by", p.group_by},
                      {"levels", std::move(levels)},
                      {"year", p.year},
                      {"issue", p.issue},
                      {"issue_label", IssueLabel(p.issue)},
                      {"published_by", p.published_by},
                      {"published_at", p.published_at}};
}

// The publication's body: {"year","month"|"quarter","by"?,"levels"?:"a,b"|[…],"red"?,"black"?} as text parameters.
}  // namespace

Result<stats::StatsQuery> StatsQueryOf(const Request& req, Register& reg) {
  auto settings = reg.GetSettings();
  if (!settings.ok()) return settings.status();
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : req.query) params.emplace(k, v);
  auto q = stats::ParseStatsQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg.stats_engine());
  // A department's figures are its unit's projects; an owner's, its own.
  if (q.ok() && req.user && req.user->role == Role::kDepartment) q->unit = req.user->unit;
  if (q.ok() && req.user && req.user->role == Role::kOwner) q->owner = req.user->unit;
  return q;
}

void AddStatsRoutes(http::Router& router, Register& reg) {
  auto cache = std::make_shared<ResponseCache>();
  const http::Access bureau =
      http::Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/stats", bureau, [&reg, cache](const Request& req) {
    const uint64_t gen = reg.stats_engine().generation();
    // The answer depends on the query, the day (the default month waits for deadlines) and the caller's scope.
    std::string key = req.target + "\n" + TodayBeijing().ToString();
    if (req.user && (req.user->role == Role::kDepartment || req.user->role == Role::kOwner)) {
      key += std::string("\n") + RoleName(req.user->role) + "\n" + req.user->unit;
    }
    if (auto hit = cache->Get(key, gen)) return http::JsonResponse(*hit);
    auto q = StatsQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    std::string body = ToJsonText(stats::StatsResultToJson(reg.Stats(*q)));
    cache->Put(key, gen, body);
    return http::JsonResponse(std::move(body));
  });
  // Cumulative completion per month against the plan: the dashboard's line chart.
  router.Add("GET", "/api/stats/line", bureau, [&reg](const Request& req) {
    auto q = StatsQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    auto line = reg.stats_engine().Line(*q);
    json::array months;
    for (int m = 1; m <= 12; ++m) {
      stats::GroupFigures g;
      g.plan = line.plan;
      g.completed = line.cumulative[m - 1];
      Ratio sched = stats::SchedulePct(q->schedule, q->year, m);
      stats::FillRatios(g, sched);
      months.emplace_back(json::object{
          {"month", m},
          {"completed_wan", g.completed.Wan()},
          {"completion_rate_pct", g.completion_pct ? json::value(g.completion_pct->ToDouble()) : json::value(nullptr)},
          {"schedule_pct", sched.ToDouble()},
          {"display", json::object{{"completed_wan", FormatWanRounded(g.completed, 2)},
                                   {"completion_rate_pct", g.completion_pct ? g.completion_pct->Format(2) : "—"},
                                   {"schedule_pct", sched.Format(2)}}}});
    }
    return Json(json::object{{"year", q->year}, {"plan_wan", line.plan.Wan()}, {"months", std::move(months)}});
  });
  // 红黑榜: the lists of a statistics question grouped by region, unit or project, under the rule in the settings.
  auto lists = std::make_shared<RedBlackLists>(reg);
  router.Add("GET", "/api/redblack", bureau, [&reg, lists](const Request& req) {
    auto q = StatsQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    std::optional<int> n[2];
    const char* fields[2] = {"red", "black"};
    for (int i = 0; i < 2; ++i) {
      auto v = req.Query(fields[i]);
      if (!v) continue;
      int x = -1;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
      if (ec != std::errc() || end != v->data() + v->size() || x < 0 || x > 1000) {
        return http::ErrorResponse(InvalidArgument(std::string(fields[i]) + " 应为 0-1000 的整数 (bad count)", fields[i]));
      }
      n[i] = x;
    }
    auto l = lists->Lists(*q, n[0], n[1]);
    if (!l.ok()) return http::ErrorResponse(l.status());
    return http::JsonResponse(ToJsonText(stats::RedBlackToJson(*l)));
  });
  router.Add("GET", "/api/redblack-rule", bureau, [lists](const Request&) {
    auto r = lists->Rule();
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(stats::RedBlackRuleToJson(*r));
  });
  router.Add("PUT", "/api/redblack-rule", http::Access::Roles({Role::kAdmin}), [lists](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto rule = stats::ParseRedBlackRule(*body);
    if (!rule.ok()) return http::ErrorResponse(rule.status());
    if (Status s = lists->SaveRule(*rule, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(stats::RedBlackRuleToJson(*rule));
  });
  // Published lists (§5) are read and published like published reports: the bureau publishes; its departments,
  // leaders and auditors read the frozen county-wide copy.
  const http::Access readers = http::Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  // 201 with the publication (its 第N期); 409 naming the number when the same list is already published.
  router.Add("POST", "/api/redblack/publish", http::Access::Roles({Role::kAdmin}), [lists](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto params = QuestionParams(*body, {"year", "month", "quarter", "by", "levels", "red", "black"});
    if (!params.ok()) return http::ErrorResponse(params.status());
    auto q = ParseRedBlackQuestion(*params);
    if (!q.ok()) return http::ErrorResponse(q.status());
    auto p = lists->Publish(*q, ActorOf(req));
    if (!p.ok()) return http::ErrorResponse(p.status());
    return Json(PublishedRedBlackJson(*p), 201);
  });
  // Every publication, newest first; with ?kind=monthly|quarterly&year also the number the next one would get.
  router.Add("GET", "/api/redblack/published", readers, [lists](const Request& req) {
    auto list = lists->Published();
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const auto& p : *list) items.push_back(PublishedRedBlackJson(p));
    json::object out{{"items", std::move(items)}};
    const std::string kind = req.Query("kind").value_or("");
    const std::string year = req.Query("year").value_or("");
    if (!kind.empty() || !year.empty()) {
      if (kind != "monthly" && kind != "quarterly") {
        return http::ErrorResponse(InvalidArgument("kind 应为 monthly 或 quarterly (bad kind)", "kind"));
      }
      auto q = ParseRedBlackQuestion({{"year", year}, {"month", "12"}});
      if (!q.ok()) return http::ErrorResponse(q.status());
      auto next = lists->NextIssue(kind, q->year);
      if (!next.ok()) return http::ErrorResponse(next.status());
      out["next_issue"] = *next;
      out["next_issue_label"] = IssueLabel(*next);
    }
    return Json(out);
  });
  // The frozen list as stored (entries with their figures, the rule and the target), never live data.
  router.Add("GET", "/api/redblack/published/{id}", readers, [lists](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto p = lists->PublishedRecord(*id);
    if (!p.ok()) return http::ErrorResponse(p.status());
    return http::JsonResponse(p->list);
  });
  // What changed since: entries that joined or left a list, and rank changes, against today's computation.
  // The live side is county-wide: the bureau's, its leaders' and auditors' (a department's live figures are its unit's).
  const http::Access county = http::Access::Roles({Role::kAdmin, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/redblack/published/{id}/changes", county, [lists](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto c = lists->ChangesSince(*id);
    if (!c.ok()) return http::ErrorResponse(c.status());
    json::array items;
    auto rank = [](int r) { return r > 0 ? json::value(r) : json::value(nullptr); };
    for (const auto& x : c->changes) {
      json::object o{{"key", x.key},           {"group", x.group},       {"was", x.was},
                     {"now", x.now},           {"was_rank", rank(x.was_rank)}, {"now_rank", rank(x.now_rank)},
                     {"was_rate", x.was_rate}, {"now_rate", x.now_rate}};
      if (!x.label.empty()) o["label"] = x.label;
      items.push_back(std::move(o));
    }
    json::object out = PublishedRedBlackJson(c->record);
    out["changes"] = std::move(items);
    out["rule_changed"] = c->rule_changed;
    out["display"] = json::object{{"published_target_pct", c->published_target}, {"live_target_pct", c->live_target}};
    return Json(out);
  });
}

}  // namespace kp::api
