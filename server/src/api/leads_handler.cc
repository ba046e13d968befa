// Investment attraction endpoints (产业招商): leads, their stage moves and conversion into a project,
// carrier matches, the funnel and the export; the parks' carriers. Routes under /api/leads and /api/carriers.
#include <charconv>

#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/lead_export.h"
#include "domain/leads.h"
#include "stats/lead_stats_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr size_t kDefaultMatches = 10, kMaxMatches = 100;

json::object ToJson(const Lead& l, const User& viewer) {
  const LeadFollow f = FollowProject(l);
  json::array moves;
  for (const std::string& m : Leads::Moves(viewer, l)) moves.emplace_back(m);
  json::value project = nullptr;
  if (l.project_id) {
    project = json::object{{"id", *l.project_id},
                           {"code", l.project ? l.project->code : ""},
                           {"name", l.project ? l.project->name : ""},
                           {"status", l.project ? l.project->status : ""}};
  }
  return {{"id", l.id},
          {"name", l.name},
          {"investor", l.investor},
          {"industry", l.industry},
          {"investment_wan", l.investment.Wan()},
          {"investment_yuan", l.investment.yuan},
          {"land_mu", FormatTenthMu(l.land_tenth_mu)},
          {"floor_m2", l.floor_m2},
          {"output_wan", l.output.Wan()},
          {"tax_wan", l.tax.Wan()},
          {"contact", l.contact},
          {"source", l.source},
          {"staff", l.staff},
          {"note", l.note},
          {"stage", LeadStageName(f.stage)},
          {"stage_label", LeadStageLabel(f.stage)},
          {"lead_on", l.lead_on.ToString()},
          {"talks_on", OptDate(l.talks_on)},
          {"signed_on", OptDate(l.signed_on)},
          {"landed_on", OptDate(l.landed_on)},
          {"started_on", OptDate(f.started_on)},
          {"producing_on", OptDate(f.producing_on)},
          {"project", std::move(project)},
          {"moves", std::move(moves)},
          {"editable", Leads::MayEdit(viewer, l) && !l.project_id},
          {"version", l.version},
          {"updated_at", l.updated_at},
          {"updated_by", l.updated_by}};
}

json::object ToJson(const Carrier& c) {
  json::array industries;
  for (const std::string& i : c.industries) industries.emplace_back(i);
  return {{"id", c.id},
          {"park", c.park},
          {"kind", CarrierKindName(c.kind)},
          {"kind_label", CarrierKindLabel(c.kind)},
          {"parcel", c.parcel},
          {"land_mu", FormatTenthMu(c.land_tenth_mu)},
          {"floor_m2", c.floor_m2},
          {"price_yuan", c.price.yuan},
          {"industries", std::move(industries)},
          {"available", c.available},
          {"version", c.version},
          {"updated_at", c.updated_at}};
}

// "12.5" or 12.5 亩 → tenths; absent or null → 0.
Result<int64_t> ReadMu(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  if (!v || v->is_null()) return int64_t{0};
  std::string text;
  if (v->is_string()) {
    text = std::string(v->as_string());
  } else if (v->is_int64() || v->is_uint64()) {
    text = json::serialize(*v);
  } else if (v->is_double()) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v->as_double());
    if (ec != std::errc()) return InvalidArgument("面积无效 (bad area)", field);
    text.assign(buf, p);
  } else {
    return InvalidArgument("面积应为数字 (must be a number)", field);
  }
  auto t = ParseTenthMu(text);
  if (!t) return InvalidArgument("亩数应为非负数，最多一位小数 (亩, at most one decimal): " + text, field);
  return *t;
}

Result<Money> OptionalWan(const json::object& o, const char* field) {
  if (!o.contains(field) || o.at(field).is_null()) return Money{0};
  return ReadWan(o, field);
}

// The lead's own fields from a body (create and edit).
Status ReadLead(const json::object& o, Lead& l) {
  for (auto [field, into] : {std::pair{"name", &l.name}, std::pair{"investor", &l.investor}, std::pair{"industry", &l.industry},
                             std::pair{"contact", &l.contact}, std::pair{"source", &l.source}, std::pair{"staff", &l.staff},
                             std::pair{"note", &l.note}}) {
    auto v = ReadString(o, field);
    if (!v.ok()) return v.status();
    *into = *v;
  }
  auto inv = ReadWan(o, "investment_wan");
  if (!inv.ok()) return inv.status();
  l.investment = *inv;
  for (auto [field, into] : {std::pair{"output_wan", &l.output}, std::pair{"tax_wan", &l.tax}}) {
    auto m = OptionalWan(o, field);
    if (!m.ok()) return m.status();
    *into = *m;
  }
  auto land = ReadMu(o, "land_mu");
  if (!land.ok()) return land.status();
  l.land_tenth_mu = *land;
  if (o.contains("floor_m2") && !o.at("floor_m2").is_null()) {
    auto f = ReadInt(o, "floor_m2", 0, 1'000'000'000);
    if (!f.ok()) return f.status();
    l.floor_m2 = *f;
  }
  auto on = ReadDate(o, "lead_on");
  if (!on.ok()) return on.status();
  if (*on) l.lead_on = **on;
  return Status::Ok();
}

Status ReadCarrier(const json::object& o, Carrier& c) {
  for (auto [field, into] : {std::pair{"park", &c.park}, std::pair{"parcel", &c.parcel}}) {
    auto v = ReadString(o, field);
    if (!v.ok()) return v.status();
    *into = *v;
  }
  auto kind = ReadString(o, "kind");
  if (!kind.ok()) return kind.status();
  auto k = ParseCarrierKind(*kind);
  if (!k) return InvalidArgument("载体类型应为 土地 或 标准厂房 (kind: land or factory)", "kind");
  c.kind = *k;
  auto land = ReadMu(o, "land_mu");
  if (!land.ok()) return land.status();
  c.land_tenth_mu = *land;
  if (o.contains("floor_m2") && !o.at("floor_m2").is_null()) {
    auto f = ReadInt(o, "floor_m2", 0, 1'000'000'000);
    if (!f.ok()) return f.status();
    c.floor_m2 = *f;
  }
  if (o.contains("price_yuan") && !o.at("price_yuan").is_null()) {
    auto p = ReadInt(o, "price_yuan", 0, 1'000'000'000'000);
    if (!p.ok()) return p.status();
    c.price = Money{*p};
  }
  c.industries.clear();
  if (const json::value* v = o.if_contains("industries"); v && !v->is_null()) {
    if (!v->is_array()) return InvalidArgument("industries 应为数组 (must be an array)", "industries");
    for (const auto& i : v->as_array()) {
      json::object one{{"industries", i}};
      auto s = ReadString(one, "industries");
      if (!s.ok()) return s.status();
      if (!s->empty()) c.industries.push_back(*s);
    }
  }
  if (const json::value* v = o.if_contains("available"); v && !v->is_null()) {
    if (!v->is_bool()) return InvalidArgument("available 应为 true/false", "available");
    c.available = v->as_bool();
  }
  return Status::Ok();
}

Result<int> VersionOf(const json::object& o) {
  auto v = ReadInt(o, "version", 1, 1'000'000'000);
  if (!v.ok()) return v.status();
  return static_cast<int>(*v);
}

Result<LeadFilter> FilterOf(const Request& req) {
  LeadFilter f;
  if (std::string v(Trim(req.Query("stage").value_or(""))); !v.empty()) {
    auto s = ParseLeadStage(v);
    if (!s) return InvalidArgument("未知的阶段 (unknown stage): " + v, "stage");
    f.stage = *s;
  }
  for (auto [k, into] : {std::pair{"industry", &f.industry}, std::pair{"staff", &f.staff}, std::pair{"q", &f.text}}) {
    *into = std::string(Trim(req.Query(k).value_or("")));
  }
  return f;
}

}  // namespace

void AddLeadRoutes(http::Router& router, Register& reg) {
  auto leads = std::make_shared<Leads>(reg.store(), reg);
  const Access readers = Access::Roles({Role::kAdmin, Role::kInvestment, Role::kLeader});
  const Access writers = Access::Roles({Role::kAdmin, Role::kInvestment});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/leads/stats", readers, [&reg, leads](const Request& req) {
    auto settings = reg.GetSettings();
    if (!settings.ok()) return http::ErrorResponse(settings.status());
    std::map<std::string, std::string> params;
    for (const auto& [k, v] : req.query) params.emplace(k, v);
    auto q = stats::ParseLeadQuery(params, settings->current_year);
    if (!q.ok()) return http::ErrorResponse(q.status());
    auto r = leads->Stats(*q, *req.user);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(stats::LeadStatsToJson(*r));
  });
  router.Add("GET", "/api/leads/export", readers, [leads](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    auto list = leads->List(*f, *req.user);
    if (!list.ok()) return http::ErrorResponse(list.status());
    return Download("招商线索-" + TodayBeijing().ToString() + ".xlsx",
                    [&](const std::string& path) { return ExportLeadList(*list, TodayBeijing(), path); });
  });
  router.Add("GET", "/api/leads", readers, [leads](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    auto list = leads->List(*f, *req.user);
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const Lead& l : *list) items.emplace_back(ToJson(l, *req.user));
    return Json(json::object{{"total", list->size()},
                             {"items", std::move(items)},
                             {"can_create", req.user->role != Role::kLeader}});
  });
  router.Add("POST", "/api/leads", writers, [leads](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    Lead l;
    if (Status s = ReadLead(*body, l); !s.ok()) return http::ErrorResponse(s);
    auto out = leads->Create(l, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out, *req.user), 201);
  });
  router.Add("GET", "/api/leads/{id}", readers, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto l = leads->Get(*id, *req.user);
    if (!l.ok()) return http::ErrorResponse(l.status());
    auto events = leads->Events(*id);
    if (!events.ok()) return http::ErrorResponse(events.status());
    json::object o = ToJson(*l, *req.user);
    json::array ev;
    for (const LeadEvent& e : *events) {
      ev.emplace_back(json::object{{"at", e.at}, {"on", e.on.ToString()}, {"by", e.by}, {"action", e.action},
                                   {"from_stage", e.from_stage}, {"to_stage", e.to_stage}, {"note", e.note}});
    }
    o["events"] = std::move(ev);
    return Json(o);
  });
  router.Add("PUT", "/api/leads/{id}", writers, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    Lead l;
    l.id = *id;
    auto version = VersionOf(*body);
    if (!version.ok()) return http::ErrorResponse(version.status());
    l.version = *version;
    if (Status s = ReadLead(*body, l); !s.ok()) return http::ErrorResponse(s);
    auto out = leads->Update(l, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out, *req.user));
  });
  router.Add("POST", "/api/leads/{id}/move", writers, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto version = VersionOf(*body);
    if (!version.ok()) return http::ErrorResponse(version.status());
    auto to = ReadString(*body, "to");
    if (!to.ok()) return http::ErrorResponse(to.status());
    auto stage = ParseLeadStage(*to);
    if (!stage) return http::ErrorResponse(InvalidArgument("未知的阶段 (unknown stage): " + *to, "to"));
    auto on = ReadDate(*body, "on");
    if (!on.ok()) return http::ErrorResponse(on.status());
    auto note = ReadString(*body, "note");
    if (!note.ok()) return http::ErrorResponse(note.status());
    auto out = leads->Move(*id, *version, *stage, *on, *note, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out, *req.user));
  });
  router.Add("POST", "/api/leads/{id}/convert", writers, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    ConvertInput in;
    auto version = VersionOf(*body);
    if (!version.ok()) return http::ErrorResponse(version.status());
    in.version = *version;
    for (auto [field, into] : {std::pair{"code", &in.code}, std::pair{"unit", &in.unit}, std::pair{"person", &in.person},
                               std::pair{"leader", &in.leader}}) {
      auto v = ReadString(*body, field);
      if (!v.ok()) return http::ErrorResponse(v.status());
      *into = *v;
    }
    if (auto lv = ReadString(*body, "level"); !lv.ok()) {
      return http::ErrorResponse(lv.status());
    } else if (!lv->empty()) {
      in.level = ParseLevel(*lv);
      if (!in.level) return http::ErrorResponse(InvalidArgument("未知的项目级别 (unknown level): " + *lv, "level"));
    }
    if (body->contains("region_id") && !body->at("region_id").is_null()) {
      auto r = ReadInt(*body, "region_id", 1);
      if (!r.ok()) return http::ErrorResponse(r.status());
      in.region_id = *r;
    }
    for (auto [field, into] : {std::pair{"on", &in.on}, std::pair{"planned_start", &in.planned_start},
                               std::pair{"planned_end", &in.planned_end}}) {
      auto d = ReadDate(*body, field);
      if (!d.ok()) return http::ErrorResponse(d.status());
      *into = *d;
    }
    auto out = leads->Convert(*id, in, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    json::object o = ToJson(out->lead, *req.user);
    o["created_project"] = ToJson(out->project);
    return Json(o, 201);
  });
  router.Add("GET", "/api/leads/{id}/carrier-matches", readers, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto l = leads->Get(*id, *req.user);
    if (!l.ok()) return http::ErrorResponse(l.status());
    size_t limit = kDefaultMatches;
    if (std::string v(Trim(req.Query("limit").value_or(""))); !v.empty()) {
      json::object one{{"limit", v}};
      auto n = ReadInt(one, "limit", 1, kMaxMatches);
      if (!n.ok()) return http::ErrorResponse(n.status());
      limit = static_cast<size_t>(*n);
    }
    std::vector<Carrier> carriers;
    auto matches = leads->Matches(*l, limit, carriers);
    if (!matches.ok()) return http::ErrorResponse(matches.status());
    json::array items;
    int rank = 0;
    for (const stats::CarrierMatch& m : *matches) {
      json::object o = ToJson(*m.carrier);
      o["rank"] = ++rank;
      o["industry_fit"] = m.industry_exact ? "exact" : "any";
      o["fit_pct"] = m.fit_pct.Format(1);
      items.emplace_back(std::move(o));
    }
    return Json(json::object{{"lead_id", l->id},
                             {"land_mu", FormatTenthMu(l->land_tenth_mu)},
                             {"floor_m2", l->floor_m2},
                             {"items", std::move(items)}});
  });
  router.Add("GET", "/api/carriers", readers, [leads](const Request&) {
    auto list = leads->Carriers();
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const Carrier& c : *list) items.emplace_back(ToJson(c));
    return Json(json::object{{"items", std::move(items)}});
  });
  router.Add("POST", "/api/carriers", admin, [leads](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    Carrier c;
    if (Status s = ReadCarrier(*body, c); !s.ok()) return http::ErrorResponse(s);
    auto out = leads->SaveCarrier(c, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out), 201);
  });
  router.Add("PUT", "/api/carriers/{id}", admin, [leads](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    Carrier c;
    c.id = *id;
    auto version = VersionOf(*body);
    if (!version.ok()) return http::ErrorResponse(version.status());
    c.version = *version;
    if (Status s = ReadCarrier(*body, c); !s.ok()) return http::ErrorResponse(s);
    auto out = leads->SaveCarrier(c, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Json(ToJson(*out));
  });
}

}  // namespace kp::api
