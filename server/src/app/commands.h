#pragma once
// The CLI verbs. Each returns the process exit code.
#include <optional>
#include <string>
#include <vector>

namespace kp::app {

struct StatsArgs {
  std::string year, month, day, levels, by, depth, region_id, schedule;
  std::string format = "json";
};

struct UserArgs {
  std::string verb;  // add passwd disable list
  std::string login, role, unit, region;
  bool password_stdin = false;
};

int RunUser(const std::string& db, const UserArgs& args);
int RunRoutes();
int RunMigrate(const std::string& db);
int RunImport(const std::string& db, const std::string& kind, const std::string& file, const std::string& sheet,
              const std::string& errors_xlsx, bool dry_run);
int RunTemplate(const std::string& kind, const std::string& output);
struct ExportArgs {
  std::string kind, output;  // kind: projects reports stats users project
  StatsArgs stats;
  std::string code, table;  // project: the project's code and one table of its page
  std::string as_of;        // wallchart: the as-of date (or month)
  std::string demo;         // wallchart: true (示范项目 only) or false (the others)
};
int RunExport(const std::string& db, const ExportArgs& args);
int RunStats(const std::string& db, const StatsArgs& args);
struct WarningsArgs {
  std::string as_of, levels, by, region_id, colour, demo;
  std::string format = "json";
  std::string output;  // --format xlsx: the file
};
int RunWarnings(const std::string& db, const WarningsArgs& args);
struct RedBlackArgs {
  StatsArgs stats;  // stats.by: region (default), unit or project
  std::optional<int> red, black;
};
int RunRedBlack(const std::string& db, const RedBlackArgs& args);
struct AssessmentArgs {
  StatsArgs stats;  // stats.by: region (default) or unit
  std::string quarter, period, output;
};
int RunAssessment(const std::string& db, const AssessmentArgs& args);
struct ToursArgs {  // 拉练结果: keyproject tours results --id N [--by region|unit] [--format json|table]
  int64_t id = 0;
  std::string by = "region";
  std::string format = "json";
};
int RunTourResults(const std::string& db, const ToursArgs& args);
struct ReportArgs {
  std::string kind, year, month, quarter, week, levels, date, output, format;
};
int RunReport(const std::string& db, const ReportArgs& args);
struct ProblemsArgs {
  std::string as_of, levels, by, region_id;
  std::string format = "json";
};
int RunProblems(const std::string& db, const ProblemsArgs& args);
struct FinancingArgs {
  std::string year, month, levels, by, region_id;
  std::string format = "json";
};
int RunFinancing(const std::string& db, const FinancingArgs& args);
struct LeadsArgs {  // 产业招商漏斗: keyproject leads --year Y [--as-of D] [--by stage|industry|staff]
  std::string year, as_of, by;
  std::string format = "json";
};
int RunLeads(const std::string& db, const LeadsArgs& args);
struct RemindArgs {
  std::string as_of;  // default today (Beijing)
  bool send = false;  // also post the queued robot messages that are due
  int64_t backoff_seconds = 30;
};
int RunRemind(const std::string& db, const RemindArgs& args);
struct DemoArgs {
  bool reset = false;     // empty the database first
  bool if_empty = false;  // a database with data is left alone and the verb succeeds
  std::string logins_out;  // where the generated passwords go (default: beside the SQLite file)
};
int RunDemo(const std::string& db, const DemoArgs& args);
struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string web_dir = "web/dist";
  std::string blob_dir;  // photos' originals and thumbnails; "" is <the SQLite file's folder>/blobs (data/blobs on PostgreSQL)
  int max_body_kb = 64 * 1024;
  int read_timeout_seconds = 30;
  int body_timeout_seconds = 1800;
  int session_idle_seconds = 30 * 60;
  int max_address_failures = 30;  // failed sign-ins from one address per 15 minutes before 429
  std::string access_log = "-";  // "-" standard error, "off", or a file (http/access_log.h)
  int max_connections = 512;
  int max_connections_per_address = 64;
  bool reminders = true;  // the daily reminder run and the robot queue in this process
};
int RunServe(const std::string& db, const ServeArgs& args);

}  // namespace kp::app
