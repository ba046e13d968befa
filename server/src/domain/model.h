#pragma once
// The register's records. Plain data: rules live in the services, SQL in the store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/dates.h"
#include "common/money.h"

namespace kp {

enum class Level { kProvincial = 1, kMunicipal = 2, kCounty = 3 };
inline constexpr Level kAllLevels[] = {Level::kProvincial, Level::kMunicipal, Level::kCounty};
const char* LevelName(Level l);  // 省重点 / 市重点 / 县重点
// Accepts 省重点, 省重点项目, 省级, provincial (and the same for 市/县); nullopt otherwise.
std::optional<Level> ParseLevel(std::string_view text);

// Project statuses a bureau uses; the import and the API accept these only.
const std::vector<std::string>& ProjectStatuses();

// Who acts, for trails and the audit log. Converts from a login so internal callers stay short.
struct Actor {
  std::string login;
  std::string ip;
  Actor(const char* l) : login(l) {}                // NOLINT: implicit by design
  Actor(std::string l, std::string i = "") : login(std::move(l)), ip(std::move(i)) {}  // NOLINT
};

enum class Role { kAdmin, kDepartment, kOwner, kLeader, kBank, kAuditor, kInvestment };
inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kDepartment, Role::kOwner, Role::kLeader,
                                     Role::kBank,  Role::kAuditor,    Role::kInvestment};
// admin department owner leader bank auditor investment (招商人员: the leads they follow)
const char* RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);

struct User {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  Role role = Role::kLeader;
  std::string unit;  // 责任单位 for a department, 项目业主 for an owner, the bank's name for a bank
  std::optional<int64_t> region_id;
  std::string password_hash;
  bool must_change_password = true;
  bool disabled = false;
  int failed_attempts = 0;
  int64_t locked_until = 0;  // unix seconds
  std::string created_at;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;
  std::string actor;
  std::string ip;
  std::string action;  // create update delete import login login_failed logout …
  std::string entity;  // project plan report region settings user session
  std::string entity_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

struct Region {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::string name;
  std::string code;
  std::string retired_at;               // empty while in use; a retired region is kept for history
  std::optional<int64_t> merged_into;   // the region it was merged into, when retired by a merge
  bool retired() const { return !retired_at.empty(); }
};

struct Project {
  int64_t id = 0;
  std::string code;
  std::string name;
  Level level = Level::kCounty;
  std::string nature;    // 建设性质: 新建 / 改扩建 / 迁建 …
  std::string industry;  // 所属行业
  std::optional<int64_t> region_id;
  std::string region_name;  // filled on read
  Money total_investment;
  std::string owner;   // 项目业主
  std::string unit;    // 责任单位
  std::string person;  // 责任人
  std::string leader;  // 包抓领导
  bool is_demo = false;
  std::string status;
  std::optional<Date> planned_start;
  std::optional<Date> planned_end;
  std::string content;  // 建设内容
  int version = 1;
  std::string created_at;
  std::string updated_at;
};

struct AnnualPlan {
  int64_t project_id = 0;
  int year = 0;
  Money plan;
  std::string updated_at;
  std::string updated_by;
};

struct PlanRevision {
  int64_t project_id = 0;
  int year = 0;
  std::optional<Money> old_plan;
  Money new_plan;
  std::string changed_at;
  std::string changed_by;
};

struct MonthlyReport {
  int64_t project_id = 0;
  YearMonth month;
  Money completed;       // investment completed in this month
  std::string progress;  // 形象进度
  std::string problems;  // 存在问题
  std::string submitted_at;
  std::string submitted_by;
};

struct ReportRevision {
  int64_t project_id = 0;
  YearMonth month;
  Money old_completed;
  std::string old_progress;
  std::string old_problems;
  std::string old_submitted_at;
  std::string old_submitted_by;
  std::string replaced_at;
  std::string replaced_by;
};

struct HistoryEntry {
  int64_t project_id = 0;
  std::string changed_at;
  std::string changed_by;
  std::string action;   // create / update / delete
  std::string changes;  // JSON {"field":[before, after]}
};

// A project row of an import, with its plan for one year when given.
struct ProjectImportRow {
  Project project;
  // 所在地区 as written: a name or a path ("中江县/凯江镇"). The domain resolves it to
  // project.region_id; a region that does not exist is created by the store under
  // region_parent (or the home region).
  std::string region_text;
  std::optional<int64_t> region_parent;
  std::optional<int> plan_year;
  std::optional<Money> plan;
  int line = 0;  // the row in the file, for errors found after parsing
};

// A report row of an import, keyed by project code.
struct ReportImportRow {
  std::string project_code;
  MonthlyReport report;
};

// A milestone node of a project (挂图作战). Its state (未到期, 临期, 逾期 …) is derived from the
// dates and an as-of date, never stored.
struct ProjectNode {
  int64_t id = 0;
  int64_t project_id = 0;
  int seq = 0;  // order within the project, 1-based
  std::string name;
  std::optional<Date> planned;  // 计划完成日期
  std::optional<Date> actual;   // 实际完成日期
  std::string unit;    // 责任单位
  std::string person;  // 责任人
  std::string note;    // 备注 / evidence
  int version = 1;
  std::string updated_at;
  std::string updated_by;
};

// An ordered list of node names the bureau applies to projects (前期, 建设 …).
struct NodeTemplate {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> nodes;
  int version = 1;
  std::string updated_at;
  std::string updated_by;
};

// A node row of an import, keyed by project code + node name. Absent columns keep what is stored.
struct NodeImportRow {
  std::string project_code;
  ProjectNode node;
  bool has_planned = false, has_actual = false, has_unit = false, has_person = false, has_note = false;
  bool has_seq = false;  // a 序号 column gave node.seq; else the file's order does
  int line = 0;
};

struct NodeImportSummary {
  int rows = 0;
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<int64_t> projects;  // the projects whose nodes were written
};

// A reminder in a user's bell (notifications are made by the daily reminder run).
struct Notification {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string kind;    // node_due node_overdue report_due report_missing project_red
  std::string dedupe;  // kind|thing|day: one per user, per thing, per day
  std::optional<int64_t> project_id;
  std::string title;
  std::string body;
  std::string created_at;
  std::optional<std::string> read_at;
};

// A group robot the reminders are pushed to.
struct Webhook {
  int64_t id = 0;
  std::string name;
  std::string kind;    // wecom dingtalk feishu
  std::string url;
  std::string secret;  // DingTalk / Feishu signing secret ("" when unsigned)
  bool enabled = true;
  int version = 1;
  std::string updated_at;
};

// One outbound message in the database-kept queue.
struct Job {
  int64_t id = 0;
  std::string kind;    // webhook
  std::string dedupe;  // the same message is queued once
  std::optional<int64_t> target;
  std::string payload;
  std::string state;  // pending running done failed
  int attempts = 0;
  int64_t next_at = 0;
  int64_t lease_until = 0;
  std::string last_error;
  std::string created_at;
  std::string done_at;
};

struct ImportSummary {
  int rows = 0;
  int projects_created = 0;
  int projects_updated = 0;
  int projects_unchanged = 0;
  int plans_written = 0;
  int reports_created = 0;
  int reports_replaced = 0;
  int reports_unchanged = 0;
  std::vector<std::string> regions_created;
};

}  // namespace kp
