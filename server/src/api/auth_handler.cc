#include <charconv>

#include "api/json_codec.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "common/text.h"
#include "domain/admin_guard.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr const char* kCookie = "kp_session";
constexpr size_t kMaxUserTextBytes = 200;

// A user's region, when given, must exist (else the database refuses it as an internal error).
Status CheckUserRegion(Register& reg, const NewUser& n) {
  if (!n.region_id) return Status::Ok();
  auto regions = reg.Regions();
  if (!regions.ok()) return regions.status();
  for (const Region& r : *regions) {
    if (r.id != *n.region_id) continue;
    if (r.retired()) return InvalidArgument("地区「" + r.name + "」已停用 (the region is retired)", "region_id");
    return Status::Ok();
  }
  return InvalidArgument("地区不存在 (no such region)", "region_id");
}

json::object UserJson(const User& u) {
  return json::object{{"id", u.id},
                      {"login", u.login},
                      {"display_name", u.display_name},
                      {"role", RoleName(u.role)},
                      {"unit", u.unit},
                      {"region_id", u.region_id ? json::value(*u.region_id) : json::value(nullptr)},
                      {"must_change_password", u.must_change_password},
                      {"disabled", u.disabled},
                      {"locked_until", u.locked_until > 0 ? json::value(u.locked_until) : json::value(nullptr)},
                      {"created_at", u.created_at}};
}

std::string CookieAttributes(const Request& req) {
  std::string a = "; Path=/; HttpOnly; SameSite=Strict";
  if (req.Header("x-forwarded-proto") == "https") a += "; Secure";
  return a;
}

Status Denied(const std::string& why) { return {ErrorCode::kPermissionDenied, why}; }

// "application/json", with or without parameters (charset), in any case.
bool IsJsonContentType(std::string v) {
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t semi = v.find(';');
  std::string type(Trim(semi == std::string::npos ? std::string_view(v) : std::string_view(v).substr(0, semi)));
  return type == "application/json";
}

Result<NewUser> ReadNewUser(const json::object& o, bool creating) {
  NewUser n;
  for (auto [field, target] : {std::pair<const char*, std::string*>{"login", &n.login},
                               {"display_name", &n.display_name},
                               {"unit", &n.unit},
                               {"password", &n.password}}) {
    auto v = ReadString(o, field);
    if (!v.ok()) return v.status();
    if (target != &n.password) {
      if (std::string why = TextProblem(*v, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, field);
      if (v->size() > kMaxUserTextBytes) return InvalidArgument(std::string(field) + " 过长 (too long)", field);
    }
    *target = *v;
  }
  auto role = ReadString(o, "role");
  if (!role.ok()) return role.status();
  auto r = ParseRole(*role);
  if (!r) {
    return InvalidArgument("角色应为 admin/department/owner/leader/bank/auditor 之一 (unknown role)", "role");
  }
  n.role = *r;
  if (o.contains("region_id") && !o.at("region_id").is_null()) {
    auto id = ReadInt(o, "region_id");
    if (!id.ok()) return id.status();
    n.region_id = *id;
  }
  (void)creating;
  return n;
}

}  // namespace

store::AuditQuery AuditQueryOf(const Request& req) {
  store::AuditQuery q;
  auto get = [&](const char* k) { return req.Query(k).value_or(""); };
  q.actor = get("user");
  q.action = get("action");
  q.entity = get("entity");
  q.entity_id = get("entity_id");
  q.from = get("from");
  q.to = get("to");
  return q;
}

Actor ActorOf(const Request& req) { return Actor(req.user ? req.user->login : "anonymous", req.remote); }

void AddAuthMiddleware(http::Router& router, AuthService& auth) {
  // Before any body is read: the same sign-in, role and CSRF checks on the request head alone.
  router.SetGate([&auth](const Request& head) -> Status {
    if (head.access.is_public) return Status::Ok();
    auto session = auth.Authenticate(head.Cookie(kCookie));
    if (!session) return {ErrorCode::kUnauthenticated, "请先登录 (sign in first)"};
    if (!head.access.Allows(session->user.role)) return Denied("无权访问 (your role may not do this)");
    if (head.method != "GET" && head.method != "HEAD" && head.Header("x-csrf-token") != session->csrf) {
      return Denied("缺少或错误的 CSRF 令牌 (missing or wrong X-CSRF-Token)");
    }
    return Status::Ok();
  });
  router.Use([&auth](Request& req, const http::Handler& next) {
    req.session_token = req.Cookie(kCookie);
    const bool write = req.method != "GET" && req.method != "HEAD";
    // (Not for a path or method no route takes: the router answers those 404/405.)
    if (req.access.is_public && write && req.route != "unmatched" && !IsJsonContentType(req.Header("content-type"))) {
      // A public write (sign-in) takes JSON only: a form or text/plain body, which another site can
      // send without asking (no CORS preflight), could sign a victim into someone else's account.
      return http::ErrorResponse(
          InvalidArgument("请求须为 JSON (Content-Type: application/json required)", "content-type"));
    }
    if (req.access.is_public) {
      if (auto s = auth.Authenticate(req.session_token)) req.user = s->user;
      return next(req);
    }
    auto session = auth.Authenticate(req.session_token);
    if (!session) {
      return http::ErrorResponse({ErrorCode::kUnauthenticated, "请先登录，或登录已超时 (sign in first; sessions end after 30 idle minutes)"});
    }
    req.user = session->user;
    if (session->user.must_change_password && !req.access.before_password_change) {
      return http::ErrorResponse(
          {ErrorCode::kPasswordChangeRequired, "首次登录须先修改密码 (change your first password before going on)"});
    }
    if (!req.access.Allows(session->user.role)) {
      return http::ErrorResponse(Denied("无权访问 (your role may not do this)"));
    }
    if (write && req.Header("x-csrf-token") != session->csrf) {
      return http::ErrorResponse(Denied("缺少或错误的 CSRF 令牌 (missing or wrong X-CSRF-Token)"));
    }
    return next(req);
  });
}

void AddAuthRoutes(http::Router& router, AuthService& auth, Register& reg) {
  router.Add("POST", "/api/auth/login", Access::Public().Slow(), [&auth](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto login = ReadString(*body, "login");
    auto password = body->contains("password") && body->at("password").is_string()
                        ? std::string(body->at("password").as_string())
                        : std::string();
    if (!login.ok()) return http::ErrorResponse(login.status());
    if (login->empty()) return http::ErrorResponse(InvalidArgument("请输入登录名 (login is required)", "login"));
    auto s = auth.Login(*login, password, req.remote);
    if (!s.ok()) return http::ErrorResponse(s.status());
    Response res = Json(json::object{{"user", UserJson(s->user)}, {"csrf_token", s->csrf}});
    res.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + s->token + CookieAttributes(req));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  });
  router.Add("GET", "/api/auth/me", Access::AnySignedIn(true), [&auth](const Request& req) {
    auto s = auth.Authenticate(req.session_token);
    if (!s) return http::ErrorResponse({ErrorCode::kUnauthenticated, "请先登录 (sign in first)"});
    return Json(json::object{{"user", UserJson(s->user)}, {"csrf_token", s->csrf}});
  });
  router.Add("POST", "/api/auth/logout", Access::AnySignedIn(true), [&auth](const Request& req) {
    auth.Logout(req.session_token, req.remote);
    Response res = Json(json::object{{"signed_out", true}});
    res.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=; Max-Age=0" + CookieAttributes(req));
    return res;
  });
  router.Add("POST", "/api/auth/password", Access::AnySignedIn(true).Slow(), [&auth](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto str = [&](const char* k) {
      const json::value* v = body->if_contains(k);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    Status s = auth.ChangePassword(req.session_token, str("old_password"), str("new_password"), req.remote);
    if (!s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"changed", true}});
  });

  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/users", admin, [&reg](const Request&) {
    auto users = reg.store().ListUsers();
    if (!users.ok()) return http::ErrorResponse(users.status());
    json::array a;
    for (const User& u : *users) a.emplace_back(UserJson(u));
    return Json(json::object{{"items", std::move(a)}});
  });
  router.Add("POST", "/api/users", admin.Slow(), [&auth, &reg](const Request& req) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto n = ReadNewUser(*body, true);
    if (!n.ok()) return http::ErrorResponse(n.status());
    if (Status s = CheckUserRegion(reg, *n); !s.ok()) return http::ErrorResponse(s);
    auto u = auth.CreateUser(*n, ActorOf(req));
    if (!u.ok()) return http::ErrorResponse(u.status());
    return Json(UserJson(*u), 201);
  });
  router.Add("PUT", "/api/users/{id}", admin.Slow(), [&auth, &reg](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto current = reg.store().GetUser(*id);
    if (!current.ok()) return http::ErrorResponse(current.status());
    json::object merged = *body;
    if (!merged.contains("role")) merged["role"] = RoleName(current->role);
    if (!merged.contains("unit")) merged["unit"] = current->unit;
    if (!merged.contains("region_id")) {
      merged["region_id"] = current->region_id ? json::value(*current->region_id) : json::value(nullptr);
    }
    auto n = ReadNewUser(merged, false);
    if (!n.ok()) return http::ErrorResponse(n.status());
    if (Status s = CheckUserRegion(reg, *n); !s.ok()) return http::ErrorResponse(s);
    std::optional<bool> disabled;
    if (body->contains("disabled")) {
      if (!body->at("disabled").is_bool()) {
        return http::ErrorResponse(InvalidArgument("disabled 应为 true/false (expected a boolean)", "disabled"));
      }
      disabled = body->at("disabled").as_bool();
      if (*disabled && req.user && req.user->id == *id) {
        return http::ErrorResponse(InvalidArgument("不能停用自己的账户 (you cannot disable yourself)", "disabled"));
      }
    }
    auto all = reg.store().ListUsers();
    if (!all.ok()) return http::ErrorResponse(all.status());
    if (Status keeps = KeepsAnEnabledAdmin(*all, *id, n->role, disabled.value_or(current->disabled)); !keeps.ok()) {
      return http::ErrorResponse(keeps);
    }
    auto u = auth.UpdateUser(*id, *n, disabled, ActorOf(req));
    if (!u.ok()) return http::ErrorResponse(u.status());
    return Json(UserJson(*u));
  });
  router.Add("GET", "/api/audit", Access::Roles({Role::kAdmin, Role::kAuditor}), [&reg](const Request& req) {
    store::AuditQuery q = AuditQueryOf(req);
    auto get = [&](const char* k) { return req.Query(k).value_or(""); };
    for (auto [key, target, hi] : {std::tuple<const char*, int*, int>{"page", &q.page, 1'000'000},
                                   {"page_size", &q.page_size, 500}}) {
      std::string v = get(key);
      if (v.empty()) continue;
      int x = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || p != v.data() + v.size() || x < 1 || x > hi) {
        return http::ErrorResponse(InvalidArgument(std::string(key) + " 超出范围 (out of range)", key));
      }
      *target = x;
    }
    auto page = reg.store().ListAudit(q);
    if (!page.ok()) return http::ErrorResponse(page.status());
    json::array a;
    auto parsed = [](const std::optional<std::string>& s) -> json::value {
      if (!s) return nullptr;
      boost::system::error_code ec;
      json::value v = json::parse(*s, ec);
      return ec ? json::value(*s) : v;
    };
    for (const AuditEntry& e : page->items) {
      a.emplace_back(json::object{{"id", e.id},
                                  {"at", e.at},
                                  {"user", e.actor},
                                  {"ip", e.ip},
                                  {"action", e.action},
                                  {"entity", e.entity},
                                  {"entity_id", e.entity_id},
                                  {"before", parsed(e.before_json)},
                                  {"after", parsed(e.after_json)}});
    }
    return Json(json::object{{"items", std::move(a)}, {"total", page->total}, {"page", q.page}, {"page_size", q.page_size}});
  });
}

}  // namespace kp::api
