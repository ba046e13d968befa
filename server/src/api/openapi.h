#pragma once
// GET /api/openapi.json: an OpenAPI 3.1 description generated from the router's route table, so
// it lists exactly the routes that are registered, each with the roles that may call it.
#include <boost/json/object.hpp>

#include "http/router.h"

namespace kp::api {

boost::json::object OpenApiDocument(const http::Router& router);
// Adds the public route GET /api/openapi.json; it describes the router as it is when called
// (REQUIRES: routes are not added while serving).
void AddOpenApiRoute(http::Router& router);

}  // namespace kp::api
