// keyproject: the key-project platform in one binary (CLI verbs and the HTTP server).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  CLI::App app{"KeyProject 重点项目挂图作战平台"};
  app.require_subcommand(1);
  std::string db = "data/keyproject.db";
  app.add_option("--db", db, "数据库: 文件路径、sqlite:PATH 或 postgresql://USER@HOST:PORT/DB")->capture_default_str();

  auto* migrate = app.add_subcommand("migrate", "应用数据库迁移 (apply migrations)");

  auto* import = app.add_subcommand("import", "导入 CSV (import projects|reports FILE)");
  std::string kind, file;
  import->add_option("kind", kind, "projects 或 reports")->required()->check(CLI::IsMember({"projects", "reports"}));
  import->add_option("file", file, "CSV 文件")->required()->check(CLI::ExistingFile);

  auto* stats = app.add_subcommand("stats", "统计 (statistics)");
  kp::app::StatsArgs sa;
  stats->add_option("--year", sa.year, "年度 (default: 设置中的当前年度)");
  stats->add_option("--month", sa.month, "截至月份 1-12 (default: 最近填报月份)");
  stats->add_option("--day", sa.day, "截至日 (按日时序)");
  stats->add_option("--levels", sa.levels, "级别, 如 省重点,市重点");
  stats->add_option("--by", sa.by, "分组: level region industry unit leader demo status project");
  stats->add_option("--depth", sa.depth, "按地区分组时的层级 (0 = 根)");
  stats->add_option("--region-id", sa.region_id, "只统计该地区及下级");
  stats->add_option("--schedule", sa.schedule, "时序口径: month 或 day");
  stats->add_option("--format", sa.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));

  auto* demo = app.add_subcommand("demo", "载入演示数据 (load demo data)");
  bool reset = false;
  demo->add_flag("--reset", reset, "先清空数据库 (empty the database first)");

  auto* serve = app.add_subcommand("serve", "启动服务 (serve the API and web app)");
  std::string listen = "127.0.0.1:8080", web_dir;
  int threads = 2;
  serve->add_option("--listen", listen, "监听地址")->capture_default_str();
  serve->add_option("--threads", threads, "IO 线程数")->capture_default_str()->check(CLI::Range(1, 64));
  serve->add_option("--web", web_dir, "前端构建目录 (web/dist)");
  int max_body_kb = 64 * 1024;
  serve->add_option("--max-body-kb", max_body_kb, "请求体上限 KB")->capture_default_str()->check(CLI::Range(1, 1 << 20));

  CLI11_PARSE(app, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  if (*migrate) return kp::app::RunMigrate(db);
  if (*import) return kp::app::RunImport(db, kind, file);
  if (*stats) return kp::app::RunStats(db, sa);
  if (*demo) return kp::app::RunDemo(db, reset);
  if (*serve) return kp::app::RunServe(db, listen, threads, web_dir, static_cast<size_t>(max_body_kb) * 1024);
  return 2;
}
