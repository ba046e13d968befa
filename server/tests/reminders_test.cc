// The job queue kept in the database: queued once per dedupe key, leased so a process that dies
// mid-send leaves its job to be taken again, retried with doubling backoff, given up at last.
#include "domain/reminders.h"

#include <gtest/gtest.h>

#include "store/reminder_store.h"
#include "test_db.h"

namespace kp {
namespace {

class ReminderQueueTest : public testing::DbTest {};

Job Message(const std::string& key, int64_t target, int64_t at) {
  Job j;
  j.kind = "webhook";
  j.dedupe = key;
  j.target = target;
  j.payload = R"({"title":"t","markdown":"m"})";
  j.next_at = at;
  return j;
}

TEST_P(ReminderQueueTest, AJobIsQueuedOnceAndALeaseOutlivesADeadSender) {
  store::ReminderStore q(store_->db());
  constexpr int64_t kNow = 1'700'000'000;
  EXPECT_EQ(*q.Enqueue({Message("digest|1|2024-03-28", 1, kNow), Message("digest|1|2024-03-28", 1, kNow)}), 1);
  EXPECT_EQ(*q.Enqueue({Message("digest|1|2024-03-28", 1, kNow)}), 0) << "the same message is never queued twice";
  EXPECT_TRUE(q.ClaimDue(kNow - 1, 300, 10)->empty()) << "not due yet";
  auto first = q.ClaimDue(kNow, 300, 10);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].attempts, 1);
  EXPECT_TRUE(q.ClaimDue(kNow + 299, 300, 10)->empty()) << "leased: another server does not send it too";
  // The sender died without finishing: once the lease runs out the job is taken again.
  auto again = q.ClaimDue(kNow + 300, 300, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
  ASSERT_TRUE(q.FinishJob((*again)[0].id, true, "", 0, false).ok());
  EXPECT_TRUE(q.ClaimDue(kNow + 100000, 300, 10)->empty()) << "done is done";
  EXPECT_EQ(q.ListJobs(10)->at(0).state, "done");
}

class FailingSender final : public WebhookSender {
 public:
  Status Post(const std::string& url, const std::string& body) override {
    ++posts;
    last_url = url;
    return {ErrorCode::kUnavailable, "HTTP 500"};
  }
  int posts = 0;
  std::string last_url;
};

TEST_P(ReminderQueueTest, FailuresBackOffDoublingAndAreGivenUpAtLast) {
  Milestones ms(*store_, *reg_);
  Reminders reminders(*store_, *reg_, ms);
  Webhook w;
  w.name = "群";
  w.kind = "dingtalk";
  w.url = "http://127.0.0.1:9/robot?access_token=x";
  w.secret = "S";
  auto saved = reminders.store().SaveWebhook(w, "test");
  ASSERT_TRUE(saved.ok());
  constexpr int64_t kNow = 1'700'000'000, kBase = 10;
  ASSERT_EQ(*reminders.store().Enqueue({Message("m", saved->id, kNow)}), 1);
  FailingSender sender;
  int64_t now = kNow;
  std::vector<int64_t> waits;
  for (int attempt = 1; attempt <= Reminders::kMaxAttempts; ++attempt) {
    auto r = reminders.SendDue(now, sender, kBase);
    ASSERT_TRUE(r.ok());
    const Job j = reminders.store().ListJobs(1)->at(0);
    EXPECT_EQ(j.attempts, attempt);
    if (attempt < Reminders::kMaxAttempts) {
      EXPECT_EQ(r->retried, 1);
      EXPECT_EQ(j.state, "pending");
      waits.push_back(j.next_at - now);
      EXPECT_TRUE(reminders.SendDue(j.next_at - 1, sender, kBase)->retried == 0) << "not before its time";
      now = j.next_at;
    } else {
      EXPECT_EQ(r->failed, 1);
      EXPECT_EQ(j.state, "failed");
      EXPECT_EQ(j.last_error, "HTTP 500");
    }
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{10, 20, 40, 80, 160, 320, 640}));
  EXPECT_EQ(sender.posts, Reminders::kMaxAttempts);
  EXPECT_NE(sender.last_url.find("&timestamp="), std::string::npos);
  EXPECT_NE(sender.last_url.find("&sign="), std::string::npos);
}

// A robot edited twice in a row from the version each save answered: the second edit must not be
// refused as stale, and an edit from an older version is (nothing written).
TEST_P(ReminderQueueTest, ARobotSavedTwiceFromTheAnsweredVersionKeepsItsVersionsInStep) {
  store::ReminderStore q(store_->db());
  Webhook w;
  w.name = "项目群";
  w.kind = "wecom";
  w.url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k";
  auto created = q.SaveWebhook(w, "test");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->version, 1);
  Webhook edit = *created;
  edit.name = "项目群（改）";
  auto first = q.SaveWebhook(edit, "test");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->version, 2);
  Webhook again = *first;
  again.enabled = false;
  auto second = q.SaveWebhook(again, "test");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->version, 3);
  auto stale = q.SaveWebhook(*first, "test");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  auto listed = q.ListWebhooks();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).version, 3);
  EXPECT_EQ(listed->at(0).name, "项目群（改）");
  EXPECT_FALSE(listed->at(0).enabled) << "the stale edit (enabled) wrote nothing";
}

TEST(WebhookMessages, EachRobotGetsItsOwnMarkdownAndSignature) {
  Webhook w;
  w.url = "https://oapi.dingtalk.com/robot/send?access_token=t";
  w.kind = "dingtalk";
  w.secret = "SEC000";
  auto m = FormatWebhookMessage(w, "标题", "正文", 1700000000123);
  // Known answer: base64(HMAC-SHA256("SEC000", "1700000000123\nSEC000")), URL-encoded.
  EXPECT_EQ(m.url, "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000123&sign=" +
                       std::string("sfIVrdfmjPzssgIjwXIb%2BNnWxgSLBOPLKTaeh8eheC0%3D"));
  EXPECT_NE(m.body.find(R"("msgtype":"markdown")"), std::string::npos);
  w.kind = "wecom";
  w.secret.clear();
  m = FormatWebhookMessage(w, "标题", "正文", 0);
  EXPECT_EQ(m.body, R"({"msgtype":"markdown","markdown":{"content":"### 标题\n正文"}})");
  w.kind = "feishu";
  w.secret = "S";
  m = FormatWebhookMessage(w, "标题", "正文", 1700000000999);
  EXPECT_NE(m.body.find(R"("timestamp":"1700000000")"), std::string::npos);
  EXPECT_NE(m.body.find(R"("sign":")" + FeishuSign(1700000000, "S") + "\""), std::string::npos);
  EXPECT_NE(m.body.find(R"("tag":"markdown","content":"正文")"), std::string::npos);
}

// The daily run: from the reminder hour on (Beijing time, UTC+8), once per Beijing date.
TEST(ReminderSchedule, RunsOncePerBeijingDayFromTheHourSet) {
  // 2024-03-31 00:00:00 UTC is 08:00 in Beijing on 2024-03-31.
  constexpr int64_t kMarch31Utc = 1711843200;
  constexpr int64_t kMinute = 60, kHour = 3600;
  EXPECT_FALSE(DailyRunDue(kMarch31Utc - kMinute, 8, std::nullopt));  // 07:59
  EXPECT_TRUE(DailyRunDue(kMarch31Utc, 8, std::nullopt));             // 08:00
  EXPECT_FALSE(DailyRunDue(kMarch31Utc, 8, Date{2024, 3, 31}));       // already ran today
  EXPECT_TRUE(DailyRunDue(kMarch31Utc, 8, Date{2024, 3, 30}));        // ran yesterday
  EXPECT_FALSE(DailyRunDue(kMarch31Utc, 9, std::nullopt));            // another hour set
  // Hour 0: just after midnight in Beijing, which is still the day before in UTC.
  const int64_t beijing_midnight = kMarch31Utc - 8 * kHour;
  EXPECT_TRUE(DailyRunDue(beijing_midnight, 0, Date{2024, 3, 30}));
  EXPECT_FALSE(DailyRunDue(beijing_midnight - 1, 0, Date{2024, 3, 30}));  // 23:59:59 on the 30th
  EXPECT_FALSE(DailyRunDue(beijing_midnight + 23 * kHour - 1, 23, std::nullopt));
  EXPECT_TRUE(DailyRunDue(beijing_midnight + 23 * kHour, 23, std::nullopt));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReminderQueueTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
