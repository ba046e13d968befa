#pragma once
// Keeps a server's statistics cache equal to the database when other processes write to it
// (more servers on one PostgreSQL, a CLI import into a served SQLite file): a thread waits for
// word of a change (NOTIFY, or the poll interval) and has the Register take in the change log.
// Thread-safety: Start/Stop from the owning thread.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "domain/register.h"
#include "store/change_listener.h"

namespace kp {

class ChangeFollower {
 public:
  // poll: the longest a change can go unseen when no notice arrives.
  // on_sessions runs when sessions or users changed elsewhere (drop cached sessions).
  ChangeFollower(Register& reg, std::unique_ptr<store::ChangeListener> listener, std::chrono::milliseconds poll,
                 std::function<void()> on_sessions);
  ~ChangeFollower();
  void Start();
  void Stop();
  // Foreign changes taken in so far.
  uint64_t applied() const { return applied_.load(); }

 private:
  void Loop();

  Register& reg_;
  std::unique_ptr<store::ChangeListener> listener_;
  std::chrono::milliseconds poll_;
  std::function<void()> on_sessions_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> applied_{0};
  std::thread thread_;
};

}  // namespace kp
