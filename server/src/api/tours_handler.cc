// Inspection tours (拉练): the tours (the bureau plans them), a rater's own scores at a stop, the results
// (projects and townships ranked), and the score sheet in the settings.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "api/json_codec.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "domain/tours.h"
#include "stats/rule_json.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::array SheetJson(const std::vector<TourSheetItem>& sheet) {
  json::array a;
  for (const TourSheetItem& i : sheet) {
    a.emplace_back(json::object{{"key", i.key}, {"name", i.name}, {"max", stats::TenthsText(i.max_tenths)}});
  }
  return a;
}

json::object ToJson(const Tour& t, Register& reg, const User& user, const std::vector<TourScore>* scores,
                    const std::map<std::string, std::string>& names) {
  std::vector<int64_t> ids;
  for (const TourStop& s : t.stops) ids.push_back(s.project_id);
  auto briefs = reg.stats_engine().Briefs(ids);
  auto regions = reg.stats_engine().GroupKeys(ids, stats::GroupBy::kRegion, std::nullopt);
  std::map<int64_t, json::object> mine;             // stop → the user's own set
  std::map<int64_t, std::set<std::string>> scored;  // stop → raters who scored
  std::map<int64_t, int64_t> mine_total;            // stop → the user's total (tenths)
  if (scores) {
    for (const TourScore& s : *scores) {
      scored[s.stop_id].insert(s.rater);
      if (s.rater != user.login) continue;
      json::object& m = mine[s.stop_id];
      m["version"] = s.version;
      m["scored_at"] = s.scored_at;
      if (!m.contains("items")) m["items"] = json::object{};
      m["items"].as_object()[s.item] = stats::TenthsText(s.points_tenths);
      m["total"] = stats::TenthsText(mine_total[s.stop_id] += s.points_tenths);
      if (!s.comment.empty()) {
        if (!m.contains("comments")) m["comments"] = json::object{};
        m["comments"].as_object()[s.item] = s.comment;
      }
    }
  }
  json::array stops;
  for (size_t i = 0; i < t.stops.size(); ++i) {
    const TourStop& s = t.stops[i];
    json::object o{{"id", s.id},
                   {"seq", i + 1},
                   {"project_id", s.project_id},
                   {"project_code", briefs[i] ? briefs[i]->code : ""},
                   {"project_name", briefs[i] ? briefs[i]->name : ""},
                   {"region", regions[i]}};
    if (scores) {
      o["raters_scored"] = scored[s.id].size();
      auto m = mine.find(s.id);
      o["mine"] = m != mine.end() ? json::value(m->second) : json::value(nullptr);
    }
    stops.emplace_back(std::move(o));
  }
  json::array raters;
  for (const auto& r : t.raters) {
    auto n = names.find(r);
    raters.emplace_back(json::object{{"login", r}, {"name", n != names.end() ? n->second : r}});
  }
  const bool is_rater = std::find(t.raters.begin(), t.raters.end(), user.login) != t.raters.end();
  return {{"id", t.id},
          {"name", t.name},
          {"start", t.start.ToString()},
          {"end", t.end.ToString()},
          {"status", TourStatusName(t.status)},
          {"status_label", TourStatusLabel(t.status)},
          {"note", t.note},
          {"sheet", SheetJson(t.sheet)},
          {"stops", std::move(stops)},
          {"raters", std::move(raters)},
          {"is_rater", is_rater},
          {"can_score", is_rater && t.status != TourStatus::kEnded},
          {"created_by", t.created_by},
          {"version", t.version},
          {"updated_at", t.updated_at},
          {"updated_by", t.updated_by}};
}

std::map<std::string, std::string> UserNames(Register& reg) {
  std::map<std::string, std::string> names;
  auto users = reg.store().ListUsers();
  if (!users.ok()) return names;
  for (const User& u : *users) names[u.login] = u.display_name.empty() ? u.login : u.display_name;
  return names;
}

Result<Tour> ReadTour(const json::object& o) {
  Tour t;
  auto name = ReadString(o, "name");
  if (!name.ok()) return name.status();
  t.name = *name;
  auto note = ReadString(o, "note");
  if (!note.ok()) return note.status();
  t.note = *note;
  for (auto [field, into] : {std::pair{"start", &t.start}, std::pair{"end", &t.end}}) {
    auto d = ReadDate(o, field);
    if (!d.ok()) return d.status();
    if (!*d) return InvalidArgument("请填写日期 (date is required)", field);
    *into = **d;
  }
  if (const json::value* st = o.if_contains("status"); st && !st->is_null()) {
    if (!st->is_string() || !ParseTourStatus(std::string(st->as_string()), t.status)) {
      return InvalidArgument("status 应为 planning（筹备）、running（进行中）或 ended（已结束）(bad status)", "status");
    }
  }
  if (o.contains("version")) {
    auto ver = ReadInt(o, "version", 1, 1'000'000'000);
    if (!ver.ok()) return ver.status();
    t.version = static_cast<int>(*ver);
  }
  const json::value* stops = o.if_contains("stops");
  if (!stops || !stops->is_array()) return InvalidArgument("stops 应为数组 (must be an array)", "stops");
  for (size_t i = 0; i < stops->as_array().size(); ++i) {
    const json::value& e = stops->as_array()[i];
    const std::string where = "stops[" + std::to_string(i) + "]";
    int64_t pid = 0;
    if (e.is_int64() && e.as_int64() > 0) {
      pid = e.as_int64();
    } else if (e.is_object()) {
      auto p = ReadInt(e.as_object(), "project_id", 1);
      if (!p.ok()) return Status(p.status().code(), p.status().message(), where + ".project_id");
      pid = *p;
    } else {
      return InvalidArgument("应为项目编号或 {project_id} (a project id)", where);
    }
    t.stops.push_back(TourStop{0, pid});
  }
  const json::value* raters = o.if_contains("raters");
  if (!raters || !raters->is_array()) return InvalidArgument("raters 应为数组 (must be an array)", "raters");
  for (size_t i = 0; i < raters->as_array().size(); ++i) {
    const json::value& e = raters->as_array()[i];
    const std::string where = "raters[" + std::to_string(i) + "]";
    json::object one{{"v", e.is_object() && e.as_object().contains("login") ? e.as_object().at("login") : e}};
    if (!one["v"].is_string()) return InvalidArgument("评分人应为登录名 (a rater is a login)", where);
    auto s = ReadString(one, "v");
    if (!s.ok()) return Status(s.status().code(), s.status().message(), where);
    t.raters.push_back(*s);
  }
  return t;
}

// Points as a JSON number or text with at most one decimal ("27.5"), in tenths.
Result<int64_t> ReadTenths(const json::value& v, const std::string& field, const std::string& label) {
  std::string text;
  if (v.is_int64()) {
    text = std::to_string(v.as_int64());
  } else if (v.is_uint64()) {
    text = std::to_string(v.as_uint64());
  } else if (v.is_double()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v.as_double());
    text = buf;
  } else if (v.is_string()) {
    text = std::string(Trim(std::string(v.as_string())));
  } else {
    return InvalidArgument("「" + label + "」请填写分数 (points are required)", field);
  }
  auto r = stats::ParseDecimal(text);
  if (!r) return InvalidArgument("「" + label + "」的分数应为 0 到满分之间的数 (bad points): " + text, field);
  if ((r->num * 10) % r->den != 0) return InvalidArgument("「" + label + "」的分数最多一位小数 (one decimal at most)", field);
  return static_cast<int64_t>(r->num * 10 / r->den);
}

Response SheetAnswer(const std::vector<TourSheetItem>& sheet) {
  int64_t total = 0;
  for (const auto& i : sheet) total += i.max_tenths;
  return Json(json::object{{"items", SheetJson(sheet)}, {"total", stats::TenthsText(total)}});
}

}  // namespace

void AddTourRoutes(http::Router& router, Register& reg) {
  auto tours = std::make_shared<Tours>(reg.store(), reg);
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader, Role::kAuditor});
  const Access raters = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kLeader});
  const Access results = Access::Roles({Role::kAdmin, Role::kLeader, Role::kAuditor});
  const Access admin = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/tours", readers, [&reg, tours](const Request& req) {
    auto list = tours->List(*req.user);
    if (!list.ok()) return http::ErrorResponse(list.status());
    auto names = UserNames(reg);
    json::array items;
    for (const Tour& t : *list) items.emplace_back(ToJson(t, reg, *req.user, nullptr, names));
    return Json(json::object{{"items", std::move(items)}, {"can_create", req.user->role == Role::kAdmin}});
  });
  router.Add("POST", "/api/tours", admin, [&reg, tours](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto t = ReadTour(*body);
    if (!t.ok()) return http::ErrorResponse(t.status());
    t->id = 0;
    auto out = tours->Save(*t, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    std::vector<TourScore> none;
    return Json(ToJson(*out, reg, *req.user, &none, UserNames(reg)), 201);
  });
  router.Add("GET", "/api/tours/{id}", readers, [&reg, tours](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto t = tours->Get(*id, *req.user);
    if (!t.ok()) return http::ErrorResponse(t.status());
    auto scores = tours->Scores(*id);
    if (!scores.ok()) return http::ErrorResponse(scores.status());
    return Json(ToJson(*t, reg, *req.user, &*scores, UserNames(reg)));
  });
  router.Add("PUT", "/api/tours/{id}", admin, [&reg, tours](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    if (!body->contains("version")) return http::ErrorResponse(InvalidArgument("缺少版本号 (version is required)", "version"));
    auto t = ReadTour(*body);
    if (!t.ok()) return http::ErrorResponse(t.status());
    t->id = *id;
    auto out = tours->Save(*t, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    auto scores = tours->Scores(*id);
    if (!scores.ok()) return http::ErrorResponse(scores.status());
    return Json(ToJson(*out, reg, *req.user, &*scores, UserNames(reg)));
  });
  router.Add("PUT", "/api/tours/{id}/stops/{stop}/scores", raters, [tours](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto stop = PathId(req, "stop");
    if (!stop.ok()) return http::ErrorResponse(stop.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    if (!body->contains("version")) {
      return http::ErrorResponse(InvalidArgument("缺少版本号，首次评分为 0 (version is required; 0 the first time)", "version"));
    }
    auto version = ReadInt(*body, "version", 0, 1'000'000'000);
    if (!version.ok()) return http::ErrorResponse(version.status());
    const json::value* items = body->if_contains("items");
    if (!items || !items->is_array()) return http::ErrorResponse(InvalidArgument("items 应为数组 (must be an array)", "items"));
    std::vector<TourScore> scores;
    for (size_t i = 0; i < items->as_array().size(); ++i) {
      const json::value& e = items->as_array()[i];
      const std::string where = "items[" + std::to_string(i) + "]";
      if (!e.is_object()) return http::ErrorResponse(InvalidArgument("应为对象 (must be an object)", where));
      const json::object& o = e.as_object();
      TourScore s;
      const json::value* key = o.if_contains("key");
      if (!key || !key->is_string()) return http::ErrorResponse(InvalidArgument("请给出评分项 key (key is required)", where + ".key"));
      s.item = std::string(key->as_string());
      const json::value* pts = o.if_contains("points");
      auto tenths = ReadTenths(pts ? *pts : json::value(nullptr), where + ".points", s.item);
      if (!tenths.ok()) return http::ErrorResponse(tenths.status());
      s.points_tenths = *tenths;
      auto comment = ReadString(o, "comment");
      if (!comment.ok()) return http::ErrorResponse(Status(comment.status().code(), comment.status().message(), where + ".comment"));
      s.comment = *comment;
      scores.push_back(std::move(s));
    }
    auto out = tours->Score(*id, *stop, static_cast<int>(*version), scores, *req.user, ActorOf(req));
    if (!out.ok()) return http::ErrorResponse(out.status());
    json::object items_out, comments;
    int ver = 0;
    std::string at;
    int64_t total = 0;
    for (const TourScore& s : *out) {
      items_out[s.item] = stats::TenthsText(s.points_tenths);
      if (!s.comment.empty()) comments[s.item] = s.comment;
      ver = s.version;
      at = s.scored_at;
      total += s.points_tenths;
    }
    return Json(json::object{{"stop_id", *stop},
                             {"version", ver},
                             {"scored_at", at},
                             {"items", std::move(items_out)},
                             {"comments", std::move(comments)},
                             {"total", stats::TenthsText(total)}});
  });
  router.Add("GET", "/api/tours/{id}/results", results, [tours](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto by = stats::GroupBy::kRegion;
    if (std::string b = req.Query("by").value_or(""); !b.empty()) {
      auto g = stats::ParseGroupBy(b);
      if (!g || (*g != stats::GroupBy::kRegion && *g != stats::GroupBy::kUnit)) {
        return http::ErrorResponse(InvalidArgument("by 应为 region 或 unit (bad by)", "by"));
      }
      by = *g;
    }
    auto r = tours->Results(*id, by);
    if (!r.ok()) return http::ErrorResponse(r.status());
    return http::JsonResponse(ToJsonText(stats::TourResultToJson(*r)));
  });
  router.Add("GET", "/api/tour-sheet", readers, [tours](const Request&) {
    auto s = tours->Sheet();
    if (!s.ok()) return http::ErrorResponse(s.status());
    return SheetAnswer(*s);
  });
  router.Add("PUT", "/api/tour-sheet", admin, [tours](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    const json::value* items = body->if_contains("items");
    if (!items || !items->is_array()) return http::ErrorResponse(InvalidArgument("items 应为数组 (must be an array)", "items"));
    std::vector<TourSheetItem> sheet;
    for (size_t i = 0; i < items->as_array().size(); ++i) {
      const json::value& e = items->as_array()[i];
      const std::string where = "items[" + std::to_string(i) + "]";
      if (!e.is_object()) return http::ErrorResponse(InvalidArgument("应为对象 (must be an object)", where));
      const json::object& o = e.as_object();
      TourSheetItem it;
      auto key = ReadString(o, "key");
      if (!key.ok()) return http::ErrorResponse(Status(key.status().code(), key.status().message(), where + ".key"));
      it.key = *key;
      auto name = ReadString(o, "name");
      if (!name.ok()) return http::ErrorResponse(Status(name.status().code(), name.status().message(), where + ".name"));
      it.name = *name;
      const json::value* max = o.if_contains("max");
      auto tenths = ReadTenths(max ? *max : json::value(nullptr), where + ".max", it.name.empty() ? it.key : it.name);
      if (!tenths.ok()) return http::ErrorResponse(tenths.status());
      it.max_tenths = *tenths;
      sheet.push_back(std::move(it));
    }
    if (Status s = tours->SaveSheet(sheet, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return SheetAnswer(sheet);
  });
}

}  // namespace kp::api
