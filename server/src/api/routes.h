#pragma once
// Wires every API endpoint into the router, each with the roles that may call it.
// Handlers parse, call the domain, and answer.
#include <boost/json/value.hpp>
#include <functional>
#include <string>

#include "domain/auth.h"
#include "domain/financing.h"
#include "domain/milestones.h"
#include "domain/problems.h"
#include "domain/supervision.h"
#include "domain/photos.h"
#include "domain/reminders.h"
#include "domain/register.h"
#include "http/router.h"

namespace kp::api {

// Sign-in middleware (session cookie, idle timeout, first-password change, roles, CSRF on writes).
void AddAuthMiddleware(http::Router& router, AuthService& auth);
void AddAuthRoutes(http::Router& router, AuthService& auth, Register& reg);
void AddProjectRoutes(http::Router& router, Register& reg, Milestones& milestones);
void AddStatsRoutes(http::Router& router, Register& reg);
void AddSystemRoutes(http::Router& router, Register& reg);
void AddDocumentRoutes(http::Router& router, Register& reg, Milestones& milestones);
void AddMilestoneRoutes(http::Router& router, Register& reg, Milestones& milestones);
void AddReminderRoutes(http::Router& router, Reminders& reminders);
void AddProblemRoutes(http::Router& router, Register& reg, Problems& problems);
void AddVisitRoutes(http::Router& router, Register& reg, Supervision& supervision);
void AddFinancingRoutes(http::Router& router, Register& reg, Financing& financing);
void AddPhotoRoutes(http::Router& router, Register& reg, Photos& photos, Problems& problems);
void AddInstructionRoutes(http::Router& router, Register& reg);
void AddAssessmentRoutes(http::Router& router, Register& reg, Milestones& milestones, Problems& problems);
void AddLeaderRoutes(http::Router& router, Register& reg, Milestones& milestones, Problems& problems,
                     Financing& financing, Photos& photos);
void AddLeadRoutes(http::Router& router, Register& reg);  // 产业招商: /api/leads, /api/carriers
void AddTourRoutes(http::Router& router, Register& reg);  // 拉练: /api/tours, /api/tour-sheet
void AddReportRoutes(http::Router& router, Register& reg, Milestones& milestones, Problems& problems,
                     Supervision& supervision, Financing& financing);
inline void AddAllRoutes(http::Router& router, Register& reg, AuthService& auth, Milestones& milestones,
                         Reminders& reminders, Problems& problems, Supervision& supervision, Photos& photos,
                         Financing& financing) {
  AddAuthMiddleware(router, auth);
  AddAuthRoutes(router, auth, reg);
  AddProjectRoutes(router, reg, milestones);
  AddStatsRoutes(router, reg);
  AddSystemRoutes(router, reg);
  AddProblemRoutes(router, reg, problems);  // before the documents' /api/import/{kind}/errors
  AddFinancingRoutes(router, reg, financing);  // likewise
  AddDocumentRoutes(router, reg, milestones);
  AddMilestoneRoutes(router, reg, milestones);
  AddReminderRoutes(router, reminders);
  AddVisitRoutes(router, reg, supervision);
  AddPhotoRoutes(router, reg, photos, problems);
  AddInstructionRoutes(router, reg);
  AddAssessmentRoutes(router, reg, milestones, problems);
  AddLeaderRoutes(router, reg, milestones, problems, financing, photos);
  AddLeadRoutes(router, reg);
  AddTourRoutes(router, reg);
  AddReportRoutes(router, reg, milestones, problems, supervision, financing);
}

// Who is acting, for trails: the signed-in user and the peer address.
Actor ActorOf(const http::Request& req);
http::Response Json(const boost::json::value& v, int status = 200);
// Runs write(path) into a temporary file and answers it as an .xlsx download named `filename`.
http::Response Download(const std::string& filename, const std::function<Status(const std::string&)>& write);
Result<int64_t> PathId(const http::Request& req, const char* name = "id");
// A project list question from the query string, narrowed to what the user may see.
Result<store::ProjectQuery> ProjectQueryOf(const http::Request& req, Register& reg);
// ?colour=red|yellow|green[&as_of=]: narrows a project query to the projects of that warning colour, as the
// engine colours them (the list and its export take the same projects).
Status NarrowToColour(const http::Request& req, Register& reg, Milestones& milestones, store::ProjectQuery& q);
// Narrows a project query to what the signed-in user may see (a department's unit, an owner's name).
void ScopeToUser(const http::Request& req, store::ProjectQuery& q);
// The project {id} of the path, if the user may see it (CanSee) and, given `check`, pass it
// (CanEdit, CanReport); else not found or permission denied.
Result<Project> LoadProject(const http::Request& req, Register& reg,
                            bool (*check)(const User&, const Project&) = nullptr);
// The reporting status of ?month=YYYY-MM within the user's scope.
Result<ReportingStatus> ReportingOf(const http::Request& req, Register& reg);
// The audit filters of the query string (user, action, entity, entity_id, from, to).
store::AuditQuery AuditQueryOf(const http::Request& req);
// A statistics question from the query string, with the bureau's settings as defaults.
Result<stats::StatsQuery> StatsQueryOf(const http::Request& req, Register& reg);

// Record-level rules on top of the route's roles: a department sees the projects of its unit, an
// owner those it owns; the bureau, leaders and auditors see all.
bool CanSee(const User& u, const Project& p);
bool CanEdit(const User& u, const Project& p);    // project fields and plans
bool CanReport(const User& u, const Project& p);  // monthly reports

}  // namespace kp::api
