#include "domain/register.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "domain/audited_setting.h"

namespace kp {
namespace {

constexpr const char* kYearKey = "current_year";
constexpr const char* kScheduleKey = "schedule";
constexpr const char* kDeadlineKey = "report_deadline_day";
constexpr const char* kHomeKey = "home_region_id";
constexpr const char* kThresholdKey = "headline_threshold_pct";
constexpr const char* kReportDecimalsKey = "report_pct_decimals";
constexpr int kMaxReportDecimals = 4;
constexpr const char* kPinnedKey = "pinned_month";
constexpr const char* kReminderHourKey = "reminder_hour";
constexpr int kHoursPerDay = 24;
constexpr int kMaxPercent = 100;
constexpr int kMinYear = 1990, kMaxYear = 2100, kMaxDeadlineDay = 28;
constexpr size_t kMaxRegionTextBytes = 200;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status Register::LoadStats() {
  std::lock_guard write(write_mu_);
  return LoadStatsLocked();
}

Status Register::LoadStatsLocked() {
  // The sequence first: a change committed while the source is read is read again next time.
  auto seq = store_.LatestChange();
  if (!seq.ok()) return seq.status();
  auto src = store_.LoadStatsSource();
  if (!src.ok()) return src.status();
  auto settings = GetSettings();
  if (!settings.ok()) return settings.status();
  stats_.Rebuild(*src);
  stats_.SetRegions(src->regions, settings->home_region_id);
  seq_ = *seq;
  synced_ms_ = SteadyMs();
  return Status::Ok();
}

double Register::SecondsSinceSync() const {
  constexpr double kMsPerSecond = 1000.0;
  return static_cast<double>(SteadyMs() - synced_ms_.load()) / kMsPerSecond;
}

Status Register::ReloadProjectsLocked(const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  auto src = store_.LoadStatsSourceFor(ids);
  if (!src.ok()) return src.status();
  stats_.ReplaceProjects(ids, *src);
  return Status::Ok();
}

Status Register::WriteProjects(const std::function<Status(std::vector<int64_t>& touched)>& write) {
  std::lock_guard lock(write_mu_);
  std::vector<int64_t> touched;
  if (Status s = write(touched); !s.ok()) return s;
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  return ReloadProjectsLocked(touched);
}

Status Register::ReloadRegionsLocked() {
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  auto settings = GetSettings();
  if (!settings.ok()) return settings.status();
  stats_.SetRegions(*regions, settings->home_region_id);
  return Status::Ok();
}

Result<Register::Followed> Register::FollowChanges() {
  std::lock_guard write(write_mu_);
  auto batch = store_.ChangesSince(seq_);
  if (!batch.ok()) return batch.status();
  Followed out;
  out.sessions = batch->sessions || batch->gap;
  if (out.sessions) foreign_sessions_ = true;
  if (batch->gap || batch->all) {
    if (Status s = LoadStatsLocked(); !s.ok()) return s;
    out.stats = true;
    return out;
  }
  bool& changed = out.stats;
  if (batch->regions) {
    if (Status s = ReloadRegionsLocked(); !s.ok()) return s;
    changed = true;
  }
  if (!batch->project_ids.empty()) {
    if (Status s = ReloadProjectsLocked(batch->project_ids); !s.ok()) return s;
    changed = true;
  }
  seq_ = batch->last_seq;
  synced_ms_ = SteadyMs();
  return out;
}

namespace {

constexpr const char* kSettingKeys[] = {kYearKey,      kScheduleKey, kDeadlineKey,     kHomeKey,
                                        kThresholdKey, kPinnedKey,   kReminderHourKey, kReportDecimalsKey};

// The settings as stored (a key not stored keeps its default).
Settings SettingsOf(const StoredSettings& stored) {
  Settings s;
  auto get = [&](const char* key) -> std::optional<std::string> {
    auto it = stored.find(key);
    return it == stored.end() ? std::nullopt : it->second;
  };
  if (auto year = get(kYearKey)) s.current_year = std::stoi(*year);
  if (auto sched = get(kScheduleKey)) s.schedule = stats::ParseSchedule(*sched).value_or(stats::Schedule::kMonth);
  if (auto deadline = get(kDeadlineKey)) s.report_deadline_day = std::stoi(*deadline);
  if (auto home = get(kHomeKey); home && !home->empty()) s.home_region_id = std::stoll(*home);
  if (auto threshold = get(kThresholdKey); threshold && !threshold->empty()) s.headline_threshold_pct = std::stoi(*threshold);
  if (auto pinned = get(kPinnedKey); pinned && !pinned->empty()) {
    if (auto ym = ParseYearMonth(*pinned); ym.ok()) s.pinned_month = *ym;
  }
  if (auto hour = get(kReminderHourKey); hour && !hour->empty()) s.reminder_hour = std::stoi(*hour);
  if (auto decimals = get(kReportDecimalsKey); decimals && !decimals->empty()) s.report_pct_decimals = std::stoi(*decimals);
  return s;
}

}  // namespace

Result<Settings> Register::GetSettings() {
  StoredSettings stored;
  for (const char* key : kSettingKeys) {
    auto v = store_.GetSetting(key);
    if (!v.ok()) return v.status();
    stored[key] = *v;
  }
  return SettingsOf(stored);
}

stats::StatsDefaults StatsDefaultsOf(const Settings& s, Date today) {
  stats::StatsDefaults d;
  d.year = s.current_year;
  d.schedule = s.schedule;
  d.headline.threshold_pct = s.headline_threshold_pct;
  d.headline.pinned = s.pinned_month;
  d.headline.deadline_day = s.report_deadline_day;
  d.headline.today = today;
  return d;
}

namespace {

std::string SettingsJson(const Settings& s) {
  return "{\"current_year\":" + std::to_string(s.current_year) + ",\"schedule\":\"" + stats::ScheduleName(s.schedule) +
         "\",\"report_deadline_day\":" + std::to_string(s.report_deadline_day) + ",\"home_region_id\":" +
         (s.home_region_id ? std::to_string(*s.home_region_id) : "null") +
         ",\"headline_threshold_pct\":" + std::to_string(s.headline_threshold_pct) + ",\"pinned_month\":" +
         (s.pinned_month ? "\"" + s.pinned_month->ToString() + "\"" : "null") +
         ",\"reminder_hour\":" + std::to_string(s.reminder_hour) +
         ",\"report_pct_decimals\":" + std::to_string(s.report_pct_decimals) + "}";
}

AuditEntry AuditOf(const Actor& by, const char* action, const char* entity, const std::string& id,
                   std::optional<std::string> before, std::optional<std::string> after) {
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = action;
  e.entity = entity;
  e.entity_id = id;
  e.before_json = std::move(before);
  e.after_json = std::move(after);
  return e;
}

void Audit(store::Store& store, const Actor& by, const char* action, const char* entity, const std::string& id,
           std::optional<std::string> before, std::optional<std::string> after) {
  (void)store.AppendAudit(AuditOf(by, action, entity, id, std::move(before), std::move(after)));
}

}  // namespace

Status Register::SaveSettings(const Settings& s, const Actor& by) {
  if (s.current_year < kMinYear || s.current_year > kMaxYear) {
    return InvalidArgument("当前年度应在 1990-2100 之间 (year out of range)", "current_year");
  }
  if (s.report_deadline_day < 1 || s.report_deadline_day > kMaxDeadlineDay) {
    return InvalidArgument("月报截止日应为 1-28 (deadline day out of range)", "report_deadline_day");
  }
  if (s.headline_threshold_pct < 0 || s.headline_threshold_pct > kMaxPercent) {
    return InvalidArgument("默认月份的填报率门槛应为 0-100 (threshold out of range)", "headline_threshold_pct");
  }
  if (s.pinned_month && (s.pinned_month->year < kMinYear || s.pinned_month->year > kMaxYear)) {
    return InvalidArgument("固定的当前期应在 1990-2100 年之间 (pinned month out of range)", "pinned_month");
  }
  if (s.report_pct_decimals < 0 || s.report_pct_decimals > kMaxReportDecimals) {
    return InvalidArgument("报告中比率的小数位数应为 0-4 (report decimals out of range)", "report_pct_decimals");
  }
  if (s.reminder_hour < 0 || s.reminder_hour >= kHoursPerDay) {
    return InvalidArgument("每日提醒时间应为 0-23 点 (reminder hour out of range)", "reminder_hour");
  }
  if (s.home_region_id) {
    auto regions = store_.ListRegions();
    if (!regions.ok()) return regions.status();
    bool found = false;
    for (const Region& r : *regions) found = found || r.id == *s.home_region_id;
    if (!found) return InvalidArgument("本级地区不存在 (no such region)", "home_region_id");
  }
  const std::vector<std::pair<std::string, std::string>> values = {
      {kYearKey, std::to_string(s.current_year)},
      {kScheduleKey, stats::ScheduleName(s.schedule)},
      {kDeadlineKey, std::to_string(s.report_deadline_day)},
      {kHomeKey, s.home_region_id ? std::to_string(*s.home_region_id) : ""},
      {kThresholdKey, std::to_string(s.headline_threshold_pct)},
      {kPinnedKey, s.pinned_month ? s.pinned_month->ToString() : ""},
      {kReminderHourKey, std::to_string(s.reminder_hour)},
      {kReportDecimalsKey, std::to_string(s.report_pct_decimals)},
  };
  AuditEntry audit = AuditOf(by, "update", "settings", "", "", SettingsJson(s));
  std::lock_guard write(write_mu_);
  std::vector<std::string> keys(std::begin(kSettingKeys), std::end(kSettingKeys));
  Status st = SaveAuditedSettings(store_, values, keys, SettingsJson(s), audit,
                                  [](const StoredSettings& stored) -> Result<std::string> { return SettingsJson(SettingsOf(stored)); });
  if (!st.ok()) return st;
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  stats_.SetRegions(*regions, s.home_region_id);
  return Status::Ok();
}

namespace {

// A region's name (required) and code, as stored: trimmed, one line, not too long.
Status CheckRegionText(const std::string& n, const std::string& code) {
  if (n.empty()) return InvalidArgument("地区名称不能为空 (region name is required)", "name");
  if (std::string why = TextProblem(n, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "name");
  if (std::string why = TextProblem(code, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "code");
  if (n.size() > kMaxRegionTextBytes || code.size() > kMaxRegionTextBytes) {
    return InvalidArgument("地区名称或代码过长 (region name or code too long)", n.size() > kMaxRegionTextBytes ? "name" : "code");
  }
  return Status::Ok();
}

const Region* FindRegion(const std::vector<Region>& regions, int64_t id) {
  for (const Region& r : regions) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// A region in use among `parent`'s children named `name`, other than `except`.
const Region* SiblingNamed(const std::vector<Region>& regions, std::optional<int64_t> parent, const std::string& name,
                           int64_t except = 0) {
  for (const Region& r : regions) {
    if (r.parent_id == parent && r.name == name && !r.retired() && r.id != except) return &r;
  }
  return nullptr;
}

// The region `id` for a change: it exists and is in use.
Result<const Region*> RegionInUse(const std::vector<Region>& regions, int64_t id, const char* field) {
  const Region* r = FindRegion(regions, id);
  if (!r) return Status(ErrorCode::kNotFound, "地区不存在 (no region with id " + std::to_string(id) + ")", field);
  if (r->retired()) return InvalidArgument("地区「" + r->name + "」已停用 (the region is retired)", field);
  return r;
}

}  // namespace

Result<Region> Register::CreateRegion(std::optional<int64_t> parent_id, const std::string& name,
                                      const std::string& code, const Actor& by) {
  std::string n(Trim(name));
  if (Status st = CheckRegionText(n, code); !st.ok()) return st;
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  if (parent_id) {
    const Region* parent = FindRegion(*regions, *parent_id);
    if (!parent) return InvalidArgument("上级地区不存在 (no such parent region)", "parent_id");
    if (parent->retired()) return InvalidArgument("上级地区已停用 (the parent region is retired)", "parent_id");
  }
  if (SiblingNamed(*regions, parent_id, n)) {
    return Status(ErrorCode::kAlreadyExists, "同一上级下已有同名地区 (region already exists): " + n, "name");
  }
  std::lock_guard write(write_mu_);
  auto created = store_.CreateRegion(parent_id, n, std::string(Trim(code)));
  if (!created.ok()) return created;
  Audit(store_, by, "create", "region", std::to_string(created->id), std::nullopt,
        boost::json::serialize(boost::json::object{
            {"name", n}, {"parent_id", parent_id ? boost::json::value(*parent_id) : boost::json::value(nullptr)}}));
  auto all = store_.ListRegions();
  auto settings = GetSettings();
  if (all.ok() && settings.ok()) stats_.SetRegions(*all, settings->home_region_id);
  return created;
}

Result<Region> Register::RenameRegion(int64_t id, const std::string& name, const std::string& code,
                                      const Actor& by) {
  std::string n(Trim(name)), c(Trim(code));
  if (Status st = CheckRegionText(n, c); !st.ok()) return st;
  std::lock_guard write(write_mu_);
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  auto region = RegionInUse(*regions, id, "id");
  if (!region.ok()) return region.status();
  if (SiblingNamed(*regions, (*region)->parent_id, n, id)) {
    return Status(ErrorCode::kAlreadyExists, "同一上级下已有同名地区 (region already exists): " + n, "name");
  }
  auto renamed = store_.RenameRegion(id, n, c, by);
  if (!renamed.ok()) return renamed;
  if (Status st = ReloadRegionsLocked(); !st.ok()) return st;
  return renamed;
}

Result<store::Store::RegionMerge> Register::MergeRegion(int64_t from, int64_t into, const Actor& by) {
  std::lock_guard write(write_mu_);
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  auto source = RegionInUse(*regions, from, "id");
  if (!source.ok()) return source.status();
  auto target = RegionInUse(*regions, into, "into_id");
  if (!target.ok()) return target.status();
  if (from == into) return InvalidArgument("不能并入地区自身 (a region cannot merge into itself)", "into_id");
  for (std::optional<int64_t> up = (*target)->parent_id; up;) {
    if (*up == from) {
      return InvalidArgument("不能并入其下级地区「" + (*target)->name + "」 (cannot merge into a region below it)",
                             "into_id");
    }
    const Region* parent = FindRegion(*regions, *up);
    up = parent ? parent->parent_id : std::nullopt;
  }
  auto settings = GetSettings();
  if (!settings.ok()) return settings.status();
  if (settings->home_region_id == from) {
    return InvalidArgument("本级地区不能并入其他地区，请先在常规设置中更换本级地区 (the home region cannot be merged)", "id");
  }
  for (const Region& child : *regions) {
    if (child.parent_id != from || child.retired()) continue;
    if (SiblingNamed(*regions, into, child.name)) {
      return Status(ErrorCode::kAlreadyExists,
                    "「" + (*target)->name + "」下已有同名地区「" + child.name +
                        "」，请先改名或合并 (a region of that name is already under the target): " + child.name,
                    "into_id");
    }
  }
  auto merged = store_.MergeRegion(from, into, by);
  if (!merged.ok()) return merged;
  // Projects changed region: the cache is rebuilt from the database (as other servers do on ChangedAll).
  if (Status st = LoadStatsLocked(); !st.ok()) return st;
  return merged;
}

Status Register::RetireRegion(int64_t id, const Actor& by) {
  std::lock_guard write(write_mu_);
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  auto region = RegionInUse(*regions, id, "id");
  if (!region.ok()) return region.status();
  const std::string& name = (*region)->name;
  auto settings = GetSettings();
  if (!settings.ok()) return settings.status();
  if (settings->home_region_id == id) {
    return InvalidArgument("本级地区不能停用，请先在常规设置中更换本级地区 (the home region cannot be retired)", "id");
  }
  for (const Region& r : *regions) {
    if (r.parent_id == id && !r.retired()) {
      return InvalidArgument("「" + name + "」下还有地区「" + r.name + "」，请先停用或合并下级地区 (it has regions in use below it)",
                             "id");
    }
  }
  store::ProjectQuery q;
  q.region_ids = {id};
  q.page_size = 1;
  auto projects = store_.ListProjects(q);
  if (!projects.ok()) return projects.status();
  if (projects->total > 0) {
    return InvalidArgument("「" + name + "」下还有 " + std::to_string(projects->total) +
                               " 个项目，请改为合并到其他地区 (it has projects: merge it instead)",
                           "id");
  }
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  int64_t user_count = 0;
  for (const User& u : *users) user_count += u.region_id == id ? 1 : 0;
  if (user_count > 0) {
    return InvalidArgument("有 " + std::to_string(user_count) + " 个用户属于「" + name +
                               "」，请先修改其地区，或改为合并 (users belong to it: change them or merge it)",
                           "id");
  }
  if (Status st = store_.RetireRegion(id, by); !st.ok()) return st;
  return ReloadRegionsLocked();
}

Result<std::vector<int64_t>> Register::RegionSubtree(int64_t region_id) {
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  std::vector<int64_t> out{region_id};
  bool known = false;
  for (const Region& r : *regions) known = known || r.id == region_id;
  if (!known) return NotFound("地区不存在 (no region with id " + std::to_string(region_id) + ")");
  for (size_t i = 0; i < out.size(); ++i) {
    for (const Region& r : *regions) {
      if (r.parent_id == out[i]) out.push_back(r.id);
    }
  }
  return out;
}

Status Register::CheckProject(const Project& p) {
  if (Status s = ValidateProject(p); !s.ok()) return s;
  if (!p.region_id) return Status::Ok();
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  const Region* r = FindRegion(*regions, *p.region_id);
  if (!r) return InvalidArgument("所在地区不存在 (no region with id " + std::to_string(*p.region_id) + ")", "region_id");
  if (r->retired()) return InvalidArgument("所在地区「" + r->name + "」已停用 (the region is retired)", "region_id");
  return Status::Ok();
}

Result<Project> Register::CreateProject(const Project& p, const Actor& by, std::optional<store::Store::FirstPlan> plan,
                                        const store::Store::ProjectHook& also) {
  if (Status s = CheckProject(p); !s.ok()) return s;
  if (plan && (plan->year < kMinYear || plan->year > kMaxYear)) {
    return InvalidArgument("计划年度应在 1990-2100 之间 (plan year out of range)", "plan_year");
  }
  if (plan && plan->plan.yuan < 0) return InvalidArgument("年度计划投资不能为负数 (negative plan)", "plan_wan");
  std::lock_guard write(write_mu_);
  auto created = store_.CreateProject(p, by, plan, also);
  if (!created.ok()) return created;
  stats_.UpsertProject(*created);
  if (plan) stats_.SetPlan(created->id, plan->year, plan->plan);
  return created;
}

Result<Project> Register::UpdateProject(const Project& p, const Actor& by) {
  if (Status s = CheckProject(p); !s.ok()) return s;
  std::lock_guard write(write_mu_);
  auto updated = store_.UpdateProject(p, by);
  if (updated.ok()) stats_.UpsertProject(*updated);
  return updated;
}

Status Register::DeleteProject(int64_t id, int version, const Actor& by) {
  std::lock_guard write(write_mu_);
  Status s = store_.DeleteProject(id, version, by);
  if (s.ok()) stats_.RemoveProject(id);
  return s;
}

Result<AnnualPlan> Register::SetPlan(int64_t project_id, int year, Money plan, const Actor& by) {
  if (year < kMinYear || year > kMaxYear) return InvalidArgument("年度应在 1990-2100 之间 (year out of range)", "year");
  if (plan.yuan < 0) return InvalidArgument("年度计划投资不能为负数 (negative plan)", "plan_wan");
  std::lock_guard write(write_mu_);
  auto written = store_.UpsertPlan(project_id, year, plan, by);
  if (written.ok()) stats_.SetPlan(project_id, year, plan);
  return written;
}

Result<MonthlyReport> Register::SubmitReport(const MonthlyReport& r, const Actor& by) {
  if (r.month.month < 1 || r.month.month > 12) return InvalidArgument("月份应为 1-12 (month out of range)", "month");
  if (r.month.year < kMinYear || r.month.year > kMaxYear) return InvalidArgument("年份超出范围 (year out of range)", "month");
  if (Status s = ValidateReportText(r); !s.ok()) return s;
  std::lock_guard write(write_mu_);
  auto written = store_.UpsertReport(r, by);
  if (written.ok()) stats_.SetReport(r.project_id, r.month, r.completed);
  return written;
}

Result<ReportingStatus> Register::Reporting(YearMonth month, store::ProjectQuery scope) {
  auto settings = GetSettings();
  if (!settings.ok()) return settings.status();
  ReportingStatus out;
  out.month = month;
  YearMonth next = month.month == 12 ? YearMonth{month.year + 1, 1} : YearMonth{month.year, month.month + 1};
  out.deadline = Date{next.year, next.month, std::min(settings->report_deadline_day, DaysInMonth(next.year, next.month))};
  // End of the deadline day in Beijing time (UTC+8) is 15:59:59 UTC.
  const std::string deadline_utc = out.deadline.ToString() + "T15:59:59Z";
  scope.plan_year = month.year;
  scope.page_size = 0;
  scope.page = 1;
  auto projects = store_.ListProjects(scope);
  if (!projects.ok()) return projects.status();
  auto reports = store_.ListReportsForMonth(month);
  if (!reports.ok()) return reports.status();
  std::unordered_map<int64_t, const MonthlyReport*> by_project;
  for (const MonthlyReport& r : *reports) by_project[r.project_id] = &r;
  for (const Project& p : projects->items) {
    ReportingStatus::Item item;
    item.project = p;
    auto it = by_project.find(p.id);
    if (it != by_project.end()) {
      item.reported = true;
      item.submitted_at = it->second->submitted_at;
      item.completed = it->second->completed;
      item.late = item.submitted_at > deadline_utc;
      ++out.reported;
      out.late += item.late;
    }
    out.items.push_back(std::move(item));
  }
  constexpr int kPercent = 100;
  if (!out.items.empty()) out.rate_pct = Ratio::Of(out.reported * kPercent, static_cast<int64_t>(out.items.size()));
  return out;
}

Result<ImportOutcome<ProjectImportRow>> Register::ImportProjectsFile(std::string_view bytes, const Actor& by,
                                                                     const ImportOptions& options) {
  ImportOutcome<ProjectImportRow> out;
  out.parsed = ParseProjectsFile(bytes, options.sheet);
  if (out.ok()) {
    auto regions = store_.ListRegions();
    if (!regions.ok()) return regions.status();
    auto it = out.parsed.columns.find("所在地区");
    for (ImportError e : ResolveRegions(out.parsed.rows, *regions)) {
      e.sheet = out.parsed.sheet;
      e.col = it == out.parsed.columns.end() ? -1 : it->second;
      out.parsed.AddError(std::move(e));
    }
    if (!out.ok()) out.parsed.rows.clear();
  }
  if (!out.ok() || options.dry_run) return out;
  // Regions are resolved above: write the rows as they are (no second pass, no copy).
  auto summary = WriteProjectRows(out.parsed.rows, by);
  if (!summary.ok()) return summary.status();
  out.summary = *summary;
  return out;
}

Result<ImportOutcome<ReportImportRow>> Register::ImportReportsFile(std::string_view bytes, const Actor& by,
                                                                   const ImportOptions& options) {
  auto codes = store_.ProjectCodes();
  if (!codes.ok()) return codes.status();
  std::unordered_set<std::string> known(codes->begin(), codes->end());
  ImportOutcome<ReportImportRow> out;
  out.parsed = ParseReportsFile(bytes, known, options.sheet);
  if (!out.ok() || options.dry_run) return out;
  auto summary = ImportReportRows(out.parsed.rows, by);
  if (!summary.ok()) return summary.status();
  out.summary = *summary;
  return out;
}

Result<ImportSummary> Register::ImportProjectRows(const std::vector<ProjectImportRow>& input, const Actor& by) {
  std::vector<ProjectImportRow> rows = input;
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  auto errors = ResolveRegions(rows, *regions);
  if (!errors.empty()) return InvalidArgument(FormatImportError(errors[0]), "region");
  return WriteProjectRows(rows, by);
}

Status Register::ApplyToStats(const store::ImportApplied& applied) {
  if (applied.regions_created) {
    if (Status s = ReloadRegionsLocked(); !s.ok()) return s;
  }
  stats_.Apply(applied);
  // A revived project's earlier plans and reports: read back from the database, not the whole cache.
  return ReloadProjectsLocked(applied.revived);
}

Result<ImportSummary> Register::WriteProjectRows(const std::vector<ProjectImportRow>& rows, const Actor& by) {
  store::ImportApplied applied;
  std::lock_guard write(write_mu_);
  auto summary = store_.ImportProjects(rows, by, &applied);
  if (!summary.ok()) return summary;
  if (Status s = ApplyToStats(applied); !s.ok()) return s;
  return summary;
}

Result<ImportSummary> Register::ImportReportRows(const std::vector<ReportImportRow>& rows, const Actor& by) {
  store::ImportApplied applied;
  std::lock_guard write(write_mu_);
  auto summary = store_.ImportReports(rows, by, &applied);
  if (!summary.ok()) return summary;
  if (Status s = ApplyToStats(applied); !s.ok()) return s;
  return summary;
}

}  // namespace kp
