// Financing endpoints (融资对接): demands, pushes to banks and their answers, the funnel.
#include <charconv>

#include "api/import_answer.h"
#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/exports.h"
#include "domain/financing.h"
#include "stats/financing_stats_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::value OptMoney(const std::optional<Money>& m) { return m ? json::value(m->Wan()) : json::value(nullptr); }

json::object ToJson(const FinancingDemand& d, const stats::StatsEngine::ProjectBrief* b) {
  json::array pushes;
  for (const BankPush& p : d.pushes) {
    json::array loans;
    for (const Disbursement& x : p.disbursements) {
      loans.emplace_back(json::object{{"date", x.on.ToString()}, {"amount_wan", x.amount.Wan()}, {"amount_yuan", x.amount.yuan}});
    }
    pushes.emplace_back(json::object{{"id", p.id},
                                     {"bank", p.bank},
                                     {"pushed_on", p.pushed_on.ToString()},
                                     {"answer", p.answer},
                                     {"answer_note", p.answer_note},
                                     {"credit_wan", OptMoney(p.credit)},
                                     {"credit_on", OptDate(p.credit_on)},
                                     {"contract_wan", OptMoney(p.contract)},
                                     {"contract_on", OptDate(p.contract_on)},
                                     {"answered_by", p.answered_by},
                                     {"disbursements", std::move(loans)}});
  }
  return {{"id", d.id},
          {"project_id", d.project_id},
          {"project_code", b ? b->code : ""},
          {"project_name", b ? b->name : ""},
          {"type", d.kind},
          {"amount_wan", d.amount.Wan()},
          {"amount_yuan", d.amount.yuan},
          {"year_need_wan", d.year_need.Wan()},
          {"term_years", d.term_years},
          {"purpose", d.purpose},
          {"guarantee", d.guarantee},
          {"repayment", d.repayment},
          {"capital_wan", d.capital.Wan()},
          {"negative_list_ok", d.negative_list_ok},
          {"contact", d.contact},
          {"stage", FinancingStageName(d.stage)},
          {"stage_label", FinancingStageLabel(d.stage)},
          {"reject_reason", d.reject_reason},
          {"registered_on", d.registered_on.ToString()},
          {"pushes", std::move(pushes)},
          {"version", d.version},
          {"updated_at", d.updated_at},
          {"updated_by", d.updated_by}};
}

Result<int64_t> IntParam(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t dflt) {
  std::string v(Trim(req.Query(name).value_or("")));
  if (v.empty()) return dflt;
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    return InvalidArgument(std::string(name) + " 应为 " + std::to_string(lo) + "-" + std::to_string(hi) + " 的整数 (bad " + name + ")", name);
  }
  return x;
}

Result<Money> OptionalWan(const json::object& o, const char* field, Money dflt) {
  if (!o.contains(field) || o.at(field).is_null()) return dflt;
  return ReadWan(o, field);
}

// The list's filter from the query: project_id, stage, bank, type, q, offset, limit.
Result<FinancingFilter> FilterOf(const Request& req) {
  FinancingFilter f;
  auto pid = IntParam(req, "project_id", 1, INT64_MAX, 0);
  if (!pid.ok()) return pid.status();
  if (*pid) f.project_id = *pid;
  auto offset = IntParam(req, "offset", 0, 10'000'000, 0);
  if (!offset.ok()) return offset.status();
  auto limit = IntParam(req, "limit", 1, 500, 50);
  if (!limit.ok()) return limit.status();
  f.offset = static_cast<int>(*offset);
  f.limit = static_cast<int>(*limit);
  if (std::string v(Trim(req.Query("stage").value_or(""))); !v.empty()) {
    auto s = ParseFinancingStage(v);
    if (!s) return InvalidArgument("未知的阶段 (unknown stage): " + v, "stage");
    f.stage = *s;
  }
  for (auto [k, into] : {std::pair{"bank", &f.bank}, std::pair{"type", &f.kind}, std::pair{"q", &f.text}}) {
    if (std::string v(Trim(req.Query(k).value_or(""))); !v.empty()) *into = v;
  }
  return f;
}

}  // namespace

void AddFinancingRoutes(http::Router& router, Register& reg, Financing& fin) {
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kBank, Role::kAuditor});
  const Access registrars = Access::Roles({Role::kAdmin, Role::kOwner});
  const Access movers = Access::Roles({Role::kAdmin, Role::kBank});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("POST", "/api/import/financing/errors", admin, [&fin](const Request& req) {
    ImportOptions o = OptionsOf(req);
    o.dry_run = true;
    auto out = fin.ImportFile(req.Body(), ActorOf(req), o);
    if (!out.ok()) return http::ErrorResponse(out.status());
    return Download("导入错误.xlsx", [&](const std::string& p) { return WriteErrorWorkbook(out->parsed, p); });
  }, http::BodyKind::kFile);
  router.Add("POST", "/api/import/financing", admin, [&fin](const Request& req) {
    ImportOptions o = OptionsOf(req);
    return ImportAnswer(fin.ImportFile(req.Body(), ActorOf(req), o), o.dry_run);
  }, http::BodyKind::kFile);
  router.Add("GET", "/api/export/financing", readers, [&fin](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    f->offset = 0;
    f->limit = 0;
    auto page = fin.List(*f, *req.user);
    if (!page.ok()) return http::ErrorResponse(page.status());
    return Download("融资需求-" + TodayBeijing().ToString() + ".xlsx",
                    [&](const std::string& path) { return ExportFinancingList(*page, TodayBeijing(), path); });
  });
  router.Add("GET", "/api/financing", readers, [&fin](const Request& req) {
    auto f = FilterOf(req);
    if (!f.ok()) return http::ErrorResponse(f.status());
    auto page = fin.List(*f, *req.user);
    if (!page.ok()) return http::ErrorResponse(page.status());
    json::array items;
    for (const FinancingRow& r : page->items) {
      json::object o = ToJson(r.demand, &r.project);
      json::array allowed;
      for (const auto& a : fin.Allowed(r.demand, *req.user)) allowed.emplace_back(a);
      o["allowed"] = std::move(allowed);
      items.emplace_back(std::move(o));
    }
    return Json(json::object{{"total", page->total}, {"items", std::move(items)}});
  });
  router.Add("GET", "/api/financing/stats", readers, [&reg, &fin](const Request& req) {
    auto settings = reg.GetSettings();
    if (!settings.ok()) return http::ErrorResponse(settings.status());
    std::map<std::string, std::string> params;
    for (const auto& [k, v] : req.query) params.emplace(k, v);
    auto q = stats::ParseFinancingQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg.stats_engine());
    if (!q.ok()) return http::ErrorResponse(q.status());
    if (req.user->role == Role::kBank) q->bank = req.user->unit;
    if (req.user->role == Role::kDepartment) q->unit = req.user->unit;
    if (req.user->role == Role::kOwner) q->owner = req.user->unit;
    auto r = fin.Stats(*q);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(stats::FinancingStatsToJson(*r));
  });
  router.Add("GET", "/api/financing/{id}", readers, [&reg, &fin](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto d = fin.Get(*id);
    if (!d.ok()) return http::ErrorResponse(d.status());
    if (!fin.CanSee(*req.user, *d)) return http::ErrorResponse(NotFound("没有该融资需求 (no such financing demand)"));
    auto events = fin.Events(*id);
    if (!events.ok()) return http::ErrorResponse(events.status());
    auto brief = reg.stats_engine().Briefs({d->project_id}).front();
    json::object o = ToJson(fin.ViewFor(*req.user, *d), brief ? &*brief : nullptr);
    json::array allowed;
    for (const auto& a : fin.Allowed(*d, *req.user)) allowed.emplace_back(a);
    o["allowed"] = std::move(allowed);
    json::array ev;
    for (const FinancingEvent& e : *events) {
      if (req.user->role == Role::kBank && !e.bank.empty() && e.bank != req.user->unit) continue;
      ev.emplace_back(json::object{{"at", e.at}, {"on", e.on.ToString()}, {"by", e.by}, {"action", e.action}, {"bank", e.bank},
                                   {"from_stage", e.from_stage}, {"to_stage", e.to_stage}, {"note", e.note}});
    }
    o["events"] = std::move(ev);
    return Json(o);
  });
  router.Add("POST", "/api/financing", registrars, [&reg, &fin](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto pid = ReadInt(*body, "project_id", 1);
    if (!pid.ok()) return http::ErrorResponse(pid.status());
    auto project = reg.GetProject(*pid);
    if (!project.ok() || !CanSee(*req.user, *project)) {
      return http::ErrorResponse(Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id"));
    }
    FinancingDemand d;
    d.project_id = *pid;
    auto kind = ReadString(*body, "type");
    if (!kind.ok()) return http::ErrorResponse(kind.status());
    d.kind = kind->empty() ? "中长期贷款" : *kind;
    for (auto [field, into] : {std::pair{"amount_wan", &d.amount}, std::pair{"year_need_wan", &d.year_need}}) {
      auto m = ReadWan(*body, field);
      if (!m.ok()) return http::ErrorResponse(m.status());
      *into = *m;
    }
    auto capital = OptionalWan(*body, "capital_wan", Money{0});
    if (!capital.ok()) return http::ErrorResponse(capital.status());
    d.capital = *capital;
    if (body->contains("term_years")) {
      auto t = ReadInt(*body, "term_years", 0, 50);
      if (!t.ok()) return http::ErrorResponse(t.status());
      d.term_years = static_cast<int>(*t);
    }
    for (auto [field, into] : {std::pair{"purpose", &d.purpose}, std::pair{"guarantee", &d.guarantee},
                               std::pair{"repayment", &d.repayment}, std::pair{"contact", &d.contact}}) {
      auto v = ReadString(*body, field);
      if (!v.ok()) return http::ErrorResponse(v.status());
      *into = *v;
    }
    if (const json::value* n = body->if_contains("negative_list_ok"); n && !n->is_null()) {
      if (!n->is_bool()) return http::ErrorResponse(InvalidArgument("negative_list_ok 应为 true/false", "negative_list_ok"));
      d.negative_list_ok = n->as_bool();
    }
    auto reg_on = ReadDate(*body, "registered_on");
    if (!reg_on.ok()) return http::ErrorResponse(reg_on.status());
    if (*reg_on) d.registered_on = **reg_on;
    auto out = fin.Create(d, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto brief = reg.stats_engine().Briefs({out->project_id}).front();
    return Json(ToJson(*out, brief ? &*brief : nullptr), 201);
  });
  router.Add("POST", "/api/financing/{id}/actions/{action}", movers, [&reg, &fin](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    FinancingAction a;
    a.name = req.params.at("action");
    auto version = ReadInt(*body, "version", 1, 1'000'000'000);
    if (!version.ok()) {
      auto d = fin.Get(*id);  // an unknown demand is 404 before a missing version
      if (!d.ok()) return http::ErrorResponse(d.status());
      return http::ErrorResponse(version.status());
    }
    a.version = static_cast<int>(*version);
    for (auto [field, into] : {std::pair{"note", &a.note}, std::pair{"answer", &a.answer}}) {
      auto v = ReadString(*body, field);
      if (!v.ok()) return http::ErrorResponse(v.status());
      *into = *v;
    }
    if (body->contains("bank")) {
      auto v = ReadString(*body, "bank");
      if (!v.ok()) return http::ErrorResponse(v.status());
      a.bank = *v;
    }
    if (const json::value* banks = body->if_contains("banks"); banks && !banks->is_null()) {
      if (!banks->is_array()) return http::ErrorResponse(InvalidArgument("banks 应为数组 (must be an array)", "banks"));
      if (banks->as_array().size() > 100) return http::ErrorResponse(InvalidArgument("银行过多 (too many banks)", "banks"));
      for (const auto& b : banks->as_array()) {
        if (!b.is_string()) return http::ErrorResponse(InvalidArgument("银行名称应为文字 (banks must be text)", "banks"));
        json::object one{{"v", b}};
        auto s = ReadString(one, "v");
        if (!s.ok()) return http::ErrorResponse(Status(s.status().code(), s.status().message(), "banks"));
        a.banks.push_back(*s);
      }
    }
    if (body->contains("amount_wan") && !body->at("amount_wan").is_null()) {
      auto m = ReadWan(*body, "amount_wan");
      if (!m.ok()) return http::ErrorResponse(m.status());
      a.amount = *m;
    }
    auto date = ReadDate(*body, "date");
    if (!date.ok()) return http::ErrorResponse(date.status());
    a.date = *date;
    auto out = fin.Act(*id, a, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto brief = reg.stats_engine().Briefs({out->project_id}).front();
    json::object o = ToJson(fin.ViewFor(*req.user, *out), brief ? &*brief : nullptr);
    json::array allowed;
    for (const auto& x : fin.Allowed(*out, *req.user)) allowed.emplace_back(x);
    o["allowed"] = std::move(allowed);
    return Json(o);
  });
}

}  // namespace kp::api
