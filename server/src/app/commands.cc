#include "app/commands.h"
#include "common/json_text.h"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/routes.h"
#include "domain/demo_data.h"
#include "domain/register.h"
#include "http/beast_server.h"
#include "http/middleware.h"
#include "spdlog/spdlog.h"
#include "stats/stats_json.h"
#include "stats/stats_query.h"
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
};

std::unique_ptr<Env> OpenEnv(const std::string& db, bool load_stats = true) {
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

template <typename Row>
int ReportImport(const Result<ImportOutcome<Row>>& out) {
  if (!out.ok()) {
    std::cerr << "错误: " << out.status().message() << "\n";
    return kExitError;
  }
  if (!out->ok()) {
    std::cerr << "导入失败，未写入任何数据 (import rejected, nothing written): " << out->parsed.errors.size()
              << " 处错误\n";
    for (const ImportError& e : out->parsed.errors) std::cerr << "  " << FormatImportError(e) << "\n";
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

}  // namespace

int RunMigrate(const std::string& db) {
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  auto v = env->store->SchemaVersion();
  std::cout << "数据库已是最新 (schema version " << (v.ok() ? *v : -1) << ")\n";
  return kExitOk;
}

int RunImport(const std::string& db, const std::string& kind, const std::string& file) {
  bool ok = false;
  std::string bytes = ReadFile(file, &ok);
  if (!ok) {
    std::cerr << "错误: 无法读取文件 (cannot read) " << file << "\n";
    return kExitError;
  }
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  if (kind == "projects") return ReportImport(env->reg->ImportProjectsCsv(bytes, "cli"));
  return ReportImport(env->reg->ImportReportsCsv(bytes, "cli"));
}

int RunStats(const std::string& db, const StatsArgs& a) {
  auto env = OpenEnv(db);
  if (!env) return kExitError;
  auto settings = env->reg->GetSettings();
  if (!settings.ok()) {
    std::cerr << "错误: " << settings.status().message() << "\n";
    return kExitError;
  }
  std::map<std::string, std::string> params = {{"year", a.year},     {"month", a.month},         {"day", a.day},
                                               {"levels", a.levels}, {"by", a.by},               {"depth", a.depth},
                                               {"region_id", a.region_id}, {"schedule", a.schedule}};
  auto q = stats::ParseStatsQuery(params, {settings->current_year, settings->schedule}, env->engine);
  if (!q.ok()) {
    std::cerr << "错误: " << q.status().message() << "\n";
    return kExitBadInput;
  }
  stats::StatsResult r = env->reg->Stats(*q);
  if (a.format == "table") {
    std::cout << stats::StatsResultToTable(r);
  } else {
    std::cout << ToJsonText(stats::StatsResultToJson(r)) << "\n";
  }
  return kExitOk;
}

int RunDemo(const std::string& db, bool reset) {
  auto env = OpenEnv(db, false);
  if (!env) return kExitError;
  if (reset) {
    if (Status s = env->store->Truncate(); !s.ok()) {
      std::cerr << "错误: " << s.message() << "\n";
      return kExitError;
    }
  }
  auto codes = env->store->ProjectCodes();
  if (codes.ok() && !codes->empty() && !reset) {
    std::cerr << "数据库已有项目，未载入演示数据；如需重置请加 --reset (database not empty; use --reset)\n";
    return kExitBadInput;
  }
  DemoData d = GenerateDemoData();
  std::vector<int64_t> ids;
  for (const DemoRegion& r : d.regions) {
    std::optional<int64_t> parent = r.parent < 0 ? std::nullopt : std::optional<int64_t>(ids[r.parent]);
    auto created = env->reg->CreateRegion(parent, r.name, r.code);
    if (!created.ok()) {
      std::cerr << "错误: " << created.status().message() << "\n";
      return kExitError;
    }
    ids.push_back(created->id);
  }
  Settings s;
  s.current_year = 2024;
  s.home_region_id = ids[d.home_region];
  if (Status st = env->reg->SaveSettings(s); !st.ok()) {
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
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.levels = {Level::kProvincial, Level::kMunicipal};
  q.by = stats::GroupBy::kLevel;
  std::cout << "演示数据已载入 (demo data loaded): " << d.projects_2024.size() << " 个项目, " << d.reports.size()
            << " 条月报\n"
            << stats::StatsResultToTable(env->reg->Stats(q));
  return kExitOk;
}

int RunServe(const std::string& db, const std::string& listen, int threads, const std::string& web_dir,
             size_t max_body_bytes) {
  auto env = OpenEnv(db);
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
  cfg.threads = threads;
  cfg.max_body_bytes = max_body_bytes;
  http::Router router;
  http::AddStandardMiddleware(router);
  api::AddAllRoutes(router, *env->reg);
  (void)web_dir;
  http::Server server(cfg, router);
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

}  // namespace kp::app
