#pragma once
// Reminders (挂图作战 §7): a daily run makes each user's bell — nodes due within the window,
// nodes overdue, its projects' reports due soon or missing, projects turned red — once per
// reminder per day, and queues one digest per group robot (WeCom, DingTalk, Feishu) in the job
// queue kept in the database; SendDue posts what is due, retrying with backoff, never twice.
// Thread-safety: every method may be called concurrently (the store serialises; dedupe keys make
// two servers' runs of the same day one).
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "domain/milestones.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "domain/webhooks.h"
#include "store/reminder_store.h"

namespace kp {

struct ReminderRun {
  Date as_of;
  int reminders = 0;      // things to remind of (before fanning out to users)
  int notifications = 0;  // new bell entries
  int jobs = 0;           // new robot messages queued
  EscalationRun escalation;  // problems moved up a 督办 level (when problems are wired)
};

struct SendResult {
  int sent = 0;
  int retried = 0;
  int failed = 0;  // given up after the last attempt
};

class Reminders {
 public:
  static constexpr int kMaxAttempts = 8;
  static constexpr int kLeaseSeconds = 300;  // longer than a batch of sends (20 × 10 s timeouts)
  static constexpr int64_t kMaxBackoffSeconds = 3600;

  Reminders(store::Store& store, Register& reg, Milestones& ms)
      : reminders_(store.db()), store_(store), reg_(reg), ms_(ms) {}

  // The daily run also escalates overdue problems (Problems::Escalate) when given.
  void SetProblems(Problems* problems) { problems_ = problems; }
  // Makes the day's reminders as of a date. Projects counted: those with a plan in the date's year.
  Result<ReminderRun> Run(const Date& as_of);
  // Posts the queued messages that are due at `now` (unix seconds). A failure is retried after
  // backoff_seconds × 2^(attempt−1) (at most an hour); after kMaxAttempts it is given up.
  Result<SendResult> SendDue(int64_t now, WebhookSender& sender, int64_t backoff_seconds = 30);

  store::ReminderStore& store() { return reminders_; }
  // The hour (Beijing, 0-23) of the daily run: the reminder_hour setting.
  Result<int> DailyHour();

 private:
  store::ReminderStore reminders_;
  store::Store& store_;
  Register& reg_;
  Milestones& ms_;
  Problems* problems_ = nullptr;
};

// The server's background reminders: once a day from the reminder hour (Beijing time), Run(today); every
// `poll` seconds, SendDue. Started and stopped by `serve`.
// Whether the daily run is due at `now` (unix seconds): not yet run on today's Beijing date (`ran`)
// and the Beijing hour is `hour` or later.
bool DailyRunDue(int64_t now, int hour, const std::optional<Date>& ran);

class ReminderScheduler {
 public:
  // hour: the daily run's hour; none reads the reminder_hour setting at every poll.
  explicit ReminderScheduler(Reminders& reminders, std::optional<int> hour = std::nullopt, int poll_seconds = 15)
      : reminders_(reminders), hour_(hour), poll_seconds_(poll_seconds) {}
  ~ReminderScheduler() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  Reminders& reminders_;
  std::optional<int> hour_;
  int poll_seconds_;
  std::unique_ptr<WebhookSender> sender_;  // made on the scheduler's thread, when first needed
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::optional<Date> ran_;
  std::thread thread_;
};

}  // namespace kp
