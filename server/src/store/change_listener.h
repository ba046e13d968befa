#pragma once
// Word of changes committed by other processes. On PostgreSQL a dedicated libpq connection
// LISTENs on the channel every write transaction NOTIFYs (kp_changes); on SQLite there is no such
// channel and Wait is a plain poll interval. Either way the caller then reads the change log, so a
// missed notice costs at most one interval.
// Thread-safety: Wait from one thread; Wake from any.
#include <chrono>
#include <memory>
#include <string>

namespace kp::store {

class ChangeListener {
 public:
  // Never null: without a LISTEN connection (SQLite, or PostgreSQL unreachable) it polls.
  static std::unique_ptr<ChangeListener> Open(const std::string& db_url);
  virtual ~ChangeListener() = default;
  // Returns after a notice, Wake(), or `timeout`, whichever comes first.
  virtual void Wait(std::chrono::milliseconds timeout) = 0;
  virtual void Wake() = 0;
  // Whether notices arrive (PostgreSQL LISTEN is up).
  virtual bool listening() const = 0;
};

}  // namespace kp::store
