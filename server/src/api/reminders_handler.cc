// Reminders: each user's bell, the admin's group robots and their delivery log, a manual run.
#include <charconv>

#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/reminders.h"

namespace kp::api {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object ToJson(const Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"project_id", n.project_id ? json::value(*n.project_id) : json::value(nullptr)},
          {"title", n.title},
          {"body", n.body},
          {"created_at", n.created_at},
          {"read", n.read_at.has_value()}};
}

json::object ToJson(const Webhook& w) {
  return {{"id", w.id},     {"name", w.name},     {"kind", w.kind},       {"url", w.url},
          {"signed", !w.secret.empty()}, {"enabled", w.enabled}, {"version", w.version}, {"updated_at", w.updated_at}};
}

json::object ToJson(const Job& j) {
  return {{"id", j.id},
          {"webhook_id", j.target ? json::value(*j.target) : json::value(nullptr)},
          {"state", j.state},
          {"attempts", j.attempts},
          {"next_at", j.next_at},
          {"last_error", j.last_error},
          {"created_at", j.created_at},
          {"done_at", j.done_at},
          {"dedupe", j.dedupe}};
}

}  // namespace

void AddReminderRoutes(http::Router& router, Reminders& reminders) {
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/notifications", Access::AnySignedIn(), [&reminders](const Request& req) {
    constexpr int kDefaultLimit = 50, kMaxLimit = 500;
    int limit = kDefaultLimit;
    if (auto v = req.Query("limit"); v && !v->empty()) {
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
      if (ec != std::errc() || p != v->data() + v->size() || limit < 1 || limit > kMaxLimit) {
        return http::ErrorResponse(InvalidArgument("limit 应为 1-500 (bad limit)", "limit"));
      }
    }
    const bool unread = req.Query("unread").value_or("") == "1";
    auto items = reminders.store().ListNotifications(req.user->id, unread, limit);
    if (!items.ok()) return http::ErrorResponse(items.status());
    auto count = reminders.store().UnreadCount(req.user->id);
    if (!count.ok()) return http::ErrorResponse(count.status());
    json::array a;
    for (const auto& n : *items) a.emplace_back(ToJson(n));
    return Json(json::object{{"unread", *count}, {"items", std::move(a)}});
  });
  router.Add("POST", "/api/notifications/{id}/read", Access::AnySignedIn(), [&reminders](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (Status s = reminders.store().MarkRead(req.user->id, *id); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"read", *id}});
  });
  router.Add("POST", "/api/notifications/read-all", Access::AnySignedIn(), [&reminders](const Request& req) {
    if (Status s = reminders.store().MarkRead(req.user->id, std::nullopt); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"read", "all"}});
  });

  router.Add("GET", "/api/webhooks", admin, [&reminders](const Request&) {
    auto hooks = reminders.store().ListWebhooks();
    if (!hooks.ok()) return http::ErrorResponse(hooks.status());
    json::array a;
    for (const auto& w : *hooks) a.emplace_back(ToJson(w));
    return Json(json::object{{"items", std::move(a)}});
  });
  auto save = [&reminders](const Request& req, int64_t id) {
    auto body = ParseObject(req.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    Webhook w;
    if (id != 0) {
      auto hooks = reminders.store().ListWebhooks();
      if (!hooks.ok()) return http::ErrorResponse(hooks.status());
      bool found = false;
      for (const auto& e : *hooks) {
        if (e.id == id) {
          w = e;
          found = true;
        }
      }
      if (!found) return http::ErrorResponse(NotFound("没有该机器人 (no such webhook)"));
      auto v = ReadInt(*body, "version", 1, 1'000'000'000);
      if (!v.ok()) return http::ErrorResponse(v.status());
      w.version = static_cast<int>(*v);
    }
    for (auto [field, into] : {std::pair{"name", &w.name}, std::pair{"kind", &w.kind}, std::pair{"url", &w.url},
                               std::pair{"secret", &w.secret}}) {
      if (!body->contains(field)) continue;
      auto v = ReadString(*body, field);
      if (!v.ok()) return http::ErrorResponse(v.status());
      *into = *v;
    }
    if (const auto* e = body->if_contains("enabled")) {
      if (!e->is_bool()) return http::ErrorResponse(InvalidArgument("enabled 应为 true/false (bad enabled)", "enabled"));
      w.enabled = e->as_bool();
    }
    if (Status s = ValidateWebhook(w); !s.ok()) return http::ErrorResponse(s);
    auto saved = reminders.store().SaveWebhook(w, ActorOf(req));
    if (!saved.ok()) return http::ErrorResponse(saved.status());
    return Json(ToJson(*saved), id == 0 ? 201 : 200);
  };
  router.Add("POST", "/api/webhooks", admin, [save](const Request& req) { return save(req, 0); });
  router.Add("PUT", "/api/webhooks/{id}", admin, [save](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    return save(req, *id);
  });
  router.Add("DELETE", "/api/webhooks/{id}", admin, [&reminders](const Request& req) {
    auto id = PathId(req);
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (Status s = reminders.store().DeleteWebhook(*id, ActorOf(req)); !s.ok()) return http::ErrorResponse(s);
    return Json(json::object{{"deleted", *id}});
  });
  router.Add("GET", "/api/webhooks/deliveries", admin, [&reminders](const Request&) {
    constexpr int kShown = 200;
    auto jobs = reminders.store().ListJobs(kShown);
    if (!jobs.ok()) return http::ErrorResponse(jobs.status());
    json::array a;
    for (const auto& j : *jobs) a.emplace_back(ToJson(j));
    return Json(json::object{{"items", std::move(a)}});
  });
  router.Add("POST", "/api/reminders/run", admin, [&reminders](const Request& req) {
    Date as_of = TodayBeijing();
    if (auto v = req.Query("as_of"); v && !v->empty()) {
      auto d = ParseDate(*v);
      if (!d.ok() || !IsValidDate(*d)) return http::ErrorResponse(InvalidArgument("as_of 应为日期 (bad as_of)", "as_of"));
      as_of = *d;
    }
    auto run = reminders.Run(as_of);
    if (!run.ok()) return http::ErrorResponse(run.status());
    return Json(json::object{{"as_of", run->as_of.ToString()},
                             {"reminders", run->reminders},
                             {"notifications", run->notifications},
                             {"jobs", run->jobs}});
  });
}

}  // namespace kp::api
