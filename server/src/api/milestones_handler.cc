// 挂图作战 endpoints: node templates, a project's nodes, warning colours and their rules.
#include <charconv>

#include "api/import_answer.h"
#include "api/json_codec.h"
#include "api/response_cache.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "domain/milestones.h"
#include "domain/wallchart.h"
#include "domain/warnings_export.h"
#include "stats/warnings_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {


json::object ToJson(const ProjectNode& n) {
  return {{"id", n.id},           {"project_id", n.project_id}, {"seq", n.seq},       {"name", n.name},
          {"planned", OptDate(n.planned)}, {"actual", OptDate(n.actual)}, {"unit", n.unit}, {"person", n.person},
          {"note", n.note},       {"version", n.version},       {"updated_at", n.updated_at}, {"updated_by", n.updated_by}};
}

json::object ToJson(const NodeView& v) {
  json::object o = ToJson(v.node);
  o["state"] = stats::NodeStateName(v.status.state);
  o["state_label"] = stats::NodeStateLabel(v.status.state);
  o["days"] = v.status.days ? json::value(*v.status.days) : json::value(nullptr);
  o["colour"] = stats::ColourName(v.status.colour);
  return o;
}

json::object ToJson(const NodeTemplate& t) {
  json::array nodes;
  for (const auto& n : t.nodes) nodes.emplace_back(n);
  return {{"id", t.id},           {"name", t.name},           {"nodes", std::move(nodes)},
          {"version", t.version}, {"updated_at", t.updated_at}, {"updated_by", t.updated_by}};
}

int VersionOf(const Request& req) {
  int v = 0;
  std::string s = req.Query("version").value_or("");
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : -1;
}

bool CanEditNodes(const User& u, const Project& p) {
  return u.role == Role::kAdmin || ((u.role == Role::kDepartment || u.role == Role::kOwner) && CanSee(u, p));
}
bool CanDeleteNodes(const User& u, const Project& p) {
  return u.role == Role::kAdmin || (u.role == Role::kDepartment && CanSee(u, p));
}

// The node {node} of project {id}, when the caller may see the project and pass `check`.
Result<ProjectNode> LoadNode(const Request& req, Register& reg, Milestones& ms, bool (*check)(const User&, const Project&)) {
  auto p = LoadProject(req, reg, check);
  if (!p.ok()) return p.status();
  auto id = PathId(req, "node");
  if (!id.ok()) return id.status();
  auto n = ms.GetNode(*id);
  if (!n.ok()) return n.status();
  if (n->project_id != p->id) return NotFound("没有该节点 (no such node)");
  return n;
}

Result<ProjectNode> ReadNode(const json::object& o, ProjectNode n) {
  if (o.contains("name")) {
    auto v = ReadString(o, "name");
    if (!v.ok()) return v.status();
    n.name = *v;
  }
  for (auto [field, into] : {std::pair{"unit", &n.unit}, std::pair{"person", &n.person}, std::pair{"note", &n.note}}) {
    if (!o.contains(field)) continue;
    auto v = ReadString(o, field);
    if (!v.ok()) return v.status();
    *into = *v;
  }
  if (o.contains("seq")) {
    auto v = ReadInt(o, "seq", 1, 10000);
    if (!v.ok()) return v.status();
    n.seq = static_cast<int>(*v);
  }
  for (auto [field, into] : {std::pair{"planned", &n.planned}, std::pair{"actual", &n.actual}}) {
    if (!o.contains(field)) continue;
    auto d = ReadDate(o, field);
    if (!d.ok()) return d.status();
    *into = *d;
  }
  if (o.contains("version")) {
    auto v = ReadInt(o, "version", 1, 1'000'000'000);
    if (!v.ok()) return v.status();
    n.version = static_cast<int>(*v);
  }
  return n;
}

Result<stats::WarningQuery> WarningQueryOf(const Request& req, Register& reg) {
  auto settings = reg.GetSettings();
  if (!settings.ok()) return settings.status();
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : req.query) params.emplace(k, v);
  auto q = stats::ParseWarningQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), reg.stats_engine());
  if (q.ok() && req.user && req.user->role == Role::kDepartment) q->unit = req.user->unit;
  if (q.ok() && req.user && req.user->role == Role::kOwner) q->owner = req.user->unit;
  return q;
}

}  // namespace

void AddMilestoneRoutes(http::Router& router, Register& reg, Milestones& ms) {
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access editors = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/node-templates", readers, [&ms](const Request&) {
    auto list = ms.Templates();
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array a;
    for (const auto& t : *list) a.emplace_back(ToJson(t));
    return Json(json::object{{"items", std::move(a)}});
  });
  auto save_template = [&ms](const Request& req, int64_t id) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    NodeTemplate t;
    t.id = id;
    auto name = ReadString(*body, "name");
    if (!name.ok()) return http::ErrorResponse(name.status());
    t.name = *name;
    auto it = body->find("nodes");
    if (it == body->end() || !it->value().is_array()) {
      return http::ErrorResponse(InvalidArgument("nodes 应为节点名称的数组 (nodes: an array of names)", "nodes"));
    }
    for (const auto& e : it->value().as_array()) {
      if (!e.is_string()) return http::ErrorResponse(InvalidArgument("节点名称应为文本 (node names are strings)", "nodes"));
      t.nodes.emplace_back(e.as_string());
    }
    if (id != 0) {
      auto v = ReadInt(*body, "version", 1, 1'000'000'000);
      if (!v.ok()) return http::ErrorResponse(v.status());
      t.version = static_cast<int>(*v);
    }
    auto saved = ms.SaveTemplate(t, ActorOf(req));
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(ToJson(*saved), id == 0 ? 201 : 200);
  };
  router.Add("POST", "/api/node-templates", admin, [save_template](const Request& req) { return save_template(req, 0); });
  router.Add("PUT", "/api/node-templates/{id}", admin, [save_template](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    return save_template(req, *id);
  });
  router.Add("DELETE", "/api/node-templates/{id}", admin, [&ms](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (Status s = ms.DeleteTemplate(*id, VersionOf(req), ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"deleted", *id}});
  });
  router.Add("POST", "/api/node-templates/{id}/apply", admin, [&ms](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    std::vector<int64_t> ids;
    auto it = body->find("project_ids");
    if (it == body->end() || !it->value().is_array()) {
      return http::ErrorResponse(InvalidArgument("project_ids 应为项目编号数组 (project_ids: an array)", "project_ids"));
    }
    for (const auto& e : it->value().as_array()) {
      if (!e.is_int64() || e.as_int64() <= 0) {
        return http::ErrorResponse(InvalidArgument("project_ids 应为正整数 (project ids are positive integers)", "project_ids"));
      }
      ids.push_back(e.as_int64());
    }
    auto applied = ms.ApplyTemplate(*id, ids, ActorOf(req));
    if (!applied.ok()) return http::ErrorResponse(applied.status());
    json::array undated;
    for (const auto& c : applied->without_dates) undated.emplace_back(c);
    return Json(json::object{{"projects", applied->projects},
                             {"nodes_added", applied->nodes_added},
                             {"without_dates", std::move(undated)}});
  });

  router.Add("GET", "/api/projects/{id}/nodes", readers, [&reg, &ms](const Request& req) {
    auto p = LoadProject(req, reg);
    if (!p.ok()) return http::ErrorResponse(p.status());
    Date as_of = TodayBeijing();
    if (auto v = req.Query("as_of"); v && !v->empty()) {
      auto d = ParseDate(*v);
      if (!d.ok() || !IsValidDate(*d)) return http::ErrorResponse(InvalidArgument("as_of 应为日期 (bad as_of)", "as_of"));
      as_of = *d;
    }
    auto nodes = ms.Nodes(p->id, as_of);
    if (!nodes.ok()) return http::ErrorResponse(nodes.status());
    json::array a;
    for (const auto& v : *nodes) a.emplace_back(ToJson(v));
    return Json(json::object{{"as_of", as_of.ToString()}, {"items", std::move(a)}});
  });
  router.Add("POST", "/api/projects/{id}/nodes", editors, [&reg, &ms](const Request& req) {
    auto p = LoadProject(req, reg, CanEditNodes);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    ProjectNode start;
    start.project_id = p->id;
    auto n = ReadNode(*body, start);
    if (!n.ok()) return http::ErrorResponse(n.status());
    auto created = ms.CreateNode(*n, ActorOf(req));
    if (!created.ok()) return http::ErrorResponse(created.status());
    return Json(ToJson(*created), 201);
  });
  router.Add("PUT", "/api/projects/{id}/nodes/{node}", editors, [&reg, &ms](const Request& req) {
    auto current = LoadNode(req, reg, ms, CanEditNodes);
    if (!current.ok()) return http::ErrorResponse(current.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    if (!body->contains("version")) return http::ErrorResponse(InvalidArgument("缺少 version (version is required)", "version"));
    const bool was_done = current->actual.has_value();
    auto n = ReadNode(*body, *current);
    if (!n.ok()) return http::ErrorResponse(n.status());
    // Taking a done node back to not done is a reopen: the bureau's call, not an editor's.
    if (was_done && !n->actual && req.user->role != Role::kAdmin) {
      return http::ErrorResponse(Status(ErrorCode::kPermissionDenied, "已完成的节点只能由发改局重新打开 (only the bureau reopens a node)"));
    }
    auto saved = ms.UpdateNode(*n, ActorOf(req));
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(ToJson(*saved));
  });
  router.Add("POST", "/api/projects/{id}/nodes/{node}/complete", editors, [&reg, &ms](const Request& req) {
    auto current = LoadNode(req, reg, ms, CanEditNodes);
    if (!current.ok()) return http::ErrorResponse(current.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto actual = ReadDate(*body, "actual");
    if (!actual.ok()) return http::ErrorResponse(actual.status());
    if (!*actual) return http::ErrorResponse(InvalidArgument("请填写实际完成日期 (actual date is required)", "actual"));
    auto note = ReadString(*body, "note");
    if (!note.ok()) return http::ErrorResponse(note.status());
    auto v = ReadInt(*body, "version", 1, 1'000'000'000);
    if (!v.ok()) return http::ErrorResponse(v.status());
    auto saved = ms.CompleteNode(current->id, static_cast<int>(*v), **actual, *note, ActorOf(req));
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(ToJson(*saved));
  });
  router.Add("POST", "/api/projects/{id}/nodes/{node}/reopen", admin, [&reg, &ms](const Request& req) {
    auto current = LoadNode(req, reg, ms, nullptr);
    if (!current.ok()) return http::ErrorResponse(current.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto reason = ReadString(*body, "reason");
    if (!reason.ok()) return http::ErrorResponse(reason.status());
    auto v = ReadInt(*body, "version", 1, 1'000'000'000);
    if (!v.ok()) return http::ErrorResponse(v.status());
    auto saved = ms.ReopenNode(current->id, static_cast<int>(*v), *reason, ActorOf(req));
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(ToJson(*saved));
  });
  router.Add("DELETE", "/api/projects/{id}/nodes/{node}", Access::Roles({Role::kAdmin, Role::kDepartment}),
             [&reg, &ms](const Request& req) {
               auto current = LoadNode(req, reg, ms, CanDeleteNodes);
               if (!current.ok()) return http::ErrorResponse(current.status());
               if (Status s = ms.DeleteNode(current->id, VersionOf(req), ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
               return Json(json::object{{"deleted", current->id}});
             });
  router.Add("POST", "/api/import/nodes", admin, [&ms](const Request& req) {
    ImportOptions o = OptionsOf(req);
    return ImportAnswer(ms.ImportNodesFile(req.Body(), ActorOf(req), o), o.dry_run);
  }, http::BodyKind::kFile);

  auto cache = std::make_shared<ResponseCache>();
  router.Add("GET", "/api/warnings", readers, [&reg, &ms, cache](const Request& req) {
    const uint64_t gen = reg.stats_engine().generation();
    std::string key = req.target + "\n" + TodayBeijing().ToString();
    if (req.user && (req.user->role == Role::kDepartment || req.user->role == Role::kOwner)) {
      key += std::string("\n") + RoleName(req.user->role) + "\n" + req.user->unit;
    }
    if (auto hit = cache->Get(key, gen)) return http::JsonResponse(*hit);
    auto q = WarningQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    auto r = ms.Warnings(*q);
    if (!r.ok()) return http::ErrorResponse(r.status());
    std::string body = ToJsonText(stats::WarningResultToJson(*r));
    cache->Put(key, gen, body);
    return http::JsonResponse(std::move(body));
  });
  // The colour of each project of a list page (?ids=1,2,3&as_of=): {"colours":{"1":"red",…}}.
  router.Add("GET", "/api/warnings/colours", readers, [&reg, &ms](const Request& req) {
    constexpr size_t kMaxIds = 1000;
    auto q = WarningQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    std::vector<int64_t> ids;
    std::string list = req.Query("ids").value_or("");
    for (size_t i = 0; i < list.size();) {
      size_t j = list.find(',', i);
      if (j == std::string::npos) j = list.size();
      int64_t id = 0;
      auto [p, ec] = std::from_chars(list.data() + i, list.data() + j, id);
      if (ec != std::errc() || p != list.data() + j || id <= 0) {
        return http::ErrorResponse(InvalidArgument("ids 应为逗号分隔的项目编号 (bad ids)", "ids"));
      }
      ids.push_back(id);
      i = j + 1;
    }
    if (ids.size() > kMaxIds) return http::ErrorResponse(InvalidArgument("ids 最多 1000 个 (too many ids)", "ids"));
    auto rules = ms.Rules();
    if (!rules.ok()) return http::ErrorResponse(rules.status());
    auto colours = reg.stats_engine().ColoursOf(ids, *q, *rules);
    json::object out;
    for (size_t k = 0; k < ids.size(); ++k) {
      out[std::to_string(ids[k])] = colours[k] ? json::value(stats::ColourName(*colours[k])) : json::value(nullptr);
    }
    return Json(json::object{{"as_of", q->as_of.ToString()}, {"colours", std::move(out)}});
  });
  router.Add("GET", "/api/wallchart", readers, [&reg, &ms](const Request& req) {
    auto q = WarningQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    auto chart = BuildWallChart(ms, *q);
    if (!chart.ok()) return http::ErrorResponse(chart.status());
    json::array columns;
    for (const auto& c : chart->columns) columns.emplace_back(c);
    json::array rows;
    for (const WallChartRow& r : chart->rows) {
      json::array nodes;
      for (const WallChartNode& n : r.nodes) {
        nodes.emplace_back(json::object{{"id", n.node.id},
                                        {"name", n.node.name},
                                        {"seq", n.node.seq},
                                        {"planned", OptDate(n.node.planned)},
                                        {"actual", OptDate(n.node.actual)},
                                        {"state", stats::NodeStateName(n.status.state)},
                                        {"state_label", stats::NodeStateLabel(n.status.state)},
                                        {"days", n.status.days ? json::value(*n.status.days) : json::value(nullptr)},
                                        {"colour", stats::ColourName(n.status.colour)}});
      }
      const stats::ProjectColour& p = *r.project;
      rows.emplace_back(json::object{{"id", p.id},
                                     {"code", p.code},
                                     {"name", p.name},
                                     {"level", LevelName(p.level)},
                                     {"region", p.region},
                                     {"unit", p.unit},
                                     {"leader", p.leader},
                                     {"colour", stats::ColourName(p.colour)},
                                     {"nodes", std::move(nodes)}});
    }
    const auto& c = chart->result.counts;
    return Json(json::object{{"as_of", q->as_of.ToString()},
                             {"counts", json::object{{"red", c[2]}, {"yellow", c[1]}, {"green", c[0]}}},
                             {"nodes", std::move(columns)},
                             {"projects", std::move(rows)}});
  });
  router.Add("GET", "/api/export/wallchart", readers, [&reg, &ms](const Request& req) {
    auto q = WarningQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    return Download("作战图-" + q->as_of.ToString() + ".xlsx",
                    [&](const std::string& path) { return ExportWallChart(ms, *q, path); });
  });
  // The 预警 list as .xlsx: the same question (and scope) as GET /api/warnings.
  router.Add("GET", "/api/export/warnings", readers, [&reg, &ms](const Request& req) {
    auto q = WarningQueryOf(req, reg);
    if (!q.ok()) return http::ErrorResponse(q.status());
    return Download("预警清单-" + q->as_of.ToString() + ".xlsx",
                    [&](const std::string& path) { return ExportWarnings(ms, *q, path); });
  });
  router.Add("GET", "/api/warnings/rules", readers, [&ms](const Request&) {
    auto r = ms.Rules();
    if (!r.ok()) return http::ErrorResponse(r.status());
    return Json(stats::RulesToJson(*r));
  });
  router.Add("PUT", "/api/warnings/rules", admin, [&ms](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto current = ms.Rules();
    if (!current.ok()) return http::ErrorResponse(current.status());
    stats::WarningRules r = *current;
    struct Field {
      const char* name;
      int stats::WarningRules::*member;
    };
    for (Field f : {Field{"invest_yellow_points", &stats::WarningRules::invest_yellow_points},
                    Field{"invest_red_points", &stats::WarningRules::invest_red_points},
                    Field{"start_red_months", &stats::WarningRules::start_red_months},
                    Field{"node_red_days", &stats::WarningRules::node_red_days},
                    Field{"report_red_months", &stats::WarningRules::report_red_months},
                    Field{"window_days", &stats::WarningRules::window_days}}) {
      if (!body->contains(f.name)) continue;
      auto v = ReadInt(*body, f.name, 0, 3660);
      if (!v.ok()) return http::ErrorResponse(v.status());
      r.*f.member = static_cast<int>(*v);
    }
    if (Status s = ms.SaveRules(r, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    auto saved = ms.Rules();
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(stats::RulesToJson(*saved));
  });
}

}  // namespace kp::api
