#pragma once
// Serialised answers keyed by question, valid while the engine's generation is unchanged.
// Bounded by bytes (keys and bodies together), not by entries: any signed-in user can ask many
// different questions, each with a large answer. An answer larger than max_entry_bytes is not
// kept; when a new one would pass max_bytes, the cache starts over.
// Thread-safety: all methods may be called concurrently.
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace kp::api {

class ResponseCache {
 public:
  static constexpr size_t kDefaultMaxBytes = 32u << 20;      // 32 MiB
  static constexpr size_t kDefaultMaxEntryBytes = 4u << 20;  // 4 MiB

  explicit ResponseCache(size_t max_bytes = kDefaultMaxBytes, size_t max_entry_bytes = kDefaultMaxEntryBytes)
      : max_bytes_(max_bytes), max_entry_bytes_(max_entry_bytes) {}

  std::optional<std::string> Get(const std::string& key, uint64_t generation) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.first != generation) return std::nullopt;
    return it->second.second;
  }

  void Put(const std::string& key, uint64_t generation, std::string body) {
    const size_t cost = key.size() + body.size();
    if (cost > max_entry_bytes_) return;
    std::unique_lock lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      bytes_ -= it->first.size() + it->second.second.size();
      entries_.erase(it);
    }
    if (bytes_ + cost > max_bytes_) {
      entries_.clear();
      bytes_ = 0;
    }
    entries_.emplace(key, std::make_pair(generation, std::move(body)));
    bytes_ += cost;
  }

  size_t bytes() const {
    std::shared_lock lock(mu_);
    return bytes_;
  }

 private:
  const size_t max_bytes_, max_entry_bytes_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::pair<uint64_t, std::string>> entries_;
  size_t bytes_ = 0;
};

}  // namespace kp::api
