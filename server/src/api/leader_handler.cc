// The leaders' page (领导视图): GET /api/leader/overview — the county's headline (the figures of
// GET /api/stats for the same question) and a leader's chaired projects (domain/leader_view.h).
// A leader sees its own; the bureau any leader's (?leader=NAME).
#include <algorithm>

#include "api/json_codec.h"
#include "api/routes.h"
#include "common/text.h"
#include "domain/leader_view.h"
#include "stats/stats_json.h"
#include "stats/warnings_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;

namespace {

json::value OptText(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object ProjectToJson(const LeaderProject& p) {
  json::array warnings, overdue, photos, instructions;
  for (const stats::Warning& w : p.warnings) warnings.emplace_back(stats::WarningToJson(w));
  for (const stats::Warning& w : p.overdue_nodes) {
    overdue.emplace_back(json::object{{"name", w.node},
                                      {"planned", w.node_planned ? json::value(w.node_planned->ToString()) : json::value(nullptr)},
                                      {"days", w.days_overdue},
                                      {"colour", stats::ColourName(w.colour)}});
  }
  for (const Photo& ph : p.photos) {
    const std::string base = "/api/photos/" + std::to_string(ph.id);
    photos.emplace_back(json::object{{"id", ph.id},
                                     {"caption", ph.caption},
                                     {"taken_at", OptText(ph.taken_at)},
                                     {"thumb", base + "/thumb"},
                                     {"url", base + "/original"}});
  }
  for (const Instruction& i : p.open_instructions) {
    instructions.emplace_back(json::object{{"id", i.id},
                                           {"text", i.text},
                                           {"given_by", i.given_by},
                                           {"given_by_name", i.given_by_name},
                                           {"given_at", i.given_at},
                                           {"version", i.version}});
  }
  const stats::ProblemFigures& pr = p.problems;
  const stats::FinancingFigures& f = p.financing.figures;
  json::value financing = nullptr;
  if (p.financing.demands > 0) {
    financing = json::object{
        {"demands", p.financing.demands},
        {"stage", p.financing.stage ? json::value(FinancingStageName(*p.financing.stage)) : json::value(nullptr)},
        {"stage_label", p.financing.stage ? json::value(FinancingStageLabel(*p.financing.stage)) : json::value(nullptr)},
        {"demand_wan", f.demand.Wan()},
        {"credit_wan", f.credit.Wan()},
        {"disbursed_wan", f.disbursed.Wan()},
        {"demand_yuan", f.demand.yuan},
        {"credit_yuan", f.credit.yuan},
        {"disbursed_yuan", f.disbursed.yuan},
        {"display", json::object{{"demand_wan", FormatWanRounded(f.demand, 2)},
                                 {"credit_wan", FormatWanRounded(f.credit, 2)},
                                 {"disbursed_wan", FormatWanRounded(f.disbursed, 2)}}}};
  }
  json::value next = nullptr;
  if (p.next_node) next = json::object{{"name", p.next_node->name}, {"planned", p.next_node->planned.ToString()}};
  return json::object{
      {"id", p.id},
      {"code", p.brief.code},
      {"name", p.brief.name},
      {"level", LevelName(p.brief.level)},
      {"unit", p.brief.unit},
      {"owner", p.brief.owner},
      {"leader", p.brief.leader},
      {"colour", p.colour ? json::value(stats::ColourName(*p.colour)) : json::value(nullptr)},
      {"figures", p.figures ? json::value(stats::GroupFiguresToJson(*p.figures)) : json::value(nullptr)},
      {"warnings", std::move(warnings)},
      {"overdue_nodes", std::move(overdue)},
      {"next_node", std::move(next)},
      {"problems", json::object{{"open", pr.open}, {"overdue", pr.overdue}, {"escalated", pr.escalated}, {"answered", pr.answered}}},
      {"financing", std::move(financing)},
      {"photos", std::move(photos)},
      {"open_instructions", std::move(instructions)}};
}

}  // namespace

void AddLeaderRoutes(http::Router& router, Register& reg, Milestones& milestones, Problems& problems, Financing& financing,
                     Photos& photos) {
  auto view = std::make_shared<LeaderView>(reg.store(), reg, milestones, problems, financing, photos);
  // ?year&month[&day][&levels] as GET /api/stats (default: the headline month); ?leader=NAME for the bureau.
  router.Add("GET", "/api/leader/overview", Access::Roles({Role::kAdmin, Role::kLeader}), [&reg, view](const Request& req) {
    auto sq = StatsQueryOf(req, reg);
    if (!sq.ok()) return http::ErrorResponse(sq.status());
    sq->by = stats::GroupBy::kNone;
    LeaderQuestion q;
    q.headline = *sq;
    q.today = TodayBeijing();
    const std::vector<std::string> own = LeaderNamesOf(*req.user);
    const std::string asked(Trim(req.Query("leader").value_or("")));
    if (req.user->role == Role::kLeader) {
      if (!asked.empty() && std::find(own.begin(), own.end(), asked) == own.end()) {
        return http::ErrorResponse(Status(ErrorCode::kPermissionDenied, "领导只能查看自己包抓的项目 (a leader sees only its own projects)"));
      }
      q.names = own;
    } else if (!asked.empty()) {
      q.names = {asked};
    }
    auto o = view->Overview(q);
    if (!o.ok()) return http::ErrorResponse(o.status());
    json::array projects, names;
    for (const LeaderProject& p : o->projects) projects.emplace_back(ProjectToJson(p));
    for (const std::string& n : o->names) names.emplace_back(n);
    json::object out{{"year", o->headline.year},
                     {"month", o->headline.month},
                     {"as_of", o->as_of.ToString()},
                     {"leader", o->names.empty() ? json::value(nullptr) : json::value(o->names.front())},
                     {"names", std::move(names)},
                     {"headline", stats::StatsResultToJson(o->headline)},
                     {"colours", json::object{{"red", o->colours[2]}, {"yellow", o->colours[1]}, {"green", o->colours[0]}}},
                     {"projects", std::move(projects)}};
    // The bureau picks a leader: every 包抓领导 of the register.
    if (req.user->role == Role::kAdmin) {
      stats::StatsQuery by = *sq;
      by.levels.clear();
      by.by = stats::GroupBy::kLeader;
      json::array leaders;
      for (const stats::GroupFigures& g : reg.Stats(by).groups) {
        if (!g.key.empty()) leaders.emplace_back(g.key);
      }
      out["leaders"] = std::move(leaders);
    }
    return Json(out);
  });
}

}  // namespace kp::api
