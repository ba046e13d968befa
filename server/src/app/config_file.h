#pragma once
// `serve --config FILE`: a file of `key = value` lines, one for any serve flag (named like the flag
// without the dashes: `listen = 0.0.0.0:8080`, `max-body-kb = 1024`; `_` may stand for `-`) and
// `db`. `#` starts a comment; a value may be "quoted". A flag given on the command line wins over
// the file; an unknown key or a bad value is an error that names the file and line.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace kp::app {

struct ConfigEntry {
  int line = 0;
  std::string key, value;
};

// Reads the lines of a config file (syntax only).
Result<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path);

// Sets each option of `command` (or, failing that, of its parent app: `db`) named by a key and
// not given on the command line, with the option's own checks.
// REQUIRES: the command line has been parsed.
Status ApplyConfig(const std::string& path, const std::vector<ConfigEntry>& entries, CLI::App& command);

}  // namespace kp::app
