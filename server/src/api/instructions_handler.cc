// Leaders' instructions (领导批示) on a project: list (in the project's scope), give (leaders and the
// bureau), answer (the project's owner, its unit, the bureau); the open ones for the leaders' page.
#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/instructions.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object ToJson(const Instruction& i, const std::string& code, const std::string& name) {
  return {{"id", i.id},
          {"project_id", i.project_id},
          {"project_code", code},
          {"project_name", name},
          {"text", i.text},
          {"given_by", i.given_by},
          {"given_by_name", i.given_by_name},
          {"given_at", i.given_at},
          {"answer", i.answer},
          {"answered_by", i.answered_by},
          {"answered_by_name", i.answered_by_name},
          {"answered_at", i.answered_at ? json::value(*i.answered_at) : json::value(nullptr)},
          {"open", !i.answered_at.has_value()},
          {"version", i.version}};
}

json::object ToJson(const Instruction& i, const Project& p) { return ToJson(i, p.code, p.name); }

}  // namespace

void AddInstructionRoutes(http::Router& router, Register& reg) {
  auto instructions = std::make_shared<Instructions>(reg.store(), reg);
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  router.Add("GET", "/api/projects/{id}/instructions", readers, [&reg, instructions](const Request& req) {
    auto p = LoadProject(req, reg);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto list = instructions->OfProject(p->id);
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const Instruction& i : *list) items.emplace_back(ToJson(i, *p));
    return Json(json::object{{"items", std::move(items)},
                             {"can_give", Instructions::MayGive(*req.user)},
                             {"can_answer", Instructions::MayAnswer(*req.user, *p)}});
  });
  router.Add("POST", "/api/projects/{id}/instructions", Access::Roles({Role::kAdmin, Role::kLeader}),
             [&reg, instructions](const Request& req) {
               auto p = LoadProject(req, reg);
               if (!p.ok()) return http::ErrorResponse(p.status());
               auto body = ParseObject(req.body);
               if (!body.ok()) return http::ErrorResponse(body.status());
               auto text = ReadString(*body, "text");
               if (!text.ok()) return http::ErrorResponse(text.status());
               auto given = instructions->Give(*p, *text, *req.user, ActorOf(req));
               if (!given.ok()) return http::ErrorResponse(given.status());
               return Json(ToJson(*given, *p), 201);
             });
  router.Add("POST", "/api/instructions/{id}/answer", Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner}),
             [&reg, instructions](const Request& req) {
               auto id = PathId(req);
               if (!id.ok()) return http::ErrorResponse(id.status());
               auto in = instructions->Get(*id);
               if (!in.ok()) return http::ErrorResponse(in.status());
               auto p = reg.GetProject(in->project_id);
               // Another scope's instruction is as absent as a missing one.
               if (!p.ok() || !CanSee(*req.user, *p)) return http::ErrorResponse(NotFound("批示不存在 (no such instruction)"));
               auto body = ParseObject(req.body);
               if (!body.ok()) return http::ErrorResponse(body.status());
               auto version = ReadInt(*body, "version");
               if (!version.ok()) return http::ErrorResponse(version.status());
               auto answer = ReadString(*body, "answer");
               if (!answer.ok()) return http::ErrorResponse(answer.status());
               auto done = instructions->Answer(*in, *p, *version, *answer, *req.user, ActorOf(req));
               if (!done.ok()) return http::ErrorResponse(done.status());
               return Json(ToJson(*done, *p));
             });
  // The unanswered instructions the caller may see (the leaders' page, an owner's worklist), newest first.
  router.Add("GET", "/api/instructions", readers, [&reg, instructions](const Request& req) {
    auto open = instructions->Open();
    if (!open.ok()) return http::ErrorResponse(open.status());
    // The projects as the statistics cache holds them (one lookup for the list, no query per row).
    std::vector<int64_t> ids;
    for (const Instruction& i : *open) ids.push_back(i.project_id);
    const auto briefs = reg.stats_engine().Briefs(ids);
    json::array items;
    for (size_t k = 0; k < open->size(); ++k) {
      if (!briefs[k]) continue;
      Project scope;
      scope.unit = briefs[k]->unit;
      scope.owner = briefs[k]->owner;
      if (!CanSee(*req.user, scope)) continue;
      items.emplace_back(ToJson((*open)[k], briefs[k]->code, briefs[k]->name));
    }
    return Json(json::object{{"items", std::move(items)}});
  });
}

}  // namespace kp::api
