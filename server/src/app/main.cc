// keyproject: the key-project platform in one binary (CLI verbs and the HTTP server).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/config_file.h"
#include "app/ops_commands.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  CLI::App app{"KeyProject 重点项目挂图作战平台"};
  app.require_subcommand(1);
  std::string db = "data/keyproject.db";
  const std::string db_help = "数据库: 文件路径、sqlite:PATH 或 postgresql://USER@HOST:PORT/DB";
  app.add_option("--db", db, db_help)->capture_default_str();

  auto* migrate = app.add_subcommand("migrate", "应用数据库迁移 (apply migrations)");

  auto* import = app.add_subcommand("import", "导入 CSV / xlsx / xls (import projects|reports|nodes|problems|financing FILE)");
  std::string kind, file;
  import->add_option("kind", kind, "projects、reports、nodes、problems 或 financing")
      ->required()
      ->check(CLI::IsMember({"projects", "reports", "nodes", "problems", "financing"}));
  import->add_option("file", file, "CSV / xlsx / xls 文件")->required()->check(CLI::ExistingFile);
  std::string sheet, errors_xlsx;
  import->add_option("--sheet", sheet, "工作表名称 (default: 表头匹配的第一张)");
  import->add_option("--errors-xlsx", errors_xlsx, "有错误时写出标注错误的 xlsx");
  bool dry_run = false;
  import->add_flag("--dry-run", dry_run, "只检查，不写入 (validate only)");

  auto* tmpl = app.add_subcommand("template", "导出导入模板 (write an import template .xlsx)");
  std::string tmpl_kind, out_file;
  tmpl->add_option("kind", tmpl_kind, "projects、reports、nodes、problems 或 financing")
      ->required()
      ->check(CLI::IsMember({"projects", "reports", "nodes", "problems", "financing"}));
  tmpl->add_option("-o,--output", out_file, "输出文件 (default: KIND-template.xlsx)");

  auto* exp = app.add_subcommand("export", "导出 xlsx (export projects|reports|stats|users|project|wallchart|financing)");
  kp::app::ExportArgs ea;
  exp->add_option("kind", ea.kind, "projects reports stats users project wallchart financing")
      ->required()
      ->check(CLI::IsMember({"projects", "reports", "stats", "users", "project", "wallchart", "financing"}));
  exp->add_option("--as-of", ea.as_of, "wallchart: 截至日期或月份 (default: 默认月份月末)");
  exp->add_option("--demo", ea.demo, "wallchart: true 只含示范项目, false 只含非示范项目")->check(CLI::IsMember({"true", "false"}));
  exp->add_option("-o,--output", ea.output, "输出文件")->required();
  exp->add_option("--year", ea.stats.year, "年度 (project reports: 只导出该年)");
  exp->add_option("--month", ea.stats.month, "截至月份 (reports: 只导出该月)");
  exp->add_option("--levels", ea.stats.levels, "级别");
  exp->add_option("--by", ea.stats.by, "统计分组");
  exp->add_option("--schedule", ea.stats.schedule, "时序口径");
  exp->add_option("--region-id", ea.stats.region_id, "地区");
  exp->add_option("--code", ea.code, "project: 项目编码");
  exp->add_option("--table", ea.table, "project: plans plan_revisions reports history")
      ->check(CLI::IsMember({"plans", "plan_revisions", "reports", "history"}));

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

  auto* redblack = app.add_subcommand("redblack", "红黑榜 (red/black lists by township, unit or project)");
  kp::app::RedBlackArgs rb;
  redblack->add_option("--year", rb.stats.year, "年度 (default: 设置中的当前年度)");
  redblack->add_option("--month", rb.stats.month, "截至月份 1-12 (default: 最近填报月份)");
  redblack->add_option("--levels", rb.stats.levels, "级别, 如 省重点,市重点");
  redblack->add_option("--by", rb.stats.by, "参评对象: region (default) unit project")->check(CLI::IsMember({"region", "unit", "project"}));
  redblack->add_option("--depth", rb.stats.depth, "按地区时的层级 (0 = 根)");
  redblack->add_option("--region-id", rb.stats.region_id, "只看该地区及下级");
  redblack->add_option("--red", rb.red, "红榜取前 N 名 (default: 规则设置)")->check(CLI::Range(0, 1000));
  redblack->add_option("--black", rb.black, "黑榜取后 N 名 (default: 规则设置)")->check(CLI::Range(0, 1000));
  redblack->add_option("--format", rb.stats.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));

  auto* assessment = app.add_subcommand("assessment", "考核得分 (assessment scores of townships or units)");
  kp::app::AssessmentArgs as;
  assessment->add_option("--year", as.stats.year, "年度 (default: 设置中的当前年度)");
  assessment->add_option("--month", as.stats.month, "月度考核: 截至月份 1-12 (default: 最近填报月份)");
  assessment->add_option("--quarter", as.quarter, "季度考核: 1-4");
  assessment->add_option("--period", as.period, "month (default)、quarter 或 year (年度: 截至 12 月)")
      ->check(CLI::IsMember({"month", "quarter", "year"}));
  assessment->add_option("--levels", as.stats.levels, "级别, 如 省重点,市重点");
  assessment->add_option("--by", as.stats.by, "参评对象: region (default) 或 unit")->check(CLI::IsMember({"region", "unit"}));
  assessment->add_option("--depth", as.stats.depth, "按地区时的层级 (0 = 根)");
  assessment->add_option("--format", as.stats.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));
  assessment->add_option("-o,--output", as.output, "写出 .xlsx (考核得分表)");
  auto* tours = app.add_subcommand("tours", "拉练 (inspection tours): results");
  tours->require_subcommand(1);
  auto* tour_results = tours->add_subcommand("results", "拉练结果：项目与乡镇得分及排名 (a tour's results, ranked)");
  kp::app::ToursArgs ta;
  tour_results->add_option("--id", ta.id, "拉练编号")->required();
  tour_results->add_option("--by", ta.by, "region (乡镇, default) 或 unit (责任单位)")->check(CLI::IsMember({"region", "unit"}));
  tour_results->add_option("--format", ta.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));
  auto* report = app.add_subcommand("report", "报告 (periodic report: monthly analysis as .docx/.pdf, or its model as JSON)");
  kp::app::ReportArgs rpa;
  report->add_option("kind", rpa.kind, "monthly、quarterly、annual 或 weekly")->required()->check(CLI::IsMember({"monthly", "quarterly", "annual", "weekly"}));
  report->add_option("--year", rpa.year, "年度")->required();
  report->add_option("--month", rpa.month, "月份 1-12 (monthly)");
  report->add_option("--quarter", rpa.quarter, "季度 1-4 (quarterly)");
  report->add_option("--week", rpa.week, "ISO 周, 如 2024-W13 (weekly)");
  report->add_option("--levels", rpa.levels, "级别, 如 省重点,市重点");
  report->add_option("--date", rpa.date, "成文日期 (default: 今天)");
  report->add_option("-o,--output", rpa.output, "输出文件 .docx、.pdf 或 .xlsx (表格)");
  report->add_option("--format", rpa.format, "json: 打印报告模型")->check(CLI::IsMember({"json"}));

  auto* warnings = app.add_subcommand("warnings", "预警红黄绿灯 (warning colours as of a date)");
  kp::app::WarningsArgs wa;
  warnings->add_option("--as-of", wa.as_of, "截至日期 2024-03-31，或月份 2024-03 (该月最后一天); default: 默认月份月末");
  warnings->add_option("--levels", wa.levels, "级别, 如 省重点,市重点");
  warnings->add_option("--by", wa.by, "分组: level region industry unit leader");
  warnings->add_option("--region-id", wa.region_id, "只看该地区及下级");
  warnings->add_option("--colour", wa.colour, "只列出该颜色的项目: red yellow green");
  warnings->add_option("--demo", wa.demo, "true 只含示范项目, false 只含非示范项目")->check(CLI::IsMember({"true", "false"}));
  warnings->add_option("--format", wa.format, "json、table 或 xlsx (xlsx 需 -o)")
      ->check(CLI::IsMember({"json", "table", "xlsx"}));
  warnings->add_option("-o,--output", wa.output, "xlsx: 输出文件 (预警清单)");

  auto* problems = app.add_subcommand("problems", "问题清单统计 (problem-list figures as of a date)");
  kp::app::ProblemsArgs pa;
  problems->add_option("--as-of", pa.as_of, "截至日期 2024-03-31，或月份 2024-03 (该月最后一天); default: 默认月份月末");
  problems->add_option("--levels", pa.levels, "级别, 如 省重点,市重点");
  problems->add_option("--by", pa.by, "分组: unit category level region source");
  problems->add_option("--region-id", pa.region_id, "只看该地区及下级");
  problems->add_option("--format", pa.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));

  auto* financing = app.add_subcommand("financing", "融资对接漏斗 (the financing funnel as of a month's end)");
  kp::app::FinancingArgs fa;
  financing->add_option("--year", fa.year, "年度 (default: 设置中的当前年度)");
  financing->add_option("--month", fa.month, "截至月份 1-12 (default: 默认月份)");
  financing->add_option("--levels", fa.levels, "级别, 如 省重点,市重点");
  financing->add_option("--by", fa.by, "分组: bank type stage level region");
  financing->add_option("--region-id", fa.region_id, "只看该地区及下级");
  financing->add_option("--format", fa.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));

  auto* leads = app.add_subcommand("leads", "产业招商漏斗 (the investment-attraction funnel of a year)");
  kp::app::LeadsArgs la;
  leads->add_option("--year", la.year, "年度 (default: 设置中的当前年度)");
  leads->add_option("--as-of", la.as_of, "截至日期 YYYY-MM-DD (default: 该年 12月31日)");
  leads->add_option("--by", la.by, "分组: stage industry staff");
  leads->add_option("--format", la.format, "json 或 table")->check(CLI::IsMember({"json", "table"}));

  auto* remind = app.add_subcommand("remind", "生成当日提醒并推送 (make the day's reminders; for cron)");
  kp::app::RemindArgs ra;
  remind->add_option("--as-of", ra.as_of, "提醒日期 (default: 今天)");
  remind->add_flag("--send", ra.send, "同时推送到期的机器人消息 (also post the queued robot messages)");
  remind->add_option("--backoff-seconds", ra.backoff_seconds, "推送失败后重试的基础间隔秒数")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));

  auto* demo = app.add_subcommand("demo", "载入演示数据 (load demo data)");
  bool reset = false, if_empty = false;
  std::string logins_out;
  demo->add_flag("--reset", reset, "先清空数据库 (empty the database first: destroys every record)");
  demo->add_flag("--if-empty", if_empty, "数据库已有数据时不载入且正常退出 (skip quietly when the database has data)");
  demo->add_option("--logins-out", logins_out, "演示账号密码写入此文件 (default: DB 文件旁的 .logins，仅 root 可读)");

  auto* serve = app.add_subcommand("serve", "启动服务 (serve the API and web app)");
  kp::app::ServeArgs sv;
  serve->add_option("--listen", sv.listen, "监听地址")->capture_default_str();
  serve->add_option("--threads", sv.threads, "IO 线程数")->capture_default_str()->check(CLI::Range(1, 64));
  serve->add_option("--web", sv.web_dir, "前端构建目录")->capture_default_str();
  serve->add_option("--blob-dir", sv.blob_dir, "照片文件目录 (photos; default: <数据库所在目录>/blobs, PostgreSQL: data/blobs)");
  serve->add_option("--max-body-kb", sv.max_body_kb, "请求体上限 KB")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  serve->add_option("--read-timeout-seconds", sv.read_timeout_seconds, "请求头及请求体每次停顿的超时秒数")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--body-timeout-seconds", sv.body_timeout_seconds, "整个请求体的超时秒数")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 3600));
  serve->add_option("--max-connections", sv.max_connections, "连接总数上限")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve->add_option("--max-connections-per-address", sv.max_connections_per_address, "每个地址的连接数上限")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  serve->add_option("--session-idle-seconds", sv.session_idle_seconds, "会话空闲超时秒数")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 3600));
  serve->add_option("--access-log", sv.access_log, "访问日志: - (标准错误), off, 或文件路径 (JSON lines)")
      ->capture_default_str();
  std::string config_file;
  serve->add_option("--config", config_file, "配置文件: 每行 key = value, 键名同参数 (命令行优先)")
      ->check(CLI::ExistingFile);

  bool no_reminders = false;
  serve->add_flag("--no-reminders", no_reminders, "本进程不做每日提醒和机器人推送 (another server or cron does)");
  serve->add_option("--max-address-failures", sv.max_address_failures, "每个地址 15 分钟内允许的登录失败次数")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));

  auto* user = app.add_subcommand("user", "用户管理 (users): add passwd disable list");
  user->require_subcommand(1);
  kp::app::UserArgs ua;
  auto* user_add = user->add_subcommand("add", "新建用户 (add a user)");
  user_add->add_option("login", ua.login)->required();
  user_add->add_option("--role", ua.role, "admin department owner leader bank auditor")->required();
  user_add->add_option("--unit", ua.unit, "责任单位 / 项目业主 / 银行");
  user_add->add_option("--region", ua.region, "地区名称");
  user_add->add_flag("--password-stdin", ua.password_stdin, "从标准输入读取密码");
  auto* user_passwd = user->add_subcommand("passwd", "重置密码 (reset a password)");
  user_passwd->add_option("login", ua.login)->required();
  user_passwd->add_flag("--password-stdin", ua.password_stdin, "从标准输入读取密码");
  auto* user_disable = user->add_subcommand("disable", "停用用户 (disable a user)");
  user_disable->add_option("login", ua.login)->required();
  user->add_subcommand("list", "列出用户 (list users)");

  app.add_subcommand("routes", "列出接口及其角色 (list endpoints and roles)");

  auto* backup = app.add_subcommand("backup", "在线备份数据库 (back up the database, also while serving)");
  std::string backup_file;
  backup->add_option("-o,--output", backup_file, "备份文件 (SQLite: 数据库副本; PostgreSQL: pg_dump custom)")->required();
  auto* restore = app.add_subcommand("restore", "恢复备份到空数据库 (restore a backup into an empty database)");
  std::string restore_file;
  restore->add_option("file", restore_file, "备份文件")->required()->check(CLI::ExistingFile);
  auto* audit = app.add_subcommand("audit", "审计日志 (audit log): verify");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "校验审计日志哈希链 (verify the audit log's hash chain)");

  // `--db` is accepted after the verb too (`keyproject stats --db FILE …`), as the README shows it.
  std::vector<CLI::App*> with_db = {migrate, import, exp, stats, redblack, assessment, report, warnings, problems, financing, leads, remind, demo, serve, user_add, user_passwd, user_disable,
                                    backup, restore};
  with_db.push_back(user->get_subcommand("list"));
  with_db.push_back(tour_results);
  with_db.push_back(audit->get_subcommand("verify"));
  for (CLI::App* sub : with_db) sub->add_option("--db", db, db_help);

  CLI11_PARSE(app, argc, argv);
  if (*serve && !config_file.empty()) {
    auto entries = kp::app::ReadConfigFile(config_file);
    kp::Status s = entries.ok() ? kp::app::ApplyConfig(config_file, *entries, *serve) : entries.status();
    if (!s.ok()) {
      std::cerr << "错误: 配置文件 (config): " << s.message() << "\n";
      return 3;
    }
  }
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  if (*migrate) return kp::app::RunMigrate(db);
  if (*import) return kp::app::RunImport(db, kind, file, sheet, errors_xlsx, dry_run);
  if (*tmpl) return kp::app::RunTemplate(tmpl_kind, out_file.empty() ? tmpl_kind + "-template.xlsx" : out_file);
  if (*exp) return kp::app::RunExport(db, ea);
  if (*stats) return kp::app::RunStats(db, sa);
  if (*redblack) return kp::app::RunRedBlack(db, rb);
  if (*assessment) return kp::app::RunAssessment(db, as);
  if (*tour_results) return kp::app::RunTourResults(db, ta);
  if (*report) return kp::app::RunReport(db, rpa);
  if (*warnings) return kp::app::RunWarnings(db, wa);
  if (*problems) return kp::app::RunProblems(db, pa);
  if (*financing) return kp::app::RunFinancing(db, fa);
  if (*leads) return kp::app::RunLeads(db, la);
  if (*remind) return kp::app::RunRemind(db, ra);
  if (*demo) return kp::app::RunDemo(db, {reset, if_empty, logins_out});
  if (*user) {
    ua.verb = user->get_subcommands().front()->get_name();
    return kp::app::RunUser(db, ua);
  }
  if (app.got_subcommand("routes")) return kp::app::RunRoutes();
  if (*backup) return kp::app::RunBackup(db, backup_file);
  if (*restore) return kp::app::RunRestore(db, restore_file);
  if (*audit) return kp::app::RunAuditVerify(db);
  sv.reminders = !no_reminders;
  if (*serve) return kp::app::RunServe(db, sv);
  return 2;
}
