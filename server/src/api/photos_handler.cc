// Photo evidence: upload to a report, node, problem or visit of a project; list; the gallery by
// month; thumbnail and original; detach. Photos follow their project's scope (CanSee).
#include <charconv>

#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/photos.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr double kMicro = 1e6;
const Status kNoPhoto = NotFound("没有该照片 (no such photo)");

json::object ToJson(const Photo& p) {
  const std::string base = "/api/photos/" + std::to_string(p.id);
  json::value gps = nullptr;
  if (p.lat_e6 && p.lon_e6) gps = json::object{{"lat", *p.lat_e6 / kMicro}, {"lon", *p.lon_e6 / kMicro}};
  return {{"id", p.id},
          {"sha256", p.sha256},
          {"project_id", p.project_id},
          {"kind", PhotoKindName(p.kind)},
          {"ref", p.ref},
          {"caption", p.caption},
          {"mime", p.mime},
          {"width", p.width},
          {"height", p.height},
          {"bytes", p.bytes},
          {"taken_at", p.taken_at ? json::value(*p.taken_at) : json::value(nullptr)},
          {"gps", gps},
          {"uploaded_by", p.uploaded_by},
          {"uploaded_at", p.uploaded_at},
          {"url", base + "/original"},
          {"thumb", base + "/thumb"}};
}

json::array ToJson(const std::vector<Photo>& list) {
  json::array a;
  for (const Photo& p : list) a.push_back(ToJson(p));
  return a;
}

// The project of ?project_id=, if the user may see it.
Result<Project> QueryProject(const Request& req, Register& reg) {
  auto v = req.Query("project_id").value_or("");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || id <= 0) {
    return InvalidArgument("缺少或无效的项目编号 (project_id is required)", "project_id");
  }
  auto project = reg.GetProject(id);
  if (!project.ok()) return project.status();
  if (!req.user || !CanSee(*req.user, *project)) {
    return Status(ErrorCode::kPermissionDenied, "无权访问该项目 (this project is not in your scope)");
  }
  return project;
}

// The photo {id} of the path, if the user may see its project (else not found: another unit's
// photos are not even said to exist).
Result<Photo> LoadPhoto(const Request& req, Register& reg, Photos& photos) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto p = photos.Get(*id);
  if (!p.ok()) return p.status();
  auto project = reg.GetProject(p->project_id);
  if (!project.ok() || !req.user || !CanSee(*req.user, *project)) return kNoPhoto;
  return p;
}

Response Image(const Request& req, const Result<std::string>& bytes, const std::string& mime, const std::string& etag) {
  if (!bytes.ok()) return http::ErrorResponse(bytes.status());
  Response r;
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  r.headers.emplace_back("ETag", etag);
  if (req.Header("if-none-match") == etag) {
    r.status = 304;
    r.content_type = mime;
    return r;
  }
  r.content_type = mime;
  r.body = *bytes;
  return r;
}

}  // namespace

void AddPhotoRoutes(http::Router& router, Register& reg, Photos& photos) {
  const Access readers = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader, Role::kAuditor});
  const Access uploaders = Access::Roles({Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader});

  router.Add("POST", "/api/photos", uploaders, [&reg, &photos](const Request& req) {
    auto project = QueryProject(req, reg);
    if (!project.ok()) return http::ErrorResponse(project.status());
    auto kind = ParsePhotoKind(req.Query("kind").value_or(""));
    if (!kind) return http::ErrorResponse(InvalidArgument("kind 应为 report、node、problem 或 visit (kind: report|node|problem|visit)", "kind"));
    PhotoTarget t{project->id, *kind, req.Query("ref").value_or(""), req.Query("caption").value_or("")};
    auto added = photos.Add(t, req.Body(), ActorOf(req));
    if (!added.ok()) return http::ErrorResponse(added.status());
    json::object o = ToJson(added->photo);
    o["added"] = added->added;
    return Json(o, added->added ? 201 : 200);
  }, http::BodyKind::kFile);

  router.Add("GET", "/api/photos", readers, [&reg, &photos](const Request& req) {
    auto project = QueryProject(req, reg);
    if (!project.ok()) return http::ErrorResponse(project.status());
    std::optional<PhotoKind> kind;
    if (auto k = req.Query("kind"); k && !k->empty()) {
      kind = ParsePhotoKind(*k);
      if (!kind) return http::ErrorResponse(InvalidArgument("kind 应为 report、node、problem 或 visit (kind: report|node|problem|visit)", "kind"));
    }
    auto list = photos.List(project->id, kind, kind ? req.Query("ref").value_or("") : "");
    if (!list.ok()) return http::ErrorResponse(list.status());
    return Json(json::object{{"items", ToJson(*list)}});
  });

  router.Add("GET", "/api/photos/{id}/thumb", readers, [&reg, &photos](const Request& req) {
    auto p = LoadPhoto(req, reg, photos);
    if (!p.ok()) return http::ErrorResponse(p.status());
    return Image(req, photos.Thumb(*p), "image/jpeg", "\"t-" + p->sha256 + "\"");
  });

  router.Add("GET", "/api/photos/{id}/original", readers, [&reg, &photos](const Request& req) {
    auto p = LoadPhoto(req, reg, photos);
    if (!p.ok()) return http::ErrorResponse(p.status());
    Response r = Image(req, photos.Original(*p), p->mime, "\"" + p->sha256 + "\"");
    r.headers.emplace_back("Content-Disposition", "inline");
    return r;
  });

  router.Add("DELETE", "/api/photos/{id}", uploaders, [&reg, &photos](const Request& req) {
    auto p = LoadPhoto(req, reg, photos);
    if (!p.ok()) return http::ErrorResponse(p.status());
    if (req.user->role != Role::kAdmin && req.user->login != p->uploaded_by) {
      return http::ErrorResponse(
          Status(ErrorCode::kPermissionDenied, "只有发改局或上传人可以删除照片 (only the bureau or the uploader may remove a photo)"));
    }
    if (Status s = photos.Remove(*p, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"deleted", p->id}});
  });

  router.Add("GET", "/api/projects/{id}/gallery", readers, [&reg, &photos](const Request& req) {
    auto project = LoadProject(req, reg);
    if (!project.ok()) return http::ErrorResponse(project.status());
    auto months = photos.Gallery(project->id);
    if (!months.ok()) return http::ErrorResponse(months.status());
    json::array out;
    for (const GalleryMonth& m : *months) out.push_back(json::object{{"month", m.month}, {"items", ToJson(m.photos)}});
    return Json(json::object{{"project_id", project->id}, {"months", std::move(out)}});
  });

  router.Add("GET", "/api/photo-limits", readers, [&photos](const Request&) {
    auto l = photos.Limits();
    if (!l.ok()) return http::ErrorResponse(l.status());
    return Json(json::object{{"photo_max_bytes", l->max_bytes}, {"photo_max_per_item", l->max_per_item}});
  });

  router.Add("PUT", "/api/photo-limits", Access::Roles({Role::kAdmin}), [&photos](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto l = photos.Limits();
    if (!l.ok()) return http::ErrorResponse(l.status());
    if (body->contains("photo_max_bytes")) {
      auto v = ReadInt(*body, "photo_max_bytes", 1, 1LL << 40);
      if (!v.ok()) return http::ErrorResponse(v.status());
      l->max_bytes = *v;
    }
    if (body->contains("photo_max_per_item")) {
      auto v = ReadInt(*body, "photo_max_per_item", 1, 1'000'000);
      if (!v.ok()) return http::ErrorResponse(v.status());
      l->max_per_item = static_cast<int>(*v);
    }
    if (Status s = photos.SaveLimits(*l, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"photo_max_bytes", l->max_bytes}, {"photo_max_per_item", l->max_per_item}});
  });
}

}  // namespace kp::api
