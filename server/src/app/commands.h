#pragma once
// The CLI verbs. Each returns the process exit code.
#include <string>
#include <vector>

namespace kp::app {

struct StatsArgs {
  std::string year, month, day, levels, by, depth, region_id, schedule;
  std::string format = "json";
};

int RunMigrate(const std::string& db);
int RunImport(const std::string& db, const std::string& kind, const std::string& file);
int RunStats(const std::string& db, const StatsArgs& args);
int RunDemo(const std::string& db, bool reset);
int RunServe(const std::string& db, const std::string& listen, int threads, const std::string& web_dir,
             size_t max_body_bytes);

}  // namespace kp::app
