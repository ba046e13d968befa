#pragma once
// SQL of reminders: users' notifications, webhooks, and the job queue (outbound messages), over
// the store's shared connection (db.h). Thread-safety: as the Store.
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace soci {
class session;
}

namespace kp::store {

class Db;

// Inserts the notifications not already there, inside a write transaction another store slice holds
// (a problem's escalation, a leader's instruction): the bell rings only if the write commits.
int InsertNotifications(soci::session& sql, const std::vector<Notification>& items);

class ReminderStore {
 public:
  explicit ReminderStore(Db& db) : db_(db) {}

  // Inserts the notifications not already there (same user and dedupe key); returns how many are new.
  Result<int> AddNotifications(const std::vector<Notification>& items);
  // A user's notifications, newest first.
  Result<std::vector<Notification>> ListNotifications(int64_t user_id, bool unread_only, int limit);
  Result<int64_t> UnreadCount(int64_t user_id);
  // Marks one of the user's notifications (or all, without id) read.
  Status MarkRead(int64_t user_id, std::optional<int64_t> id);

  Result<std::vector<Webhook>> ListWebhooks();
  // id 0 creates; else replaces at the version read (kConflict when it moved). Audited, secret masked.
  Result<Webhook> SaveWebhook(const Webhook& w, const Actor& by);
  Status DeleteWebhook(int64_t id, const Actor& by);

  // Queues jobs; one whose dedupe key was queued before is left out. Returns how many are new.
  Result<int> Enqueue(const std::vector<Job>& jobs);
  // Claims up to `limit` due jobs — pending with next_at ≤ now, or running with a lease that expired
  // (its process died mid-send) — leasing them for lease_seconds, in one transaction.
  Result<std::vector<Job>> ClaimDue(int64_t now, int lease_seconds, int limit);
  // Records an attempt: done, or pending again at next_at, or failed for good.
  Status FinishJob(int64_t id, bool ok, const std::string& error, int64_t next_at, bool give_up);
  Result<std::vector<Job>> ListJobs(int limit);

 private:
  Db& db_;
};

}  // namespace kp::store
