#pragma once
// Wires every API endpoint into the router. Handlers parse, call the domain, and answer.
#include "domain/register.h"
#include "http/router.h"

namespace kp::api {

void AddProjectRoutes(http::Router& router, Register& reg);
void AddStatsRoutes(http::Router& router, Register& reg);
void AddSystemRoutes(http::Router& router, Register& reg);
inline void AddAllRoutes(http::Router& router, Register& reg) {
  AddProjectRoutes(router, reg);
  AddStatsRoutes(router, reg);
  AddSystemRoutes(router, reg);
}

// Who is acting, for trails: the signed-in user once sign-in exists.
std::string Actor(const http::Request& req);
http::Response Json(const boost::json::value& v, int status = 200);
Result<int64_t> PathId(const http::Request& req, const char* name = "id");

}  // namespace kp::api
