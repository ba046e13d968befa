#pragma once
// SQL of published red/black lists (published_redblack): a list frozen at publication — entries, figures,
// rule and target as JSON — with its number 第N期. Each publication is one transaction with its audit entry.
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace kp::store {

class Db;

struct PublishedRedBlack {
  int64_t id = 0;
  std::string kind;      // monthly | quarterly
  std::string period;    // 2024-03 | 2024-Q1
  std::string group_by;  // region | unit | project
  std::string levels;    // "" (every level) or "省重点,市重点"
  int year = 0;
  int issue = 0;         // 第N期 within kind and year
  std::string question;  // JSON
  std::string list;      // JSON (empty in lists)
  std::string published_by, published_at;
};

class PublishedRedBlackStore {
 public:
  explicit PublishedRedBlackStore(Db& db) : db_(db) {}
  // Numbers the list (the next issue of its kind and year), asks list_of(issue) for the frozen JSON and stores
  // it; kConflict naming the existing 第N期 when the same kind, period, grouping and levels are published.
  Result<PublishedRedBlack> Publish(PublishedRedBlack r, const std::function<Result<std::string>(int issue)>& list_of,
                                    const Actor& by);
  Result<PublishedRedBlack> Get(int64_t id);
  // Every publication (without its list), newest first.
  Result<std::vector<PublishedRedBlack>> List();
  // The number the next publication of this kind and year would get.
  Result<int> NextIssue(const std::string& kind, int year);

 private:
  Db& db_;
};

}  // namespace kp::store
