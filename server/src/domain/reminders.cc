#include "domain/reminders.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

namespace kp {
namespace {

constexpr int kReportDueSoonDays = 3;
constexpr size_t kDigestItems = 10;

struct Item {
  std::string kind;
  int64_t project_id = 0;
  std::string key;  // the thing: node id, month …
  std::string title, body;
};

std::string ProjectLabel(const Project& p) { return p.code + " " + p.name; }

bool InScope(const User& u, const Project& p, const std::string& kind) {
  switch (u.role) {
    case Role::kAdmin: return true;
    case Role::kLeader: return kind == "project_red";
    case Role::kDepartment: return !u.unit.empty() && p.unit == u.unit;
    case Role::kOwner: return !u.unit.empty() && p.owner == u.unit;
    case Role::kBank:
    case Role::kAuditor:
    case Role::kInvestment: return false;
  }
  return false;
}

}  // namespace

Result<ReminderRun> Reminders::Run(const Date& as_of) {
  ReminderRun run;
  run.as_of = as_of;
  auto rules = ms_.Rules();
  if (!rules.ok()) return rules.status();
  stats::WarningQuery wq;
  wq.as_of = as_of;
  auto warnings = ms_.Warnings(wq);
  if (!warnings.ok()) return warnings.status();
  std::unordered_set<int64_t> counted;
  for (const auto& p : warnings->projects) counted.insert(p.id);
  store::ProjectQuery pq;
  pq.page_size = 0;
  pq.plan_year = as_of.year;
  auto projects = store_.ListProjects(pq);
  if (!projects.ok()) return projects.status();
  std::unordered_map<int64_t, const Project*> by_id;
  std::vector<int64_t> ids;
  for (const Project& p : projects->items) {
    if (!counted.count(p.id)) continue;
    by_id[p.id] = &p;
    ids.push_back(p.id);
  }
  std::vector<Item> items;
  const std::string day = as_of.ToString();
  if (!ids.empty()) {
    auto nodes = ms_.node_store().ListNodesOf(ids);
    if (!nodes.ok()) return nodes.status();
    for (const ProjectNode& n : *nodes) {
      auto it = by_id.find(n.project_id);
      if (it == by_id.end() || it->second->status == "停缓建") continue;
      stats::NodeStatus s = stats::DeriveNodeState(n.planned, n.actual, as_of, rules->window_days, rules->node_red_days);
      if (s.state == stats::NodeState::kDueSoon) {
        items.push_back({"node_due", n.project_id, std::to_string(n.id), "节点临期：" + n.name,
                         ProjectLabel(*it->second) + "：节点「" + n.name + "」计划" + n.planned->ToString() + "完成，" +
                             (*s.days == 0 ? std::string("今天到期") : "还有" + std::to_string(*s.days) + "天")});
      } else if (s.state == stats::NodeState::kOverdue) {
        items.push_back({"node_overdue", n.project_id, std::to_string(n.id), "节点逾期：" + n.name,
                         ProjectLabel(*it->second) + "：节点「" + n.name + "」计划" + n.planned->ToString() + "完成，已逾期" +
                             std::to_string(*s.days) + "天"});
      }
    }
  }
  // The month whose report falls due within the next few days, for projects that have not reported it.
  const YearMonth prev = as_of.month == 1 ? YearMonth{as_of.year - 1, 12} : YearMonth{as_of.year, as_of.month - 1};
  const Date deadline = stats::ReportDeadline(prev, rules->deadline_day);
  if (as_of <= deadline && DayNumber(deadline) - DayNumber(as_of) <= kReportDueSoonDays) {
    auto status = reg_.Reporting(prev, store::ProjectQuery{});
    if (!status.ok()) return status.status();
    for (const auto& item : status->items) {
      if (item.reported || !by_id.count(item.project.id)) continue;
      items.push_back({"report_due", item.project.id, prev.ToString(), "月报将截止：" + prev.ToString(),
                       ProjectLabel(item.project) + "：" + std::to_string(prev.year) + "年" + std::to_string(prev.month) +
                           "月月报将于" + deadline.ToString() + "截止，尚未填报"});
    }
  }
  for (const auto& p : warnings->projects) {
    if (!by_id.count(p.id)) continue;
    for (const auto& w : p.warnings) {
      if (w.rule == stats::WarningRule::kReport) {
        items.push_back({"report_missing", p.id, w.missing.back().ToString(), "月报未报：" + w.missing.back().ToString(),
                         p.code + " " + p.name + "：" + w.detail});
      }
    }
    if (p.colour == stats::Colour::kRed) {
      std::string why;
      for (const auto& w : p.warnings) {
        if (w.colour == stats::Colour::kRed) why += (why.empty() ? "" : "；") + w.detail;
      }
      items.push_back({"project_red", p.id, "", "项目亮红灯：" + p.name, p.code + " " + p.name + "：" + why});
    }
  }
  run.reminders = static_cast<int>(items.size());
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  std::vector<Notification> bell;
  const std::string now = NowIso();
  for (const User& u : *users) {
    if (u.disabled) continue;
    for (const Item& i : items) {
      if (!InScope(u, *by_id.at(i.project_id), i.kind)) continue;
      Notification n;
      n.user_id = u.id;
      n.kind = i.kind;
      n.dedupe = i.kind + "|" + std::to_string(i.project_id) + "|" + i.key + "|" + day;
      n.project_id = i.project_id;
      n.title = i.title;
      n.body = i.body;
      n.created_at = now;
      bell.push_back(std::move(n));
    }
  }
  auto added = reminders_.AddNotifications(bell);
  if (!added.ok()) return added.status();
  run.notifications = *added;
  // One digest per robot and day.
  auto hooks = reminders_.ListWebhooks();
  if (!hooks.ok()) return hooks.status();
  std::unordered_map<std::string, int> count;
  for (const Item& i : items) count[i.kind] += 1;
  std::string text = "截至 " + day + "：红灯项目 " + std::to_string(warnings->counts[2]) + " 个，黄灯 " +
                     std::to_string(warnings->counts[1]) + " 个；逾期节点 " + std::to_string(count["node_overdue"]) +
                     " 个，" + std::to_string(rules->window_days) + "天内到期节点 " + std::to_string(count["node_due"]) +
                     " 个；月报未报 " + std::to_string(count["report_missing"]) + " 个，将截止未报 " +
                     std::to_string(count["report_due"]) + " 个。";
  for (const char* kind : {"project_red", "node_overdue"}) {
    size_t listed = 0;
    std::string section;
    for (const Item& i : items) {
      if (i.kind != kind || listed >= kDigestItems) continue;
      section += "\n- " + i.body;
      ++listed;
    }
    if (!section.empty()) {
      text += std::string("\n\n**") + (std::string(kind) == "project_red" ? "红灯项目" : "逾期节点") + "**" + section;
      if (static_cast<size_t>(count[kind]) > listed) text += "\n- ……共 " + std::to_string(count[kind]) + " 项";
    }
  }
  std::vector<Job> jobs;
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  for (const Webhook& w : *hooks) {
    if (!w.enabled) continue;
    Job j;
    j.kind = "webhook";
    j.dedupe = "digest|" + std::to_string(w.id) + "|" + day;
    j.target = w.id;
    j.payload = boost::json::serialize(boost::json::object{{"title", "挂图作战提醒 " + day}, {"markdown", text}});
    j.next_at = now_s;
    jobs.push_back(std::move(j));
  }
  auto queued = reminders_.Enqueue(jobs);
  if (!queued.ok()) return queued.status();
  run.jobs = *queued;
  if (problems_) {
    auto e = problems_->Escalate(as_of);
    if (!e.ok()) return e.status();
    run.escalation = *e;
    run.notifications += e->notifications;
    run.jobs += e->jobs;
  }
  return run;
}

Result<SendResult> Reminders::SendDue(int64_t now, WebhookSender& sender, int64_t backoff_seconds) {
  SendResult out;
  constexpr int kBatch = 20;
  auto jobs = reminders_.ClaimDue(now, kLeaseSeconds, kBatch);
  if (!jobs.ok()) return jobs.status();
  if (jobs->empty()) return out;
  auto hooks = reminders_.ListWebhooks();
  if (!hooks.ok()) return hooks.status();
  for (const Job& j : *jobs) {
    const Webhook* hook = nullptr;
    for (const Webhook& w : *hooks) {
      if (j.target && w.id == *j.target) hook = &w;
    }
    Status sent;
    if (!hook || !hook->enabled) {
      sent = Status(ErrorCode::kNotFound, "机器人已删除或停用 (webhook removed or disabled)");
    } else {
      boost::system::error_code ec;
      auto payload = boost::json::parse(j.payload, ec);
      if (ec || !payload.is_object()) {
        sent = Internal("消息内容无效 (bad payload)");
      } else {
        const auto& o = payload.as_object();
        OutboundMessage m = FormatWebhookMessage(*hook, std::string(o.at("title").as_string()),
                                                 std::string(o.at("markdown").as_string()), now * 1000);
        sent = sender.Post(m.url, m.body);
      }
    }
    if (sent.ok()) {
      if (Status s = reminders_.FinishJob(j.id, true, "", 0, false); !s.ok()) return s;
      ++out.sent;
      continue;
    }
    const bool give_up = j.attempts >= kMaxAttempts || sent.code() == ErrorCode::kNotFound;
    int64_t wait = backoff_seconds;
    for (int k = 1; k < j.attempts && wait < kMaxBackoffSeconds; ++k) wait *= 2;
    wait = std::min(wait, kMaxBackoffSeconds);
    if (Status s = reminders_.FinishJob(j.id, false, sent.message(), now + wait, give_up); !s.ok()) return s;
    if (give_up) ++out.failed;
    else ++out.retried;
  }
  return out;
}

void ReminderScheduler::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void ReminderScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool DailyRunDue(int64_t now, int hour, const std::optional<Date>& ran) {
  constexpr int64_t kBeijingOffsetSeconds = 8 * 3600;
  constexpr int64_t kSecondsPerHour = 3600, kSecondsPerDay = 86400;
  const int64_t beijing = now + kBeijingOffsetSeconds;
  const Date today = FromDayNumber(static_cast<int32_t>(beijing / kSecondsPerDay) + DayNumber(Date{1970, 1, 1}));
  return ran != today && (beijing % kSecondsPerDay) / kSecondsPerHour >= hour;
}

Result<int> Reminders::DailyHour() {
  auto settings = reg_.GetSettings();
  if (!settings.ok()) return settings.status();
  return settings->reminder_hour;
}

void ReminderScheduler::Loop() {
  constexpr int kDefaultHour = 8;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, std::chrono::seconds(poll_seconds_), [this] { return stop_; });
      if (stop_) return;
    }
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    int hour = kDefaultHour;
    if (hour_) {
      hour = *hour_;
    } else if (auto h = reminders_.DailyHour(); h.ok()) {
      hour = *h;
    }
    if (DailyRunDue(now, hour, ran_)) {
      const Date today = TodayBeijing();
      auto run = reminders_.Run(today);
      if (run.ok()) ran_ = today;  // else tried again at the next poll
    }
    if (!sender_) sender_ = MakeCurlSender();
    (void)reminders_.SendDue(now, *sender_);
  }
}

}  // namespace kp
