#include "store/reminder_store.h"

#include <boost/json.hpp>

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kInsertNotification =
    "INSERT INTO notifications (user_id, kind, dedupe, project_id, title, body, created_at) "
    "VALUES (:u, :k, :d, :p, :t, :b, :a) ON CONFLICT (user_id, dedupe) DO NOTHING";
constexpr const char* kSelectNotifications =
    "SELECT id, user_id, kind, dedupe, project_id, title, body, created_at, read_at FROM notifications WHERE user_id = :u";
constexpr const char* kCountUnread = "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND read_at IS NULL";
constexpr const char* kMarkRead = "UPDATE notifications SET read_at = :a WHERE user_id = :u AND id = :id AND read_at IS NULL";
constexpr const char* kMarkAllRead = "UPDATE notifications SET read_at = :a WHERE user_id = :u AND read_at IS NULL";
constexpr const char* kSelectWebhooks =
    "SELECT id, name, kind, url, secret, enabled, version, updated_at FROM webhooks ORDER BY id";
constexpr const char* kInsertWebhook =
    "INSERT INTO webhooks (name, kind, url, secret, enabled, version, updated_at) VALUES (:n, :k, :u, :s, :e, 1, :a) "
    "RETURNING id";
constexpr const char* kUpdateWebhook =
    "UPDATE webhooks SET name = :n, kind = :k, url = :u, secret = :s, enabled = :e, version = version + 1, "
    "updated_at = :a WHERE id = :id AND version = :v";
constexpr const char* kDeleteWebhook = "DELETE FROM webhooks WHERE id = :id";
constexpr const char* kInsertJob =
    "INSERT INTO jobs (kind, dedupe, target, payload, state, attempts, next_at, lease_until, last_error, created_at) "
    "VALUES (:k, :d, :t, :p, 'pending', 0, :n, 0, '', :a) ON CONFLICT (dedupe) DO NOTHING";
constexpr const char* kSelectDue =
    "SELECT id FROM jobs WHERE (state = 'pending' AND next_at <= :n1) OR (state = 'running' AND lease_until <= :n2) "
    "ORDER BY id LIMIT :l";
constexpr const char* kLeaseJob = "UPDATE jobs SET state = 'running', lease_until = :l, attempts = attempts + 1 WHERE id = :id";
constexpr const char* kJobColumns =
    "SELECT id, kind, dedupe, target, payload, state, attempts, next_at, lease_until, last_error, created_at, done_at "
    "FROM jobs";
constexpr const char* kJobDone = "UPDATE jobs SET state = 'done', done_at = :a, last_error = '' WHERE id = :id";
constexpr const char* kJobRetry =
    "UPDATE jobs SET state = :s, next_at = :n, lease_until = 0, last_error = :e WHERE id = :id";

std::vector<Job> SelectJobs(soci::session& sql, const std::string& tail) {
  std::vector<Job> out;
  Job j;
  long long id = 0, target = 0, next = 0, lease = 0;
  int attempts = 0;
  std::string done;
  soci::indicator ti = soci::i_ok, di = soci::i_ok;
  soci::statement st = (sql.prepare << std::string(kJobColumns) + tail, soci::into(id), soci::into(j.kind),
                        soci::into(j.dedupe), soci::into(target, ti), soci::into(j.payload), soci::into(j.state),
                        soci::into(attempts), soci::into(next), soci::into(lease), soci::into(j.last_error),
                        soci::into(j.created_at), soci::into(done, di));
  st.execute(false);
  while (st.fetch()) {
    j.id = id;
    j.target = ti == soci::i_ok ? std::optional<int64_t>(target) : std::nullopt;
    j.attempts = attempts;
    j.next_at = next;
    j.lease_until = lease;
    j.done_at = di == soci::i_ok ? done : "";
    out.push_back(j);
  }
  return out;
}

std::string WebhookSnapshot(const Webhook& w) {
  return boost::json::serialize(boost::json::object{{"name", w.name},
                                                    {"kind", w.kind},
                                                    {"url", w.url},
                                                    {"secret", w.secret.empty() ? "" : "******"},
                                                    {"enabled", w.enabled}});
}

}  // namespace

int InsertNotifications(soci::session& sql, const std::vector<Notification>& items) {
  int added = 0;
  for (const Notification& n : items) {
    long long user = n.user_id, pid = n.project_id.value_or(0);
    soci::indicator pi = n.project_id ? soci::i_ok : soci::i_null;
    soci::statement st = (sql.prepare << kInsertNotification, soci::use(user), soci::use(n.kind), soci::use(n.dedupe),
                          soci::use(pid, pi), soci::use(n.title), soci::use(n.body), soci::use(n.created_at));
    st.execute(true);
    added += static_cast<int>(st.get_affected_rows());
  }
  return added;
}

Result<int> ReminderStore::AddNotifications(const std::vector<Notification>& items) {
  int added = 0;
  Status s = db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    added = InsertNotifications(sql, items);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return added;
}

Result<std::vector<Notification>> ReminderStore::ListNotifications(int64_t user_id, bool unread_only, int limit) {
  std::vector<Notification> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    Notification n;
    long long id = 0, user = 0, pid = 0, uid = user_id;
    std::string read;
    soci::indicator pi = soci::i_ok, ri = soci::i_ok;
    std::string q = std::string(kSelectNotifications) + (unread_only ? " AND read_at IS NULL" : "") +
                    " ORDER BY id DESC LIMIT " + std::to_string(limit);
    soci::statement st = (sql.prepare << q, soci::use(uid), soci::into(id), soci::into(user), soci::into(n.kind),
                          soci::into(n.dedupe), soci::into(pid, pi), soci::into(n.title), soci::into(n.body),
                          soci::into(n.created_at), soci::into(read, ri));
    st.execute(false);
    while (st.fetch()) {
      n.id = id;
      n.user_id = user;
      n.project_id = pi == soci::i_ok ? std::optional<int64_t>(pid) : std::nullopt;
      n.read_at = ri == soci::i_ok ? std::optional<std::string>(read) : std::nullopt;
      out.push_back(n);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> ReminderStore::UnreadCount(int64_t user_id) {
  long long n = 0;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long uid = user_id;
    sql << kCountUnread, soci::use(uid), soci::into(n);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(n);
}

Status ReminderStore::MarkRead(int64_t user_id, std::optional<int64_t> id) {
  return db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    long long uid = user_id;
    std::string at = NowIso();
    if (id) {
      long long nid = *id;
      sql << kMarkRead, soci::use(at), soci::use(uid), soci::use(nid);
    } else {
      sql << kMarkAllRead, soci::use(at), soci::use(uid);
    }
    return Status::Ok();
  });
}

Result<std::vector<Webhook>> ReminderStore::ListWebhooks() {
  std::vector<Webhook> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    Webhook w;
    long long id = 0, enabled = 0, version = 0;
    soci::statement st = (sql.prepare << kSelectWebhooks, soci::into(id), soci::into(w.name), soci::into(w.kind),
                          soci::into(w.url), soci::into(w.secret), soci::into(enabled), soci::into(version),
                          soci::into(w.updated_at));
    st.execute(false);
    while (st.fetch()) {
      w.id = id;
      w.enabled = enabled != 0;
      w.version = static_cast<int>(version);
      out.push_back(w);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Webhook> ReminderStore::SaveWebhook(const Webhook& w, const Actor& by) {
  Webhook out = w;
  Status s = db_.Write([&](soci::session& sql, WriteScope& scope) -> Status {
    std::string at = NowIso();
    int enabled = w.enabled ? 1 : 0;
    if (w.id == 0) {
      long long id = 0;
      sql << kInsertWebhook, soci::use(w.name), soci::use(w.kind), soci::use(w.url), soci::use(w.secret),
          soci::use(enabled), soci::use(at), soci::into(id);
      out.id = id;
      out.version = 1;
      scope.Audit(by, "create", "webhook", std::to_string(id), std::nullopt, WebhookSnapshot(out));
    } else {
      long long id = w.id, ver = w.version;
      soci::statement st = (sql.prepare << kUpdateWebhook, soci::use(w.name), soci::use(w.kind), soci::use(w.url),
                            soci::use(w.secret), soci::use(enabled), soci::use(at), soci::use(id), soci::use(ver));
      st.execute(true);
      if (st.get_affected_rows() != 1) return Status(ErrorCode::kConflict, "机器人配置已被修改或不存在，请刷新 (the webhook changed)");
      out.version = w.version + 1;
      scope.Audit(by, "update", "webhook", std::to_string(id), std::nullopt, WebhookSnapshot(out));
    }
    out.updated_at = at;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status ReminderStore::DeleteWebhook(int64_t id, const Actor& by) {
  return db_.Write([&](soci::session& sql, WriteScope& scope) -> Status {
    long long wid = id;
    soci::statement st = (sql.prepare << kDeleteWebhook, soci::use(wid));
    st.execute(true);
    if (st.get_affected_rows() != 1) return NotFound("没有该机器人 (no such webhook)");
    scope.Audit(by, "delete", "webhook", std::to_string(id), std::nullopt, std::nullopt);
    return Status::Ok();
  });
}

Result<int> ReminderStore::Enqueue(const std::vector<Job>& jobs) {
  int added = 0;
  Status s = db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    std::string at = NowIso();
    for (const Job& j : jobs) {
      long long target = j.target.value_or(0), next = j.next_at;
      soci::indicator ti = j.target ? soci::i_ok : soci::i_null;
      soci::statement st = (sql.prepare << kInsertJob, soci::use(j.kind), soci::use(j.dedupe), soci::use(target, ti),
                            soci::use(j.payload), soci::use(next), soci::use(at));
      st.execute(true);
      added += static_cast<int>(st.get_affected_rows());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return added;
}

Result<std::vector<Job>> ReminderStore::ClaimDue(int64_t now, int lease_seconds, int limit) {
  std::vector<Job> out;
  Status s = db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    std::vector<long long> ids;
    {
      long long id = 0, n1 = now, n2 = now, l = limit;
      soci::statement st = (sql.prepare << kSelectDue, soci::use(n1), soci::use(n2), soci::use(l), soci::into(id));
      st.execute(false);
      while (st.fetch()) ids.push_back(id);
    }
    if (ids.empty()) return Status::Ok();
    std::string in;
    for (long long id : ids) {
      long long lease = now + lease_seconds, jid = id;
      sql << kLeaseJob, soci::use(lease), soci::use(jid);
      in += (in.empty() ? "" : ",") + std::to_string(id);
    }
    out = SelectJobs(sql, " WHERE id IN (" + in + ") ORDER BY id");
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status ReminderStore::FinishJob(int64_t id, bool ok, const std::string& error, int64_t next_at, bool give_up) {
  return db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    long long jid = id;
    if (ok) {
      std::string at = NowIso();
      sql << kJobDone, soci::use(at), soci::use(jid);
      return Status::Ok();
    }
    std::string state = give_up ? "failed" : "pending";
    long long next = next_at;
    sql << kJobRetry, soci::use(state), soci::use(next), soci::use(error), soci::use(jid);
    return Status::Ok();
  });
}

Result<std::vector<Job>> ReminderStore::ListJobs(int limit) {
  std::vector<Job> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectJobs(sql, " ORDER BY id DESC LIMIT " + std::to_string(limit));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
