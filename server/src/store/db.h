#pragma once
// The one connection every store slice shares (store/<aggregate>_store.cc). Calls are serialised;
// a write is one transaction that appends what it changed to change_log (so other servers
// follow) and may add audit and project-history rows inside it.
// Only store/ includes this header: SQL stays in the store.
#include <functional>
#include <optional>
#include <string>

#include <soci/soci.h>

#include "common/status.h"
#include "domain/model.h"

namespace kp::store {

class WriteScope {
 public:
  virtual ~WriteScope() = default;
  // The project's figures or nodes changed: servers reload it.
  virtual void Changed(int64_t project_id) = 0;
  // Appends an audit entry to the hash chain, in this transaction.
  virtual void Audit(const Actor& by, const std::string& action, const std::string& entity, const std::string& entity_id,
                     const std::optional<std::string>& before, const std::optional<std::string>& after) = 0;
  // Appends a project-history row ({"field":[before, after]} changes), in this transaction.
  virtual void History(int64_t project_id, const Actor& by, const std::string& action, const std::string& changes) = 0;
};

class Db {
 public:
  virtual ~Db() = default;
  virtual bool postgres() const = 0;
  // Runs fn with the connection; database errors become kInternal.
  virtual Status Read(const std::function<Status(soci::session&)>& fn) = 0;
  // One write transaction: fn returning Ok commits (with its change rows), anything else rolls back.
  virtual Status Write(const std::function<Status(soci::session&, WriteScope&)>& fn) = 0;
};

}  // namespace kp::store
