#pragma once
// A leader's instruction (领导批示) on a project, and its answer.
#include <cstdint>
#include <optional>
#include <string>

namespace kp {

struct Instruction {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string text;
  std::string given_by;       // login
  std::string given_by_name;  // display name
  std::string given_at;       // UTC ISO timestamp
  std::string answer;
  std::string answered_by;       // login
  std::string answered_by_name;  // display name (the login when the user is gone)
  std::optional<std::string> answered_at;
  int64_t version = 1;
};

}  // namespace kp
