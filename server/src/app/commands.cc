#include "app/commands.h"
#include "common/json_text.h"

#include <boost/json.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <charconv>
#include <ctime>
#include <fstream>
#include <iostream>
#include <unordered_map>
#include <sstream>

#include "api/routes.h"
#include "domain/change_follower.h"
#include "domain/demo_data.h"
#include "domain/assessment.h"
#include "domain/tours.h"
#include "domain/redblack.h"
#include "domain/reports.h"
#include "reports/report_files.h"
#include "domain/exports.h"
#include "domain/leads.h"
#include "domain/milestones.h"
#include "domain/photos.h"
#include "domain/reminders.h"
#include "domain/wallchart.h"
#include "domain/warnings_export.h"
#include "domain/register.h"
#include "api/openapi.h"
#include "http/access_log.h"
#include "http/beast_server.h"
#include "http/metrics.h"
#include "http/middleware.h"
#include "http/static_files.h"
#include "domain/auth.h"
#include "spdlog/spdlog.h"
#include "stats/stats_json.h"
#include "stats/stats_query.h"
#include "stats/financing_stats_json.h"
#include "stats/lead_stats_json.h"
#include "stats/problem_stats_json.h"
#include "stats/warnings_json.h"
#include "store/change_listener.h"
#include "store/store.h"

namespace kp::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitBadInput = 3;

// Opens and migrates the database, and loads the statistics cache.
struct Env {
  std::unique_ptr<store::Store> store;
  stats::StatsEngine engine;
  std::unique_ptr<Register> reg;
  std::unique_ptr<Milestones> milestones;
  std::unique_ptr<Reminders> reminders;
  std::unique_ptr<Problems> problems;
  std::unique_ptr<Supervision> supervision;
  std::unique_ptr<Financing> financing;
  std::unique_ptr<Photos> photos;
};

// blob_dir: where photos are kept ("" is DefaultBlobDir(db)).
std::unique_ptr<Env> OpenEnv(const std::string& db, bool load_stats = true, const std::string& blob_dir = "") {
  auto store = store::Store::Open(db);
  if (!store.ok()) {
    std::cerr << "错误: " << store.status().message() << "\n";
    return nullptr;
  }
  auto env = std::make_unique<Env>();
  env->store = std::move(*store);
  if (Status s = env->store->Migrate(); !s.ok()) {
    std::cerr << "错误: 迁移失败 (migration failed): " << s.message() << "\n";
    return nullptr;
  }
  env->reg = std::make_unique<Register>(*env->store, env->engine);
  env->milestones = std::make_unique<Milestones>(*env->store, *env->reg);
  env->reminders = std::make_unique<Reminders>(*env->store, *env->reg, *env->milestones);
  env->problems = std::make_unique<Problems>(*env->store, *env->reg);
  env->reminders->SetProblems(env->problems.get());
  env->supervision = std::make_unique<Supervision>(*env->store, *env->reg, *env->problems);
  env->financing = std::make_unique<Financing>(*env->store, *env->reg);
  env->photos = std::make_unique<Photos>(
      *env->store, std::make_unique<FolderBlobStore>(blob_dir.empty() ? DefaultBlobDir(db) : blob_dir));
  if (Status s = env->milestones->EnsureTemplates(); !s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return nullptr;
  }
  if (load_stats) {
    if (Status s = env->reg->LoadStats(); !s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return nullptr;
    }
  }
  return env;
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The statistics question of the CLI flags, with the bureau's settings as defaults; prints why not.
std::optional<stats::StatsQuery> StatsQueryFromArgs(Env& env, const StatsArgs& a) {
  auto settings = env.reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return std::nullopt;
  }
  std::map<std::string, std::string> params = {{"year", a.year},     {"month", a.month},         {"day", a.day},
                                               {"levels", a.levels}, {"by", a.by},               {"depth", a.depth},
                                               {"region_id", a.region_id}, {"schedule", a.schedule}};
  auto q = stats::ParseStatsQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), env.engine);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return std::nullopt;
  }
  return *q;
}

template <typename Row>
int ReportImport(const Result<ImportOutcome<Row>>& out) {
  if (!out.ok()) {
    std::cerr << "错误: " << out.status().message() << "\n";
    return kExitError;
  }
  if (!out->ok()) {
    std::cerr << "导入失败，未写入任何数据 (import rejected, nothing written): " << out->parsed.error_count()
              << " 处错误\n";
    for (const ImportError& e : out->parsed.errors) std::cerr << "  " << FormatImportError(e) << "\n";
    if (out->parsed.errors_omitted > 0) {
      std::cerr << "  …另有 " << out->parsed.errors_omitted << " 处错误未列出 (" << out->parsed.errors_omitted
                << " more not listed)\n";
    }
    return kExitBadInput;
  }
  const ImportSummary& s = out->summary;
  std::cout << "导入成功 (" << out->parsed.encoding << ")：" << s.rows << " 行";
  if (s.projects_created + s.projects_updated + s.projects_unchanged > 0) {
    std::cout << "，新增项目 " << s.projects_created << "，更新 " << s.projects_updated << "，未变 "
              << s.projects_unchanged << "，年度计划写入 " << s.plans_written;
  } else {
    std::cout << "，新增月报 " << s.reports_created << "，替换 " << s.reports_replaced << "，未变 "
              << s.reports_unchanged;
  }
  std::cout << "\n";
  if (!s.regions_created.empty()) {
    std::cout << "新建地区 (regions created):";
    for (const auto& r : s.regions_created) std::cout << " " << r;
    std::cout << "\n";
  }
  for (const auto& c : out->parsed.ignored_columns) std::cout << "忽略未识别的列 (ignored column): " << c << "\n";
  return kExitOk;
}

// /metrics (with the gauges of this process) and /api/openapi.json: the same in `serve` and `routes`.
void AddOperationsRoutes(http::Router& router, http::Metrics& metrics, Register& reg) {
  const stats::StatsEngine& engine = reg.stats_engine();
  http::AddMetrics(router, metrics);
  metrics.AddGauge("keyproject_cache_generation", "Generation of the in-memory statistics cache (bumped on each write).",
                   [&engine] { return static_cast<double>(engine.generation()); });
  // How long since this server last read the change log and found its cache current: the poll
  // interval (or less, on NOTIFY) when healthy; growing when the database cannot be read.
  metrics.AddGauge("keyproject_cache_lag_seconds",
                   "Seconds since the statistics cache was last confirmed equal to the database's change log.",
                   [&reg] { return reg.SecondsSinceSync(); });
  metrics.AddGauge("keyproject_change_seq", "The change-log sequence number the statistics cache reflects.",
                   [&reg] { return static_cast<double>(reg.applied_seq()); });
  api::AddOpenApiRoute(router);
}

}  // namespace

int RunMigrate(const std::string& db) {
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  auto v = env->store->SchemaVersion();
  std::cout << "数据库已是最新 (schema version " << (v.ok() ? *v : -1) << ")\n";
  return kExitOk;
}

int RunImport(const std::string& db, const std::string& kind, const std::string& file, const std::string& sheet,
              const std::string& errors_xlsx, bool dry_run) {
  bool ok = false;
  std::string bytes = ReadFile(file, &ok);
  if (!ok) {
    std::cerr << "错误: 无法读取文件 (cannot read) " << file << "\n";
    return kExitError;
  }
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  ImportOptions options{sheet, dry_run};
  auto finish = [&](const auto& out) {
    if (out.ok() && !out->ok() && !errors_xlsx.empty()) {
      if (Status s = WriteErrorWorkbook(out->parsed, errors_xlsx); s.ok()) {
        std::cerr << "错误明细已写入 (errors written to) " << errors_xlsx << "\n";
      } else {
        std::cerr << "错误: " << s.message() << "\n";
      }
    }
    if (dry_run && out.ok() && out->ok()) {
      std::cout << "检查通过，未写入 (dry run: " << out->parsed.table.size() << " 行无错误)\n";
      return kExitOk;
    }
    return ReportImport(out);
  };
  if (kind == "projects") return finish(env->reg->ImportProjectsFile(bytes, "cli", options));
  if (kind == "nodes") {
    auto out = env->milestones->ImportNodesFile(bytes, "cli", options);
    if (!out.ok() || !out->ok() || dry_run) return finish(out);
    const NodeImportSummary& n = out->node_summary;
    std::cout << "导入完成 (imported): " << n.rows << " 行, 新增节点 " << n.created << ", 更新 " << n.updated << ", 未变 "
              << n.unchanged << ", 涉及项目 " << n.projects.size() << "\n";
    return kExitOk;
  }
  if (kind == "problems") {
    auto out = env->problems->ImportFile(bytes, "cli", options);
    if (!out.ok() || !out->ok() || dry_run) return finish(out);
    std::cout << "导入完成 (imported): " << out->problem_summary.rows << " 行, 新增问题 " << out->problem_summary.added
              << ", 跳过已有 " << out->problem_summary.skipped << "\n";
    return kExitOk;
  }
  if (kind == "financing") {
    auto out = env->financing->ImportFile(bytes, "cli", options);
    if (!out.ok() || !out->ok() || dry_run) return finish(out);
    std::cout << "导入完成 (imported): " << out->summary.rows << " 行, 新增融资需求 " << out->summary.projects_created
              << ", 跳过已有 " << out->summary.rows - out->summary.projects_created << "\n";
    return kExitOk;
  }
  return finish(env->reg->ImportReportsFile(bytes, "cli", options));
}

int RunTemplate(const std::string& kind, const std::string& output) {
  if (Status s = WriteTemplate(kind, output); !s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return kExitError;
  }
  std::cout << "模板已写入 (template written): " << output << "\n";
  return kExitOk;
}

// `export users` and `export project`: tables that ask no statistics question.
Status ExportRecords(Env& env, const ExportArgs& a) {
  if (a.kind == "users") {
    auto users = env.store->ListUsers();
    if (!users.ok()) return users.status();
    auto regions = env.reg->Regions();
    if (!regions.ok()) return regions.status();
    return ExportUsers(*users, *regions, static_cast<int64_t>(std::time(nullptr)), a.output);
  }
  auto table = ParseProjectTable(a.table);
  if (!table) return InvalidArgument("--table 应为 plans、plan_revisions、reports 或 history (unknown table)", "table");
  if (a.code.empty()) return InvalidArgument("请用 --code 指定项目编码 (--code is required)", "code");
  std::optional<int> year;
  if (!a.stats.year.empty()) {
    int y = 0;
    auto [end, ec] = std::from_chars(a.stats.year.data(), a.stats.year.data() + a.stats.year.size(), y);
    if (ec != std::errc() || end != a.stats.year.data() + a.stats.year.size()) {
      return InvalidArgument("--year 应为四位年份 (bad year)", "year");
    }
    year = y;
  }
  store::ProjectQuery q;
  q.q = a.code;
  q.page_size = 0;
  auto page = env.reg->ListProjects(q);
  if (!page.ok()) return page.status();
  for (const Project& p : page->items) {
    if (p.code == a.code) return ExportProjectTable(*env.reg, p, *table, year, a.output);
  }
  return NotFound("项目不存在 (no project with this code): " + a.code);
}

int RunExport(const std::string& db, const ExportArgs& a) {
  if (a.kind == "wallchart") {
    auto env = OpenEnv(db);
    if (!env) return kExitError;
    auto settings = env->reg->GetSettings();
    if (!settings.ok()) {
      std::cerr << "错误: " << settings.status().message() << "\n";
      return kExitError;
    }
    auto q = stats::ParseWarningQuery({{"as_of", a.as_of}, {"levels", a.stats.levels}, {"region_id", a.stats.region_id},
                                       {"demo", a.demo}},
                                      StatsDefaultsOf(*settings, TodayBeijing()), env->engine);
    Status s = q.ok() ? ExportWallChart(*env->milestones, *q, a.output) : q.status();
    if (!s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return s.code() == ErrorCode::kInvalidArgument ? kExitBadInput : kExitError;
    }
    std::cout << "已导出 (exported): " << a.output << "\n";
    return kExitOk;
  }
  if (a.kind == "financing") {
    auto env = OpenEnv(db);
    if (!env) return kExitError;
    FinancingFilter f;
    f.limit = 0;
    User bureau;
    bureau.login = "cli";
    bureau.role = Role::kAdmin;
    auto page = env->financing->List(f, bureau);
    Status s = page.ok() ? ExportFinancingList(*page, TodayBeijing(), a.output) : page.status();
    if (!s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return kExitError;
    }
    std::cout << "已导出 (exported): " << a.output << "\n";
    return kExitOk;
  }
  if (a.kind == "users" || a.kind == "project") {
    auto env = OpenEnv(db, false);
    if (!env) return kExitError;
    if (Status s = ExportRecords(*env, a); !s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return s.code() == ErrorCode::kInvalidArgument || s.code() == ErrorCode::kNotFound ? kExitBadInput : kExitError;
    }
    std::cout << "已导出 (exported): " << a.output << "\n";
    return kExitOk;
  }
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto q = StatsQueryFromArgs(*env, a.stats);
  if (!q) return kExitBadInput;
  Status s;
  if (a.kind == "projects") {
    store::ProjectQuery pq;
    pq.levels = q->levels;
    pq.page_size = 0;
    if (q->region_id) {
      auto sub = env->reg->RegionSubtree(*q->region_id);
      if (!sub.ok()) {
        std::cerr << "错误: " << sub.status().message() << "\n";
        return kExitBadInput;
      }
      pq.region_ids = *sub;
    }
    s = ExportProjects(*env->reg, pq, *q, a.output);
  } else if (a.kind == "reports") {
    std::optional<int> month;
    if (!a.stats.month.empty()) month = q->month;
    s = ExportReports(*env->reg, q->year, month, a.output);
  } else {
    s = ExportStats(env->reg->Stats(*q), std::to_string(q->year) + "年重点项目投资完成情况", a.output);
  }
  if (!s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return kExitError;
  }
  std::cout << "已导出 (exported): " << a.output << "\n";
  return kExitOk;
}

int RunWarnings(const std::string& db, const WarningsArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto settings = env->reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return kExitError;
  }
  std::map<std::string, std::string> params = {{"as_of", a.as_of}, {"levels", a.levels}, {"by", a.by},
                                               {"region_id", a.region_id}, {"colour", a.colour}, {"demo", a.demo}};
  auto q = stats::ParseWarningQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), env->engine);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  if (a.format == "xlsx") {
    if (a.output.empty()) {
      std::cerr << "错误: --format xlsx 需要 -o 输出文件 (-o FILE is required)\n";
      return kExitBadInput;
    }
    if (Status s = ExportWarnings(*env->milestones, *q, a.output); !s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return s.code() == ErrorCode::kInvalidArgument ? kExitBadInput : kExitError;
    }
    std::cout << "已导出预警清单 (warnings list written): " << a.output << "\n";
    return kExitOk;
  }
  auto r = env->milestones->Warnings(*q);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (a.format == "table") {
    std::cout << stats::WarningResultToTable(*r);
  } else {
    std::cout << ToJsonText(stats::WarningResultToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunProblems(const std::string& db, const ProblemsArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto settings = env->reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return kExitError;
  }
  std::map<std::string, std::string> params = {{"as_of", a.as_of}, {"levels", a.levels}, {"by", a.by}, {"region_id", a.region_id}};
  auto q = stats::ParseProblemQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), env->engine);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  auto r = env->problems->Stats(*q);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (a.format == "table") {
    std::cout << stats::ProblemStatsToTable(*r);
  } else {
    std::cout << ToJsonText(stats::ProblemStatsToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunFinancing(const std::string& db, const FinancingArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto settings = env->reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return kExitError;
  }
  std::map<std::string, std::string> params = {{"year", a.year}, {"month", a.month}, {"levels", a.levels}, {"by", a.by},
                                               {"region_id", a.region_id}};
  auto q = stats::ParseFinancingQuery(params, StatsDefaultsOf(*settings, TodayBeijing()), env->engine);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  auto r = env->financing->Stats(*q);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (a.format == "table") {
    std::cout << stats::FinancingStatsToTable(*r);
  } else {
    std::cout << ToJsonText(stats::FinancingStatsToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunLeads(const std::string& db, const LeadsArgs& a) {
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  auto settings = env->reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return kExitError;
  }
  auto q = stats::ParseLeadQuery({{"year", a.year}, {"as_of", a.as_of}, {"by", a.by}}, settings->current_year);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  User bureau;
  bureau.login = "cli";
  bureau.role = Role::kAdmin;
  auto r = Leads(*env->store, *env->reg).Stats(*q, bureau);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (a.format == "table") {
    std::cout << stats::LeadStatsToTable(*r);
  } else {
    std::cout << ToJsonText(stats::LeadStatsToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunRemind(const std::string& db, const RemindArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  Date as_of = TodayBeijing();
  if (!a.as_of.empty()) {
    auto d = ParseDate(a.as_of);
    if (!d.ok() || !IsValidDate(*d)) {
      std::cerr << "错误: --as-of 应为日期 2024-03-31 (bad --as-of): " << a.as_of << "\n";
      return kExitBadInput;
    }
    as_of = *d;
  }
  auto run = env->reminders->Run(as_of);
  if (!run.ok()) {
    std::cerr << "错误: " << run.status().message() << "\n";
    return kExitError;
  }
  std::cout << "提醒 (reminders) " << as_of.ToString() << ": " << run->reminders << " 项, 新消息 " << run->notifications
            << " 条, 新推送 " << run->jobs << " 条, 问题升级督办 " << run->escalation.escalated << " 个\n";
  if (!a.send) return kExitOk;
  auto sender = MakeCurlSender();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto sent = env->reminders->SendDue(now, *sender, a.backoff_seconds);
  if (!sent.ok()) {
    std::cerr << "错误: " << sent.status().message() << "\n";
    return kExitError;
  }
  std::cout << "推送 (sent) " << sent->sent << ", 待重试 (to retry) " << sent->retried << ", 放弃 (given up) " << sent->failed
            << "\n";
  return kExitOk;
}

int RunStats(const std::string& db, const StatsArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto q = StatsQueryFromArgs(*env, a);
  if (!q) return kExitBadInput;
  stats::StatsResult r = env->reg->Stats(*q);
  if (a.format == "table") {
    std::cout << stats::StatsResultToTable(r);
  } else {
    std::cout << ToJsonText(stats::StatsResultToJson(r)) << "\n";
  }
  return kExitOk;
}

int RunRedBlack(const std::string& db, const RedBlackArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  StatsArgs sa = a.stats;
  if (sa.by.empty()) sa.by = "region";
  auto q = StatsQueryFromArgs(*env, sa);
  if (!q) return kExitBadInput;
  auto l = RedBlackLists(*env->reg).Lists(*q, a.red, a.black);
  if (!l.ok()) {
    std::cerr << "错误: " << l.status().message() << "\n";
    return l.status().code() == ErrorCode::kInvalidArgument ? kExitBadInput : kExitError;
  }
  if (sa.format == "table") {
    std::cout << stats::RedBlackToTable(*l);
  } else {
    std::cout << ToJsonText(stats::RedBlackToJson(*l)) << "\n";
  }
  return kExitOk;
}

int RunTourResults(const std::string& db, const ToursArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto by = a.by == "unit" ? stats::GroupBy::kUnit : stats::GroupBy::kRegion;
  auto r = Tours(env->reg->store(), *env->reg).Results(a.id, by);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return r.status().code() == ErrorCode::kInvalidArgument || r.status().code() == ErrorCode::kNotFound ? kExitBadInput
                                                                                                          : kExitError;
  }
  if (a.format == "table") {
    std::cout << stats::TourResultToTable(*r);
  } else {
    std::cout << ToJsonText(stats::TourResultToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunAssessment(const std::string& db, const AssessmentArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  StatsArgs sa = a.stats;
  if (sa.by.empty()) sa.by = "region";
  auto period = stats::ParseAssessmentPeriod(a.quarter, a.period, sa.month);
  if (!period.ok()) {
    std::cerr << "错误: " << period.status().message() << "\n";
    return kExitBadInput;
  }
  if (period->month) sa.month = std::to_string(*period->month);
  auto q = StatsQueryFromArgs(*env, sa);
  if (!q) return kExitBadInput;
  auto r = Assessments(*env->reg, *env->milestones, *env->problems).Scores(*q, period->name);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return r.status().code() == ErrorCode::kInvalidArgument ? kExitBadInput : kExitError;
  }
  if (!a.output.empty()) {
    if (Status st = ExportAssessment(*r, a.output); !st.ok()) {
      std::cerr << "错误: " << st.message() << "\n";
      return kExitError;
    }
    std::cout << "已导出 (written) " << a.output << "\n";
  } else if (sa.format == "table") {
    std::cout << stats::AssessmentToTable(*r);
  } else {
    std::cout << ToJsonText(stats::AssessmentToJson(*r)) << "\n";
  }
  return kExitOk;
}

int RunReport(const std::string& db, const ReportArgs& a) {
  if (a.output.empty() && a.format != "json") {
    std::cerr << "错误: 需要 -o FILE.docx|FILE.pdf 或 --format json (-o or --format json is required)\n";
    return kExitBadInput;
  }
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  User bureau;
  bureau.login = "cli";
  bureau.role = Role::kAdmin;
  auto q = ParseReportQuestion(
      a.kind, {{"year", a.year}, {"month", a.month}, {"quarter", a.quarter}, {"week", a.week}, {"levels", a.levels}, {"date", a.date}},
      bureau);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  Reports reports(*env->reg, *env->milestones, *env->problems, *env->supervision, *env->financing);
  auto r = reports.Build(*q);
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (a.output.empty()) {
    std::cout << ToJsonText(reports::ReportToJson(*r)) << "\n";
    return kExitOk;
  }
  if (Status s = reports::WriteReport(*r, a.output); !s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return s.code() == ErrorCode::kInvalidArgument ? kExitBadInput : kExitError;
  }
  std::cout << "已生成报告 (report written): " << a.output << "\n";
  return kExitOk;
}

namespace {

// Where `demo` writes the logins it made: beside the SQLite file, or in the working folder.
std::string DefaultLoginsPath(const std::string& db) {
  auto url = store::ParseDbUrl(db);
  if (url.ok() && !url->postgres) return url->path + ".logins";
  return "demo-logins.txt";
}

// Writes `login<TAB>password<TAB>role` lines to a file only its owner can read (0600).
Status WriteLoginsFile(const std::string& path, const std::vector<std::array<std::string, 3>>& rows) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("无法写入 (cannot write) " + path + ": " + std::strerror(errno));
  std::string text;
  for (const auto& r : rows) text += r[0] + "\t" + r[1] + "\t" + r[2] + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return Internal("无法写入 (cannot write) " + path);
  return Status::Ok();
}

}  // namespace

int RunDemo(const std::string& db, const DemoArgs& args) {
  const bool reset = args.reset;
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  if (reset) {
    if (Status s = env->store->Truncate(); !s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return kExitError;
    }
  }
  auto has_data = env->store->HasData();
  if (!has_data.ok()) {
    std::cerr << "错误: " << has_data.status().message() << "\n";
    return kExitError;
  }
  if (*has_data) {
    if (args.if_empty) {
      std::cout << "数据库已有数据，未载入演示数据 (the database has data: demo not loaded)\n";
      return kExitOk;
    }
    std::cerr << "数据库已有数据，未载入演示数据；如确需清空后重载请加 --reset (database not empty; --reset destroys it)\n";
    return kExitBadInput;
  }
  DemoData d = GenerateDemoData();
  std::vector<int64_t> ids;
  for (const DemoRegion& r : d.regions) {
    std::optional<int64_t> parent = r.parent < 0 ? std::nullopt : std::optional<int64_t>(ids[r.parent]);
    auto created = env->reg->CreateRegion(parent, r.name, r.code, "demo");
    if (!created.ok()) {
      std::cerr << "错误: " << created.status().message() << "\n";
      return kExitError;
    }
    ids.push_back(created->id);
  }
  Settings s;
  s.current_year = 2024;
  s.home_region_id = ids[d.home_region];
  if (Status st = env->reg->SaveSettings(s, "demo"); !st.ok()) {
    std::cerr << "错误: " << st.message() << "\n";
    return kExitError;
  }
  for (const auto* rows : {&d.projects_2024, &d.projects_2023}) {
    auto r = env->reg->ImportProjectRows(*rows, "demo");
    if (!r.ok()) {
      std::cerr << "错误: " << r.status().message() << "\n";
      return kExitError;
    }
  }
  auto r = env->reg->ImportReportRows(d.reports, "demo");
  if (!r.ok()) {
    std::cerr << "错误: " << r.status().message() << "\n";
    return kExitError;
  }
  if (Status st = env->milestones->EnsureTemplates(); !st.ok()) {  // again after --reset emptied them
    std::cerr << "错误: " << st.message() << "\n";
    return kExitError;
  }
  if (auto n = env->milestones->ImportNodeRows(d.nodes, "demo"); !n.ok()) {
    std::cerr << "错误: " << n.status().message() << "\n";
    return kExitError;
  }
  // The demo's photos need no fsync per blob (the demo can be loaded again): that keeps it fast.
  constexpr int kDemoPhotoProjects = 5;
  Photos demo_photos(*env->store, std::make_unique<FolderBlobStore>(DefaultBlobDir(db), false));
  if (auto n = AttachDemoPhotos(demo_photos, *env->store, d.projects_2024[10].project.code, kDemoPhotoProjects); !n.ok()) {
    std::cerr << "错误: " << n.status().message() << "\n";
    return kExitError;
  }
  // Demo users of every role. The owner and department users are scoped to a unit that has projects.
  AuthService auth(*env->store);
  const Project& sample = d.projects_2024[10].project;
  struct DemoUser {
    const char* login;
    const char* name;
    Role role;
    std::string unit;
    std::string password;
  };
  // The leader login chairs (包抓) the sample project and the others of its 包抓领导: its name is theirs.
  const char* demo_leader = sample.leader.empty() ? "县领导" : sample.leader.c_str();
  // Nothing ships with a password anyone can read: each demo login gets a fresh random one.
  std::vector<DemoUser> users = {
      {"admin", "发改局管理员", Role::kAdmin, "", ""},
      {"dept", "责任单位填报员", Role::kDepartment, sample.unit, ""},
      {"owner", "项目业主填报员", Role::kOwner, sample.owner, ""},
      {"leader", demo_leader, Role::kLeader, "", ""},
      {"bank", "银行客户经理", Role::kBank, kDemoBanks[3], ""},
      {"auditor", "审计员", Role::kAuditor, "", ""},
      {kDemoInvestmentStaff[0], "招商专员", Role::kInvestment, "", ""},
      {kDemoInvestmentStaff[1], "招商专员（二）", Role::kInvestment, "", ""},
      {kDemoRaters[3], "人大常委会 刘主任", Role::kLeader, "", ""},
      {kDemoRaters[4], "政协 赵主席", Role::kLeader, "", ""},
  };
  std::vector<std::array<std::string, 3>> logins;
  for (DemoUser& u : users) {
    u.password = AuthService::GeneratePassword();
    logins.push_back({u.login, u.password, RoleName(u.role)});
  }
  const std::string logins_path = args.logins_out.empty() ? DefaultLoginsPath(db) : args.logins_out;
  if (Status s = WriteLoginsFile(logins_path, logins); !s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return kExitError;
  }
  for (const DemoUser& u : users) {
    NewUser n{u.login, u.name, u.unit, u.password, u.role, std::nullopt, /*must_change_password=*/false};
    auto created = auth.CreateUser(n, "demo");
    if (!created.ok()) {
      std::cerr << "错误: " << created.status().message() << "\n";
      return kExitError;
    }
  }
  // The quarter's supervision visits, then the problem 台账 (findings followed up link to their visit).
  std::unordered_map<std::string, int64_t> project_ids;
  {
    store::ProjectQuery all;
    all.page_size = 0;
    auto list = env->store->ListProjects(all);
    if (!list.ok()) {
      std::cerr << "错误: " << list.status().message() << "\n";
      return kExitError;
    }
    for (const Project& p : list->items) project_ids[p.code] = p.id;
  }
  std::vector<Visit> visits;
  for (size_t v = 0; v < d.visits.size(); ++v) {
    Visit visit = d.visits[v];
    for (size_t k = 0; k < visit.stops.size(); ++k) {
      visit.stops[k].project_id = project_ids[d.stop_codes[v][k]];
    }
    auto saved = env->supervision->Save(visit, "demo");
    if (!saved.ok()) {
      std::cerr << "错误: " << saved.status().message() << "\n";
      return kExitError;
    }
    visits.push_back(*saved);
  }
  std::vector<ProblemImportRow> problem_rows;
  std::vector<std::optional<int64_t>> findings;
  for (const auto& dp : d.problems) {
    ProblemImportRow row = dp.row;
    std::optional<int64_t> finding;
    if (dp.visit >= 0) {
      row.problem.visit_id = visits[dp.visit].id;
      finding = visits[dp.visit].stops[dp.stop].findings[dp.finding].id;
    }
    problem_rows.push_back(std::move(row));
    findings.push_back(finding);
  }
  if (auto n = env->problems->ImportRows(problem_rows, "demo", findings); !n.ok()) {
    std::cerr << "错误: " << n.status().message() << "\n";
    return kExitError;
  }
  std::vector<FinancingDemand> demands;
  for (const auto& [code, demand] : d.financing) {
    demands.push_back(demand);
    demands.back().project_id = project_ids[code];
  }
  if (auto n = env->financing->InsertAll(demands, "demo"); !n.ok()) {
    std::cerr << "错误: " << n.status().message() << "\n";
    return kExitError;
  }
  {
    Leads leads(*env->store, *env->reg);
    std::vector<Lead> rows;
    for (const auto& [code, lead] : d.leads) {
      rows.push_back(lead);
      if (!code.empty()) rows.back().project_id = project_ids[code];
    }
    auto n = leads.InsertAll(rows, "demo");
    for (size_t i = 0; n.ok() && i < d.carriers.size(); ++i) {
      if (auto c = leads.SaveCarrier(d.carriers[i], "demo"); !c.ok()) n = c.status();
    }
    if (!n.ok()) {
      std::cerr << "错误: " << n.status().message() << "\n";
      return kExitError;
    }
  }
  // The quarter's 拉练, scored by its five raters, then ended.
  if (!d.tour.stop_codes.empty()) {
    Tours tours(*env->store, *env->reg);
    Tour t;
    t.name = d.tour.name;
    t.start = d.tour.start;
    t.end = d.tour.end;
    t.status = TourStatus::kRunning;
    for (const std::string& code : d.tour.stop_codes) t.stops.push_back(TourStop{0, project_ids[code]});
    for (const char* r : kDemoRaters) t.raters.push_back(r);
    auto saved = tours.Save(t, "demo");
    const auto sheet = Tours::DefaultSheet();
    Status st = saved.status();
    for (size_t k = 0; st.ok() && k < saved->stops.size(); ++k) {
      for (size_t r = 0; st.ok() && r < std::size(kDemoRaters); ++r) {
        std::vector<TourScore> items;
        for (size_t i = 0; i < sheet.size(); ++i) {
          TourScore x;
          x.item = sheet[i].key;
          x.points_tenths = d.tour.scores[k][r][i];
          items.push_back(x);
        }
        User rater;
        rater.login = kDemoRaters[r];
        st = tours.Score(saved->id, saved->stops[k].id, 0, items, rater, kDemoRaters[r]).status();
      }
    }
    if (st.ok()) {
      Tour ended = *tours.Get(saved->id, User{});
      ended.status = TourStatus::kEnded;
      st = tours.Save(ended, "demo").status();
    }
    if (!st.ok()) {
      std::cerr << "错误: " << st.message() << "\n";
      return kExitError;
    }
  }
  // The bell shows the demo's reminders as of the reference quarter's end.
  if (auto run = env->reminders->Run(Date{2024, 3, 31}); !run.ok()) {
    std::cerr << "错误: " << run.status().message() << "\n";
    return kExitError;
  }
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.levels = {Level::kProvincial, Level::kMunicipal};
  q.by = stats::GroupBy::kLevel;
  std::cout << "演示账号 (demo logins; passwords are random, shown once, and kept in " << logins_path
            << ", readable by its owner only):\n";
  for (const DemoUser& u : users) {
    std::cout << "  " << u.login << " / " << u.password << "  (" << RoleName(u.role) << (u.unit.empty() ? "" : ", ")
              << u.unit << ")\n";
  }
  std::cout << "演示数据已载入 (demo data loaded): " << d.projects_2024.size() << " 个项目, " << d.reports.size()
            << " 条月报\n"
            << stats::StatsResultToTable(env->reg->Stats(q));
  return kExitOk;
}

int RunServe(const std::string& db, const ServeArgs& args) {
  const std::string& listen = args.listen;
  auto env = OpenEnv(db, true, args.blob_dir);
  if (!env) return kExitError;
  http::ServerConfig cfg;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "错误: --listen 应为 HOST:PORT (bad --listen)\n";
    return kExitBadInput;
  }
  cfg.address = listen.substr(0, colon);
  try {
    cfg.port = static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)));
  } catch (...) {
    std::cerr << "错误: --listen 端口无效 (bad port)\n";
    return kExitBadInput;
  }
  cfg.threads = args.threads;
  cfg.max_body_bytes = static_cast<size_t>(args.max_body_kb) * 1024;
  cfg.read_timeout_seconds = args.read_timeout_seconds;
  cfg.body_timeout_seconds = args.body_timeout_seconds;
  cfg.max_connections = args.max_connections;
  cfg.max_connections_per_address = args.max_connections_per_address;
  if (Status s = http::OpenAccessLog(args.access_log); !s.ok()) {
    std::cerr << "错误: " << s.message() << "\n";
    return kExitBadInput;
  }
  AuthService auth(*env->store, args.session_idle_seconds, args.max_address_failures);
  http::Router router;
  http::AddStandardMiddleware(router);
  http::Metrics metrics;
  AddOperationsRoutes(router, metrics, *env->reg);
  api::AddAllRoutes(router, *env->reg, auth, *env->milestones, *env->reminders, *env->problems, *env->supervision,
                    *env->photos, *env->financing);
  http::StaticFiles web(args.web_dir);
  router.SetFallback([&web](const http::Request& r) { return web.Serve(r); });
  if (web.size() == 0) spdlog::warn("no web app at '{}': serving the API only", args.web_dir);
  http::Server server(cfg, router);
  // Other processes' writes (servers on the same PostgreSQL, CLI imports) reach this cache too.
  constexpr auto kPollSqlite = std::chrono::milliseconds(200), kPollPostgres = std::chrono::milliseconds(1000);
  ChangeFollower follower(*env->reg, store::ChangeListener::Open(db),
                          env->store->IsPostgres() ? kPollPostgres : kPollSqlite, [&auth] { auth.ForgetSessions(); });
  follower.Start();
  ReminderScheduler scheduler(*env->reminders);
  if (args.reminders) scheduler.Start();
  auto port = server.Listen();
  if (!port.ok()) {
    std::cerr << "错误: " << port.status().message() << "\n";
    return kExitError;
  }
  std::cout << "KeyProject 已启动 (serving): http://" << cfg.address << ":" << *port << "/" << std::endl;
  server.Run();
  std::cout << "已停止 (stopped)" << std::endl;
  return kExitOk;
}

int RunRoutes() {
  // The route table needs no database: wire against throwaway objects that are never called.
  auto store = store::Store::Open(":memory:");
  if (!store.ok()) return kExitError;
  stats::StatsEngine engine;
  Register reg(**store, engine);
  Milestones milestones(**store, reg);
  Reminders reminders(**store, reg, milestones);
  Problems problems(**store, reg);
  Supervision supervision(**store, reg, problems);
  Financing financing(**store, reg);
  Photos photos(**store, std::make_unique<FolderBlobStore>("/nonexistent"));
  AuthService auth(**store);
  http::Router router;
  http::Metrics metrics;
  AddOperationsRoutes(router, metrics, reg);
  api::AddAllRoutes(router, reg, auth, milestones, reminders, problems, supervision, photos, financing);
  for (const auto& r : router.routes()) {
    std::cout << r.method << " " << r.pattern << " ";
    if (r.access.is_public) {
      std::cout << "public";
    } else {
      for (size_t i = 0; i < r.access.roles.size(); ++i) std::cout << (i ? "," : "") << RoleName(r.access.roles[i]);
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int RunUser(const std::string& db, const UserArgs& a) {
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  AuthService auth(*env->store);
  auto read_password = [&]() -> std::optional<std::string> {
    if (!a.password_stdin) {
      std::cerr << "错误: 请用 --password-stdin 从标准输入提供密码 (use --password-stdin)\n";
      return std::nullopt;
    }
    std::string p;
    std::getline(std::cin, p);
    if (!p.empty() && p.back() == '\r') p.pop_back();
    return p;
  };
  auto fail = [](const Status& s) {
    std::cerr << "错误: " << s.message() << "\n";
    return s.code() == ErrorCode::kInvalidArgument || s.code() == ErrorCode::kConflict ||
                   s.code() == ErrorCode::kAlreadyExists ||
                   s.code() == ErrorCode::kNotFound
               ? kExitBadInput
               : kExitError;
  };
  const Actor by("cli");
  if (a.verb == "list") {
    auto users = env->store->ListUsers();
    if (!users.ok()) return fail(users.status());
    for (const User& u : *users) {
      std::cout << u.login << "\t" << RoleName(u.role) << "\t" << u.unit << (u.disabled ? "\t(停用 disabled)" : "")
                << (u.must_change_password ? "\t(须改密 must change password)" : "") << "\n";
    }
    return kExitOk;
  }
  if (a.verb == "disable") {
    auto u = auth.Disable(a.login, by);
    if (!u.ok()) return fail(u.status());
    std::cout << "已停用 (disabled): " << a.login << "\n";
    return kExitOk;
  }
  auto password = read_password();
  if (!password) return kExitBadInput;
  if (a.verb == "passwd") {
    auto u = auth.SetPassword(a.login, *password, /*must_change=*/true, by);
    if (!u.ok()) return fail(u.status());
    std::cout << "密码已重置，用户下次登录须修改 (password reset; to be changed at next sign-in): " << a.login << "\n";
    return kExitOk;
  }
  auto role = ParseRole(a.role);
  if (!role) {
    std::cerr << "错误: --role 应为 admin/department/owner/leader/bank/auditor\n";
    return kExitBadInput;
  }
  NewUser n{a.login, a.login, a.unit, *password, *role, std::nullopt, true};
  if (!a.region.empty()) {
    auto regions = env->store->ListRegions();
    if (!regions.ok()) return fail(regions.status());
    for (const Region& r : *regions) {
      if (r.name == a.region) n.region_id = r.id;
    }
    if (!n.region_id) {
      std::cerr << "错误: 地区不存在 (no such region): " << a.region << "\n";
      return kExitBadInput;
    }
  }
  auto u = auth.CreateUser(n, by);
  if (!u.ok()) return fail(u.status());
  std::cout << "已创建用户 (user created): " << u->login << " (" << RoleName(u->role) << ")，首次登录须修改密码\n";
  return kExitOk;
}

}  // namespace kp::app
