#pragma once
// SQL of the weekly dispatch sheet's one question the engines cannot answer: which monthly reports were
// submitted (or re-submitted) between two instants, whatever month they are for.
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace kp::store {

class Db;

class ReportActivityStore {
 public:
  explicit ReportActivityStore(Db& db) : db_(db) {}
  // Reports whose submitted_at (UTC, "2024-03-31T12:00:00Z") is in [from, to), by submission time.
  Result<std::vector<MonthlyReport>> SubmittedBetween(const std::string& from, const std::string& to);

 private:
  Db& db_;
};

}  // namespace kp::store
