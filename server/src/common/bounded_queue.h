#pragma once
// A queue between one producing and one consuming thread that holds at most `capacity` items:
// the producer waits while it is full, the consumer while it is empty. Close() ends it: pushes
// are refused from then on, and the consumer drains what is left. Used where a file is read or
// written on a second thread (the .xlsx reader's inflating, the writer's rows) so memory stays
// bounded however large the file.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace kp {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Waits for room. False when the queue was closed (the item is dropped).
  bool Push(T item) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  // Waits for an item. False when the queue is closed and empty.
  bool Pop(T& out) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  // No more items; wakes both sides. What was written before Close() is seen by a Pop that
  // returns false after it (the mutex orders them).
  void Close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    changed_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace kp
