#include "domain/change_follower.h"

#include "spdlog/spdlog.h"

namespace kp {
namespace {

// The change log keeps this many rows; a server further behind reloads everything.
constexpr int64_t kKeptChanges = 100000;
constexpr auto kPruneEvery = std::chrono::minutes(10);

}  // namespace

ChangeFollower::ChangeFollower(Register& reg, std::unique_ptr<store::ChangeListener> listener,
                               std::chrono::milliseconds poll, std::function<void()> on_sessions)
    : reg_(reg), listener_(std::move(listener)), poll_(poll), on_sessions_(std::move(on_sessions)) {}

ChangeFollower::~ChangeFollower() { Stop(); }

void ChangeFollower::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void ChangeFollower::Stop() {
  stop_ = true;
  listener_->Wake();
  if (thread_.joinable()) thread_.join();
}

void ChangeFollower::Loop() {
  auto next_prune = std::chrono::steady_clock::now() + kPruneEvery;
  while (!stop_) {
    listener_->Wait(poll_);
    if (stop_) break;
    auto changed = reg_.FollowChanges();
    if (!changed.ok()) {
      spdlog::warn("change follower: {}", changed.status().message());
      continue;
    }
    // Sessions may have been seen changing by another caller of FollowChanges (a publication).
    if (reg_.TakeForeignSessions() && on_sessions_) on_sessions_();
    if (changed->stats) ++applied_;
    if (std::chrono::steady_clock::now() >= next_prune) {
      next_prune = std::chrono::steady_clock::now() + kPruneEvery;
      int64_t seq = reg_.applied_seq();
      if (seq > kKeptChanges) (void)reg_.store().PruneChanges(seq - kKeptChanges);
    }
  }
}

}  // namespace kp
