#include "domain/exports.h"

#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <stdexcept>

#include "documents/xlsx_writer.h"
#include "stats/rule_json.h"
#include "stats/stats_json.h"

namespace kp {
namespace {

using documents::CellKind;
using documents::CellValue;
using documents::ExportColumn;
using documents::ExportSpec;

std::string AsOf(int year, int month) { return std::to_string(year) + "年" + std::to_string(month) + "月"; }

std::optional<double> RatioValue(const std::optional<Ratio>& r) {
  return r ? std::optional<double>(r->ToDouble()) : std::nullopt;
}

CellValue Opt(const std::optional<double>& d) { return d ? CellValue(*d) : CellValue(std::monostate{}); }

// Unix seconds as the store writes times: "2024-03-31T12:00:00Z".
std::string UnixIso(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The role names the app shows.
const char* RoleTitle(Role r) {
  switch (r) {
    case Role::kAdmin: return "发改局管理员";
    case Role::kDepartment: return "责任单位";
    case Role::kOwner: return "项目业主";
    case Role::kLeader: return "县领导";
    case Role::kBank: return "金融机构";
    case Role::kAuditor: return "审计员";
    case Role::kInvestment: return "招商人员";
  }
  return "";
}

std::string RegionName(const std::vector<Region>& regions, std::optional<int64_t> id) {
  if (!id) return "";
  for (const Region& r : regions) {
    if (r.id == *id) return r.name;
  }
  return std::to_string(*id);
}

// A project field of a change record under the import template's title.
std::string FieldTitle(const std::string& field) {
  static const std::map<std::string, std::string> kTitles = {
      {"code", "项目编码"},         {"name", "项目名称"},         {"level", "项目级别"},
      {"nature", "建设性质"},       {"industry", "所属行业"},     {"region_id", "所在地区"},
      {"region", "所在地区"},       {"total_investment_wan", "总投资(万元)"}, {"owner", "项目业主"},
      {"unit", "责任单位"},         {"person", "责任人"},         {"leader", "包抓领导"},
      {"is_demo", "示范项目"},      {"status", "项目状态"},       {"planned_start", "计划开工日期"},
      {"planned_end", "计划竣工日期"}, {"content", "建设内容"}};
  auto it = kTitles.find(field);
  return it == kTitles.end() ? field : it->second;
}

// A value of a change record as text: 是/否 for flags, region names for region ids.
std::string FieldValue(const std::string& field, const boost::json::value& v, const std::vector<Region>& regions) {
  if (v.is_null()) return "";
  if (v.is_bool()) return v.as_bool() ? "是" : "否";
  if (v.is_string()) return std::string(v.as_string());
  if (field == "region_id" && v.is_int64()) return RegionName(regions, v.as_int64());
  return boost::json::serialize(v);
}

const char* HistoryAction(const std::string& a) {
  if (a == "create") return "创建";
  if (a == "update") return "修改";
  if (a == "delete") return "删除";
  if (a == "restore") return "恢复";
  if (a == "import") return "导入";
  return nullptr;
}

ExportSpec ProjectTableSpec(const Project& p, ProjectTable table, const std::string& what) {
  ExportSpec spec;
  spec.sheet_name = ProjectTableTitle(table);
  spec.title = p.name + what;
  spec.subtitle = "项目编码 " + p.code + "    " + LevelName(p.level) + "    项目业主 " + (p.owner.empty() ? "—" : p.owner) +
                  "    单位：万元";
  spec.constant_memory = false;
  return spec;
}

}  // namespace

std::optional<ProjectTable> ParseProjectTable(std::string_view name) {
  for (ProjectTable t : {ProjectTable::kPlans, ProjectTable::kPlanRevisions, ProjectTable::kReports, ProjectTable::kHistory}) {
    if (name == ProjectTableName(t)) return t;
  }
  return std::nullopt;
}

const char* ProjectTableName(ProjectTable t) {
  switch (t) {
    case ProjectTable::kPlans: return "plans";
    case ProjectTable::kPlanRevisions: return "plan_revisions";
    case ProjectTable::kReports: return "reports";
    case ProjectTable::kHistory: return "history";
  }
  return "";
}

const char* ProjectTableTitle(ProjectTable t) {
  switch (t) {
    case ProjectTable::kPlans: return "年度计划";
    case ProjectTable::kPlanRevisions: return "计划调整记录";
    case ProjectTable::kReports: return "月报";
    case ProjectTable::kHistory: return "变更记录";
  }
  return "";
}

Status ExportProjects(Register& reg, const store::ProjectQuery& q, const stats::StatsQuery& figures,
                      const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "项目库";
  spec.title = std::to_string(figures.year) + "年重点项目清单";
  spec.subtitle = "截至 " + AsOf(figures.year, figures.month) + "    单位：万元";
  const std::string year_group = std::to_string(figures.year) + "年投资";
  for (const TemplateColumn& c : ProjectTemplate()) {
    static const std::map<std::string, double> kWidths = {{"项目编码", 27}, {"项目名称", 38}, {"项目业主", 30},
                                                           {"责任单位", 24}, {"建设内容", 40}, {"所属行业", 14}};
    auto w = kWidths.find(c.title);
    CellKind kind = c.money ? CellKind::kMoneyWan : CellKind::kText;
    if (c.title == "计划开工日期" || c.title == "计划竣工日期") kind = CellKind::kDate;
    if (c.title == "计划年度") kind = CellKind::kInteger;
    ExportColumn col{c.title, kind, "项目基本信息", "", {}, w == kWidths.end() ? 0 : w->second};
    if (c.title == "计划年度" || c.title == "年度计划投资(万元)") col.group = year_group;
    spec.columns.push_back(col);
  }
  // Move the year's columns next to the figures: keep the template order, append figures.
  spec.columns.push_back({"累计完成投资(万元)", CellKind::kMoneyWan, year_group, "", {}});
  spec.columns.push_back({"完成率(%)", CellKind::kPercent, year_group, "", {}});
  spec.columns.push_back({"超/欠时序进度(百分点)", CellKind::kPoints, year_group, "", {}});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  Money total_plan, total_done, total_investment;
  int64_t count = 0;
  std::vector<int64_t> batch_ids;
  std::vector<Project> batch;
  const stats::StatsEngine& engine = reg.stats_engine();
  auto flush = [&]() {
    auto figs = engine.ProjectFigures(batch_ids, figures);
    for (size_t i = 0; i < batch.size(); ++i) {
      const Project& p = batch[i];
      const auto& f = figs[i];
      std::vector<CellValue> row = {p.code,
                                    p.name,
                                    std::string(LevelName(p.level)),
                                    p.nature,
                                    p.industry,
                                    p.region_name,
                                    p.total_investment,
                                    f ? CellValue(int64_t{figures.year}) : CellValue(std::monostate{}),
                                    f ? CellValue(f->plan) : CellValue(std::monostate{}),
                                    p.owner,
                                    p.unit,
                                    p.person,
                                    p.leader,
                                    std::string(p.is_demo ? "是" : "否"),
                                    p.status,
                                    p.planned_start ? CellValue(*p.planned_start) : CellValue(std::monostate{}),
                                    p.planned_end ? CellValue(*p.planned_end) : CellValue(std::monostate{}),
                                    p.content,
                                    f ? CellValue(f->completed) : CellValue(std::monostate{}),
                                    Opt(f ? RatioValue(f->completion_pct) : std::nullopt),
                                    Opt(f ? RatioValue(f->ahead_points) : std::nullopt)};
      (*writer)->AddRow(std::move(row));
      total_investment += p.total_investment;
      if (f) {
        total_plan += f->plan;
        total_done += f->completed;
      }
      ++count;
    }
    batch.clear();
    batch_ids.clear();
  };
  constexpr size_t kBatch = 4096;
  Status s = reg.store().StreamProjects(q, [&](const Project& p) {
    batch.push_back(p);
    batch_ids.push_back(p.id);
    if (batch.size() >= kBatch) flush();
  });
  if (!s.ok()) return s;
  flush();
  stats::GroupFigures total;
  total.plan = total_plan;
  total.completed = total_done;
  stats::FillRatios(total, stats::SchedulePct(figures.schedule, figures.year, figures.month, figures.day));
  std::vector<CellValue> sum(spec.columns.size());
  auto at = [&](const std::string& title) -> CellValue& {
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      if (spec.columns[i].title == title) return sum[i];
    }
    throw std::logic_error("no export column " + title);  // a programmer's typo, not user input
  };
  at("项目编码") = std::string("合计");
  at("项目名称") = std::to_string(count) + " 个项目";
  at("总投资(万元)") = total_investment;
  at("年度计划投资(万元)") = total_plan;
  at("累计完成投资(万元)") = total_done;
  at("完成率(%)") = Opt(RatioValue(total.completion_pct));
  at("超/欠时序进度(百分点)") = Opt(RatioValue(total.ahead_points));
  (*writer)->AddTotalRow(sum);
  return (*writer)->Close();
}

Status ExportReports(Register& reg, int year, std::optional<int> month, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "月报";
  spec.title = month ? AsOf(year, *month) + "重点项目月报" : std::to_string(year) + "年重点项目月报";
  spec.subtitle = "单位：万元";
  for (const TemplateColumn& c : ReportTemplate()) {
    spec.columns.push_back({c.title, c.money ? CellKind::kMoneyWan : CellKind::kText, "", "", {}});
    if (c.title == "项目编码") spec.columns.push_back({"项目名称", CellKind::kText, "", "", {}});
  }
  spec.columns.push_back({"填报时间", CellKind::kText, "", "", {}});
  spec.columns.push_back({"填报人", CellKind::kText, "", "", {}});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  Money total;
  int64_t count = 0;
  Status s = reg.store().StreamReports(
      year, month, [&](const std::string& code, const std::string& name, const MonthlyReport& r) {
        (*writer)->AddRow({code, name, r.month.ToString(), r.completed, r.progress, r.problems, r.submitted_at,
                           r.submitted_by});
        total += r.completed;
        ++count;
      });
  if (!s.ok()) return s;
  (*writer)->AddTotalRow({std::string("合计"), std::to_string(count) + " 条", CellValue(), total});
  return (*writer)->Close();
}

Status ExportStats(const stats::StatsResult& r, const std::string& title, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "统计";
  spec.title = title;
  std::string levels;
  for (Level l : r.levels) levels += (levels.empty() ? "" : "、") + std::string(LevelName(l));
  spec.subtitle = (levels.empty() ? std::string("全部项目") : levels) + "    截至 " + AsOf(r.year, r.month) +
                  "    时序进度 " + r.schedule_pct.Format(2) + "%    单位：万元";
  spec.constant_memory = false;
  const std::string g = "投资完成情况";
  spec.columns = {{"排名", CellKind::kInteger, "", "", {}},
                  {"分组", CellKind::kText, "", "", {}},
                  {"项目数", CellKind::kInteger, "", "", {}},
                  {"年度计划投资(万元)", CellKind::kMoneyWan, g, "", {}},
                  {"累计完成投资(万元)", CellKind::kMoneyWan, g, "", {}},
                  {"完成率(%)", CellKind::kPercent, g, "", {}},
                  {"超/欠时序进度(百分点)", CellKind::kPoints, g, "", {}}};
  if (r.by == stats::GroupBy::kProject) spec.columns.insert(spec.columns.begin() + 2, {"项目名称", CellKind::kText, "", "", {}});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  auto row = [&](const stats::GroupFigures& f, CellValue rank) {
    std::vector<CellValue> cells = {rank, f.key, f.projects, f.plan, f.completed, Opt(RatioValue(f.completion_pct)),
                                    Opt(RatioValue(f.ahead_points))};
    if (r.by == stats::GroupBy::kProject) cells.insert(cells.begin() + 2, f.label);
    return cells;
  };
  for (const auto& gf : r.groups) (*writer)->AddRow(row(gf, gf.rank ? CellValue(int64_t{*gf.rank}) : CellValue()));
  (*writer)->AddTotalRow(row(r.total, std::string("合计")));
  return (*writer)->Close();
}

Status ExportReportingStatus(const ReportingStatus& s, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "填报情况";
  spec.title = AsOf(s.month.year, s.month.month) + "重点项目月报填报情况";
  spec.subtitle = "截止日期 " + s.deadline.ToString() + "    应报 " + std::to_string(s.items.size()) + " 个，已报 " +
                  std::to_string(s.reported) + " 个（逾期 " + std::to_string(s.late) + " 个），填报率 " +
                  (s.rate_pct ? s.rate_pct->Format(1) + "%" : "—") + "    单位：万元";
  spec.columns = {{"项目编码", CellKind::kText, "", "", {}, 27},       {"项目名称", CellKind::kText, "", "", {}, 38},
                  {"项目级别", CellKind::kText, "", "", {}, 10},       {"项目业主", CellKind::kText, "", "", {}, 30},
                  {"责任单位", CellKind::kText, "", "", {}, 24},       {"填报状态", CellKind::kText, "", "", {}, 10},
                  {"本月完成投资(万元)", CellKind::kMoneyWan, "", "", {}, 18}, {"填报时间", CellKind::kText, "", "", {}, 22}};
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  for (const auto& item : s.items) {
    const Project& p = item.project;
    std::string state = !item.reported ? "未报" : item.late ? "逾期报送" : "已报";
    (*writer)->AddRow({p.code, p.name, std::string(LevelName(p.level)), p.owner, p.unit, state,
                       item.reported ? CellValue(item.completed) : CellValue(), item.submitted_at});
  }
  (*writer)->AddTotalRow({std::string("合计"), std::to_string(s.items.size()) + " 个项目", CellValue(), CellValue(),
                          CellValue(), "已报 " + std::to_string(s.reported)});
  return (*writer)->Close();
}

Status ExportAudit(const std::vector<AuditEntry>& entries, const std::string& title, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "审计日志";
  spec.title = title;
  spec.subtitle = "共 " + std::to_string(entries.size()) + " 条";
  spec.columns = {{"时间", CellKind::kText, "", "", {}},     {"用户", CellKind::kText, "", "", {}},
                  {"来源地址", CellKind::kText, "", "", {}}, {"操作", CellKind::kText, "", "", {}},
                  {"对象", CellKind::kText, "", "", {}},     {"编号", CellKind::kText, "", "", {}},
                  {"修改前", CellKind::kText, "", "", {}, 60}, {"修改后", CellKind::kText, "", "", {}, 60}};
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  for (const AuditEntry& e : entries) {
    (*writer)->AddRow({e.at, e.actor, e.ip, e.action, e.entity, e.entity_id, e.before_json.value_or(""),
                       e.after_json.value_or("")});
  }
  return (*writer)->Close();
}

Status ExportProjectTable(Register& reg, const Project& p, ProjectTable table, std::optional<int> year,
                          const std::string& path) {
  switch (table) {
    case ProjectTable::kPlans: {
      auto plans = reg.Plans(p.id);
      if (!plans.ok()) return plans.status();
      ExportSpec spec = ProjectTableSpec(p, table, " 年度投资计划");
      spec.columns = {{"年度", CellKind::kText, "", "", {}, 10},
                      {"年度计划投资(万元)", CellKind::kMoneyWan, "", "", {}, 20},
                      {"修改人", CellKind::kText, "", "", {}, 16},
                      {"修改时间", CellKind::kText, "", "", {}, 22}};
      auto writer = documents::XlsxTableWriter::Create(path, spec);
      if (!writer.ok()) return writer.status();
      Money total;
      for (const AnnualPlan& a : *plans) {
        (*writer)->AddRow({std::to_string(a.year), a.plan, a.updated_by, a.updated_at});
        total += a.plan;
      }
      (*writer)->AddTotalRow({"合计 " + std::to_string(plans->size()) + " 个年度", total});
      return (*writer)->Close();
    }
    case ProjectTable::kPlanRevisions: {
      auto revisions = reg.PlanRevisions(p.id);
      if (!revisions.ok()) return revisions.status();
      ExportSpec spec = ProjectTableSpec(p, table, " 年度计划调整记录");
      const std::string g = "年度计划投资(万元)";
      spec.columns = {{"年度", CellKind::kText, "", "", {}, 10},
                      {"调整前", CellKind::kMoneyWan, g, "", {}, 16},
                      {"调整后", CellKind::kMoneyWan, g, "", {}, 16},
                      {"调整人", CellKind::kText, "", "", {}, 16},
                      {"调整时间", CellKind::kText, "", "", {}, 22}};
      auto writer = documents::XlsxTableWriter::Create(path, spec);
      if (!writer.ok()) return writer.status();
      for (const PlanRevision& r : *revisions) {
        (*writer)->AddRow({std::to_string(r.year), r.old_plan ? CellValue(*r.old_plan) : CellValue(), r.new_plan,
                           r.changed_by, r.changed_at});
      }
      return (*writer)->Close();
    }
    case ProjectTable::kReports: {
      auto reports = reg.Reports(p.id);
      if (!reports.ok()) return reports.status();
      std::string what = year ? " " + std::to_string(*year) + "年月报" : " 月报";
      ExportSpec spec = ProjectTableSpec(p, table, what);
      if (year) {
        auto plans = reg.Plans(p.id);
        if (!plans.ok()) return plans.status();
        for (const AnnualPlan& a : *plans) {
          if (a.year == *year) {
            spec.subtitle.insert(spec.subtitle.rfind("    单位"),
                                 "    " + std::to_string(*year) + "年计划投资 " + FormatWan(a.plan) + " 万元");
          }
        }
      }
      spec.columns = {{"填报月份", CellKind::kText, "", "", {}, 10},
                      {"本月完成投资(万元)", CellKind::kMoneyWan, "", "", {}, 18},
                      {"形象进度", CellKind::kText, "", "", {}, 40},
                      {"存在问题", CellKind::kText, "", "", {}, 36},
                      {"填报人", CellKind::kText, "", "", {}, 16},
                      {"填报时间", CellKind::kText, "", "", {}, 22}};
      auto writer = documents::XlsxTableWriter::Create(path, spec);
      if (!writer.ok()) return writer.status();
      Money total;
      int64_t count = 0;
      for (const MonthlyReport& r : *reports) {
        if (year && r.month.year != *year) continue;
        (*writer)->AddRow({r.month.ToString(), r.completed, r.progress, r.problems, r.submitted_by, r.submitted_at});
        total += r.completed;
        ++count;
      }
      (*writer)->AddTotalRow({"合计 " + std::to_string(count) + " 个月", total});
      return (*writer)->Close();
    }
    case ProjectTable::kHistory: {
      auto history = reg.History(p.id);
      if (!history.ok()) return history.status();
      auto regions = reg.Regions();
      if (!regions.ok()) return regions.status();
      ExportSpec spec = ProjectTableSpec(p, table, " 变更记录");
      spec.subtitle = spec.subtitle.substr(0, spec.subtitle.rfind("    单位"));
      const std::string g = "变更内容";
      spec.columns = {{"时间", CellKind::kText, "", "", {}, 22},
                      {"操作人", CellKind::kText, "", "", {}, 16},
                      {"操作", CellKind::kText, "", "", {}, 8},
                      {"字段", CellKind::kText, g, "", {}, 16},
                      {"修改前", CellKind::kText, g, "", {}, 40},
                      {"修改后", CellKind::kText, g, "", {}, 40}};
      auto writer = documents::XlsxTableWriter::Create(path, spec);
      if (!writer.ok()) return writer.status();
      for (const HistoryEntry& h : *history) {
        const char* action = HistoryAction(h.action);
        std::string act = action ? action : h.action;
        boost::system::error_code ec;
        boost::json::value changes = boost::json::parse(h.changes, ec);
        if (ec || !changes.is_object() || changes.as_object().empty()) {
          (*writer)->AddRow({h.changed_at, h.changed_by, act, CellValue(), CellValue(), ec ? h.changes : ""});
          continue;
        }
        for (const auto& [key, pair] : changes.as_object()) {
          const std::string field(key);
          bool two = pair.is_array() && pair.as_array().size() == 2;
          std::string before = two ? FieldValue(field, pair.as_array()[0], *regions) : "";
          std::string after = two ? FieldValue(field, pair.as_array()[1], *regions) : FieldValue(field, pair, *regions);
          (*writer)->AddRow({h.changed_at, h.changed_by, act, FieldTitle(field), before, after});
        }
      }
      return (*writer)->Close();
    }
  }
  return InvalidArgument("没有这个表 (no such table)", "table");
}

Status ExportUsers(const std::vector<User>& users, const std::vector<Region>& regions, int64_t now,
                   const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "用户";
  spec.title = "系统用户";
  spec.subtitle = "截至 " + UnixIso(now) + "    共 " + std::to_string(users.size()) + " 个用户";
  spec.constant_memory = false;
  const std::string scope = "权限范围", state = "账户状态";
  spec.columns = {{"用户名", CellKind::kText, "", "", {}, 18},
                  {"姓名", CellKind::kText, "", "", {}, 16},
                  {"角色", CellKind::kText, scope, "", {}, 14},
                  {"所属单位", CellKind::kText, scope, "", {}, 30},
                  {"所属地区", CellKind::kText, scope, "", {}, 14},
                  {"状态", CellKind::kText, state, "", {}, 10},
                  {"锁定至", CellKind::kText, state, "", {}, 22},
                  {"待改密码", CellKind::kText, state, "", {}, 10},
                  {"创建时间", CellKind::kText, "", "", {}, 22}};
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  int disabled = 0, locked = 0;
  for (const User& u : users) {
    const bool is_locked = !u.disabled && u.locked_until > now;
    disabled += u.disabled;
    locked += is_locked;
    (*writer)->AddRow({u.login, u.display_name, std::string(RoleTitle(u.role)), u.unit, RegionName(regions, u.region_id),
                       std::string(u.disabled ? "已停用" : is_locked ? "已锁定" : "正常"),
                       is_locked ? CellValue(UnixIso(u.locked_until)) : CellValue(),
                       std::string(u.must_change_password ? "是" : "否"), u.created_at});
  }
  (*writer)->AddTotalRow({std::string("合计"), std::to_string(users.size()) + " 个用户", CellValue(), CellValue(), CellValue(),
                          "停用 " + std::to_string(disabled) + "，锁定 " + std::to_string(locked)});
  return (*writer)->Close();
}

Status WriteTemplate(const std::string& kind, const std::string& path) {
  if (kind != "projects" && kind != "reports" && kind != "nodes" && kind != "problems" && kind != "financing") {
    return InvalidArgument("模板类型应为 projects、reports、nodes、problems 或 financing (unknown template)", "kind");
  }
  ExportSpec spec;
  spec.sheet_name = kind == "projects" ? "项目导入模板" : kind == "reports" ? "月报导入模板"
                    : kind == "nodes"  ? "节点导入模板" : kind == "problems" ? "问题台账导入模板" : "融资需求导入模板";
  spec.constant_memory = false;
  for (const TemplateColumn& c : kind == "projects"   ? ProjectTemplate()
                                 : kind == "reports"  ? ReportTemplate()
                                 : kind == "nodes"    ? NodeTemplateColumns()
                                 : kind == "problems" ? ProblemTemplateColumns()
                                                      : FinancingTemplateColumns()) {
    spec.columns.push_back({c.title, CellKind::kText, "", c.note, c.choices});
  }
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  return (*writer)->Close();
}

template <typename Row>
Status WriteErrorWorkbook(const ParsedImport<Row>& parsed, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = parsed.sheet.empty() || parsed.sheet == "CSV" ? "导入错误" : parsed.sheet;
  spec.title = "导入检查结果：" + std::to_string(parsed.error_count()) + " 处错误，未写入任何数据";
  spec.subtitle = "红色单元格有误，最后一列为原因";
  // Past the cap only the rows with a listed error are written back, so the workbook stays small.
  const bool capped = parsed.errors_omitted > 0;
  if (capped) {
    spec.subtitle += "；仅列出前 " + std::to_string(parsed.errors.size()) + " 处错误所在的行，另有 " +
                     std::to_string(parsed.errors_omitted) + " 处未列出";
  }
  spec.constant_memory = false;
  spec.columns.push_back({"行号", CellKind::kInteger, "", "", {}});
  for (const std::string& h : parsed.header) spec.columns.push_back({h, CellKind::kText, "", "", {}});
  spec.columns.push_back({"错误说明", CellKind::kText, "", "", {}, 70});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  std::map<int, std::vector<const ImportError*>> by_row;
  std::vector<const ImportError*> whole_file;
  for (const ImportError& e : parsed.errors) {
    if (e.row > parsed.header_row) by_row[e.row].push_back(&e);
    else whole_file.push_back(&e);
  }
  const size_t width = parsed.header.size();
  if (!whole_file.empty()) {
    std::string text;
    for (const ImportError* e : whole_file) text += (text.empty() ? "" : "；") + FormatImportError(*e);
    std::vector<CellValue> cells(width + 2);
    cells[0] = int64_t{parsed.header_row};
    cells[width + 1] = text;
    std::vector<bool> bad(width + 2, false);
    bad[width + 1] = true;
    (*writer)->AddRowMarked(std::move(cells), std::move(bad));
  }
  for (const CsvRecord& rec : parsed.table) {
    std::vector<CellValue> cells(width + 2);
    std::vector<bool> bad(width + 2, false);
    cells[0] = int64_t{rec.line};
    for (size_t i = 0; i < width && i < rec.fields.size(); ++i) cells[i + 1] = rec.fields[i];
    auto it = by_row.find(rec.line);
    if (capped && it == by_row.end()) continue;
    if (it != by_row.end()) {
      std::string text;
      for (const ImportError* e : it->second) {
        if (e->col >= 0 && static_cast<size_t>(e->col) < width) bad[e->col + 1] = true;
        text += (text.empty() ? "" : "；") + (e->column.empty() ? "" : "「" + e->column + "」") + e->reason;
      }
      cells[width + 1] = text;
      bad[width + 1] = true;
    }
    (*writer)->AddRowMarked(std::move(cells), std::move(bad));
  }
  return (*writer)->Close();
}

template Status WriteErrorWorkbook(const ParsedImport<ProjectImportRow>&, const std::string&);
template Status WriteErrorWorkbook(const ParsedImport<ReportImportRow>&, const std::string&);
template Status WriteErrorWorkbook(const ParsedImport<NodeImportRow>&, const std::string&);
template Status WriteErrorWorkbook(const ParsedImport<ProblemImportRow>&, const std::string&);
template Status WriteErrorWorkbook(const ParsedImport<FinancingImportRow>&, const std::string&);

Status ExportProblemList(const ProblemPage& page, const ProblemSettings& s, const Date& as_of, const std::string& path) {
  using documents::Tone;
  ExportSpec spec;
  spec.sheet_name = "问题清单";
  spec.title = "重点项目问题清单";
  spec.subtitle = "截至 " + as_of.ToString() + "    共 " + std::to_string(page.total) + " 个问题";
  for (const char* t : {"项目编码", "问题类别", "问题描述", "主办单位", "协办单位", "责任人", "提出日期", "办结时限", "状态",
                        "办结日期", "办理结果", "问题来源", "项目名称", "督办层级", "逾期天数"}) {
    const bool date = std::string(t) == "提出日期" || std::string(t) == "办结时限" || std::string(t) == "办结日期";
    const bool wide = std::string(t) == "问题描述" || std::string(t) == "办理结果" || std::string(t) == "项目名称";
    spec.columns.push_back({t, date ? CellKind::kDate : std::string(t) == "逾期天数" ? CellKind::kInteger : CellKind::kText,
                            "", "", {}, wide ? 40.0 : 0.0});
  }
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  auto opt = [](const std::optional<Date>& d) -> CellValue { return d ? CellValue(*d) : CellValue(); };
  for (const ProblemRow& r : page.items) {
    const Problem& p = r.problem;
    std::string co;
    for (const auto& u : p.co_units) co += (co.empty() ? "" : "、") + u;
    std::vector<CellValue> cells = {r.project.code, p.category, p.text, p.lead_unit, co, p.person,
                                    p.raised_on, opt(p.deadline), std::string(ProblemStateLabel(p.state)), opt(p.closed_on),
                                    p.answer, p.source, r.project.name, EscalationLabel(s, p.escalation),
                                    r.overdue_days ? CellValue(static_cast<int64_t>(*r.overdue_days)) : CellValue()};
    const Tone tone = r.overdue_days ? Tone::kRed : p.state == ProblemState::kClosed ? Tone::kGreen : Tone::kNone;
    std::vector<Tone> tones(cells.size(), Tone::kNone);
    tones[8] = tone;
    if (r.overdue_days) tones[14] = Tone::kRed;
    (*writer)->AddRowToned(std::move(cells), std::move(tones));
  }
  return (*writer)->Close();
}

Status ExportAssessment(const stats::AssessmentResult& r, const std::string& path) {
  ExportSpec spec;
  spec.sheet_name = "考核";
  const char* period = r.period == "year" ? "年度" : r.period == "quarter" ? "季度" : "月度";
  spec.title = std::to_string(r.year) + "年" + (r.period == "quarter" ? "第" + std::to_string(r.month / 3) + "季度"
                                                : r.period == "year" ? std::string()
                                                                     : std::to_string(r.month) + "月") +
               "重点项目" + period + "考核得分";
  spec.subtitle = r.scheme + "    截至 " + AsOf(r.year, r.month) + "    时序进度 " + r.schedule_pct.Format(2) + "%";
  spec.constant_memory = false;
  spec.columns = {{"排名", CellKind::kInteger, "", "", {}}, {r.by == stats::GroupBy::kUnit ? "单位" : "乡镇（园区）", CellKind::kText, "", "", {}},
                  {"总分", CellKind::kNumber, "", "", {}}};
  for (const stats::AssessmentItem& it : r.items) {
    spec.columns.push_back({it.name + "(" + stats::DecimalText(it.max) + "分)", CellKind::kNumber, "得分", "", {}});
  }
  spec.columns.push_back({"计分说明", CellKind::kText, "", "", {}, 80});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  // Each figure as displayed (two decimals, exact rounding), so the sheet shows the page's digits.
  auto points = [](const Ratio& x) { return CellValue(std::stod(x.Format(2))); };
  for (const stats::UnitScore& u : r.scores) {
    std::vector<CellValue> cells = {int64_t{u.rank}, u.key, points(u.total)};
    std::string basis;
    for (const stats::ItemScore& s : u.items) {
      cells.push_back(points(s.points));
      basis += (basis.empty() ? "" : "\n") + s.name + "：" + s.basis;
    }
    cells.push_back(basis);
    (*writer)->AddRow(cells);
  }
  return (*writer)->Close();
}

Status ExportFinancingList(const FinancingPage& page, const Date& as_of, const std::string& path) {
  using documents::Tone;
  ExportSpec spec;
  spec.sheet_name = "融资需求";
  spec.title = "重点项目融资需求清单";
  spec.subtitle = "截至 " + as_of.ToString() + "    共 " + std::to_string(page.total) + " 项    单位：万元";
  struct Col {
    const char* title;
    CellKind kind;
    double width;
  };
  for (Col c : {Col{"项目编码", CellKind::kText, 0}, Col{"融资类型", CellKind::kText, 0}, Col{"融资金额(万元)", CellKind::kMoneyWan, 0},
                Col{"年内需求(万元)", CellKind::kMoneyWan, 0}, Col{"期限(年)", CellKind::kInteger, 0}, Col{"贷款用途", CellKind::kText, 30},
                Col{"对接银行", CellKind::kText, 30}, Col{"阶段", CellKind::kText, 0}, Col{"授信金额(万元)", CellKind::kMoneyWan, 0},
                Col{"放款金额(万元)", CellKind::kMoneyWan, 0}, Col{"登记日期", CellKind::kDate, 0}, Col{"项目名称", CellKind::kText, 30},
                Col{"银行答复", CellKind::kText, 50}}) {
    spec.columns.push_back({c.title, c.kind, "", "", {}, c.width});
  }
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  static const std::map<std::string, std::string> kAnswers = {
      {"", "未答复"}, {"interested", "有意向"}, {"documents", "需补充材料"}, {"ineligible", "暂不符合"}, {"approving", "审批中"}};
  for (const FinancingRow& r : page.items) {
    const FinancingDemand& d = r.demand;
    const bool rejected = d.stage == FinancingStage::kRejected;
    std::string banks, answers;
    int64_t credit = 0, loans = 0;
    for (const BankPush& p : d.pushes) {
      banks += (banks.empty() ? "" : "、") + p.bank;
      auto a = kAnswers.find(p.answer);
      answers += (answers.empty() ? "" : "；") + p.bank + "：" + (a == kAnswers.end() ? p.answer : a->second);
      if (!p.answer_note.empty()) answers += "（" + p.answer_note + "）";
      if (p.credit) answers += "，授信" + FormatWan(*p.credit) + "万元", credit += p.credit->yuan;
      for (const Disbursement& x : p.disbursements) loans += x.amount.yuan;
    }
    if (rejected && !d.reject_reason.empty()) answers += (answers.empty() ? "" : "；") + std::string("未通过：") + d.reject_reason;
    const bool show_credit = !rejected && d.stage >= FinancingStage::kCredited;
    const bool show_loans = !rejected && d.stage == FinancingStage::kDisbursed;
    std::vector<CellValue> cells = {r.project.code, d.kind, d.amount, d.year_need, static_cast<int64_t>(d.term_years),
                                    d.purpose, banks, std::string(FinancingStageLabel(d.stage)),
                                    show_credit ? CellValue(Money{credit}) : CellValue(),
                                    show_loans ? CellValue(Money{loans}) : CellValue(), d.registered_on, r.project.name,
                                    answers};
    std::vector<Tone> tones(cells.size(), Tone::kNone);
    tones[7] = rejected ? Tone::kRed : d.stage >= FinancingStage::kCredited ? Tone::kGreen : Tone::kNone;
    (*writer)->AddRowToned(std::move(cells), std::move(tones));
  }
  return (*writer)->Close();
}

}  // namespace kp
