#include "domain/problem_model.h"

namespace kp {

const char* ProblemStateName(ProblemState s) {
  switch (s) {
    case ProblemState::kPending: return "pending";
    case ProblemState::kWorking: return "working";
    case ProblemState::kAnswered: return "answered";
    case ProblemState::kClosed: return "closed";
  }
  return "pending";
}

const char* ProblemStateLabel(ProblemState s) {
  switch (s) {
    case ProblemState::kPending: return "待交办";
    case ProblemState::kWorking: return "办理中";
    case ProblemState::kAnswered: return "待销号";
    case ProblemState::kClosed: return "已销号";
  }
  return "待交办";
}

std::optional<ProblemState> ParseProblemState(std::string_view s) {
  for (ProblemState st : {ProblemState::kPending, ProblemState::kWorking, ProblemState::kAnswered, ProblemState::kClosed}) {
    if (s == ProblemStateName(st) || s == ProblemStateLabel(st)) return st;
  }
  return std::nullopt;
}

}  // namespace kp
