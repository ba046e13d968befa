#pragma once
// SQL of published periodic reports (published_reports): a report frozen at publication — its model as
// JSON — with its number 第N期. Each publication is one transaction with its audit entry.
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace kp::store {

class Db;

struct PublishedReport {
  int64_t id = 0;
  std::string kind;    // monthly | quarterly | annual
  std::string period;  // 2024-03 | 2024-Q1 | 2024
  int year = 0;
  int issue = 0;         // 第N期 within kind and year
  std::string question;  // JSON
  std::string model;     // JSON (empty in lists)
  std::string published_by, published_at;
};

class PublishedReportStore {
 public:
  explicit PublishedReportStore(Db& db) : db_(db) {}
  // Numbers the report (the next issue of its kind and year), asks model_of(issue) for the frozen model and
  // stores it; kConflict naming the existing 第N期 when the period is already published.
  Result<PublishedReport> Publish(PublishedReport r, const std::function<Result<std::string>(int issue)>& model_of,
                                  const Actor& by);
  Result<PublishedReport> Get(int64_t id);
  // Every publication (without its model), newest first.
  Result<std::vector<PublishedReport>> List();
  // The number the next publication of this kind and year would get.
  Result<int> NextIssue(const std::string& kind, int year);

 private:
  Db& db_;
};

}  // namespace kp::store
