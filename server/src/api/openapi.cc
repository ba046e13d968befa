#include "api/openapi.h"

#include <boost/json.hpp>

#include "api/routes.h"

namespace kp::api {
namespace {

namespace json = boost::json;

constexpr const char* kOpenApiVersion = "3.1.0";
constexpr const char* kSessionCookie = "kp_session";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "get /api/projects/{id}/plans" → "getApiProjectsIdPlans"
std::string OperationId(const std::string& method, const std::string& pattern) {
  std::string id = Lower(method);
  bool upper = true;
  for (char c : pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

json::object Operation(const http::Router::Route& r) {
  json::object op;
  op["operationId"] = OperationId(r.method, r.pattern);
  op["summary"] = r.method + " " + r.pattern;
  json::array roles;
  std::string who;
  for (Role role : r.access.roles) {
    roles.emplace_back(RoleName(role));
    who += (who.empty() ? "" : ", ") + std::string(RoleName(role));
  }
  op["x-roles"] = r.access.is_public ? json::value(json::array{"public"}) : json::value(roles);
  op["description"] = r.access.is_public ? std::string("Public: no sign-in.") : "Roles: " + who + ".";
  json::array params;
  for (const std::string& seg : r.segments) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      params.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                    {"in", "path"},
                                    {"required", true},
                                    {"schema", json::object{{"type", "string"}}}});
    }
  }
  if (!r.access.is_public && r.method != "GET" && r.method != "HEAD") {
    params.push_back(json::object{{"name", "X-CSRF-Token"},
                                  {"in", "header"},
                                  {"required", true},
                                  {"description", "The csrf_token of the sign-in answer."},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  if (!params.empty()) op["parameters"] = std::move(params);
  op["security"] = r.access.is_public ? json::array{} : json::array{json::object{{"session", json::array{}}}};
  json::object responses;
  responses["2XX"] = json::object{{"description", "Success"}};
  if (!r.access.is_public) {
    responses["401"] = json::object{{"$ref", "#/components/responses/Error"}};
    responses["403"] = json::object{{"$ref", "#/components/responses/Error"}};
  }
  responses["default"] = json::object{{"$ref", "#/components/responses/Error"}};
  op["responses"] = std::move(responses);
  return op;
}

json::object Components() {
  json::object error_schema{
      {"type", "object"},
      {"required", json::array{"error"}},
      {"properties",
       json::object{{"error", json::object{{"type", "object"},
                                           {"required", json::array{"code", "message"}},
                                           {"properties", json::object{{"code", json::object{{"type", "string"}}},
                                                                       {"message", json::object{{"type", "string"}}},
                                                                       {"field", json::object{{"type", "string"}}}}}}}}}};
  return json::object{
      {"securitySchemes",
       json::object{{"session", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}}}},
      {"schemas", json::object{{"Error", error_schema}}},
      {"responses",
       json::object{{"Error", json::object{{"description", "An error: {\"error\":{\"code\",\"message\",\"field\"?}}"},
                                           {"content", json::object{{"application/json",
                                                                     json::object{{"schema", json::object{{"$ref",
                                                                                                           "#/components/schemas/Error"}}}}}}}}}}}};
}

}  // namespace

json::object OpenApiDocument(const http::Router& router) {
  json::object paths;
  for (const http::Router::Route& r : router.routes()) {
    json::value& item = paths[r.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[Lower(r.method)] = Operation(r);
  }
  return json::object{{"openapi", kOpenApiVersion},
                      {"info", json::object{{"title", "KeyProject 重点项目挂图作战平台 API"}, {"version", "1"}}},
                      {"paths", std::move(paths)},
                      {"components", Components()}};
}

void AddOpenApiRoute(http::Router& router) {
  router.Add("GET", "/api/openapi.json", http::Access::Public(),
             [&router](const http::Request&) { return Json(OpenApiDocument(router)); });
}

}  // namespace kp::api
