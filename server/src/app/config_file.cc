#include "app/config_file.h"

#include <fstream>

namespace kp::app {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Status LineError(const std::string& path, int line, const std::string& why) {
  return InvalidArgument(path + ":" + std::to_string(line) + ": " + why, "config");
}

}  // namespace

Result<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("无法读取配置文件 (cannot read the config file): " + path);
  std::vector<ConfigEntry> out;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    std::string line = Trim(text);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) return LineError(path, n, "应为 key = value (expected key = value)");
    ConfigEntry e{n, Trim(line.substr(0, eq)), Trim(line.substr(eq + 1))};
    if (e.value.size() >= 2 && e.value.front() == '"' && e.value.back() == '"') {
      e.value = e.value.substr(1, e.value.size() - 2);
    } else if (size_t hash = e.value.find(" #"); hash != std::string::npos) {
      e.value = Trim(e.value.substr(0, hash));
    }
    for (char& c : e.key) {
      if (c == '_') c = '-';
    }
    if (e.key.empty()) return LineError(path, n, "缺少键名 (missing key)");
    for (const ConfigEntry& seen : out) {
      if (seen.key == e.key) {
        return LineError(path, n, "重复的键 (duplicate key) '" + e.key + "', first on line " + std::to_string(seen.line));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status ApplyConfig(const std::string& path, const std::vector<ConfigEntry>& entries, CLI::App& command) {
  for (const ConfigEntry& e : entries) {
    std::string flag = "--" + e.key;
    CLI::Option* opt = e.key == "config" ? nullptr : command.get_option_no_throw(flag);
    if (!opt && command.get_parent()) opt = command.get_parent()->get_option_no_throw(flag);
    if (!opt || opt->get_expected_min() == 0) {
      return LineError(path, e.line, "未知的键 (unknown key) '" + e.key + "'");
    }
    // The command line wins: `--db` may have been given before the verb (the app's option) or after it.
    CLI::Option* before_verb = command.get_parent() ? command.get_parent()->get_option_no_throw(flag) : nullptr;
    if (opt->count() > 0 || (before_verb && before_verb->count() > 0)) continue;
    try {
      opt->clear();
      opt->add_result(e.value);
      opt->run_callback();
    } catch (const CLI::Error& err) {
      return LineError(path, e.line, "'" + e.key + "' 的值无效 (bad value '" + e.value + "'): " + err.what());
    }
  }
  return Status::Ok();
}

}  // namespace kp::app
