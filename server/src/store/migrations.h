#pragma once
#include <string>
#include <vector>

namespace kp::store {

// One numbered migration, embedded from store/migrations/NNNN_name.sql at build time.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};
const std::vector<Migration>& Migrations();

}  // namespace kp::store
