// The queue between a file's reading or writing thread and the caller.
#include "common/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace kp {
namespace {

TEST(BoundedQueue, HoldsAtMostItsCapacityAndKeepsOrder) {
  BoundedQueue<int> q(3);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(q.Push(i));
      ++pushed;
    }
    q.Close();
  });
  while (pushed < 3) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(pushed.load(), 3);  // the fourth waits for room
  int got = 0, expected = 0;
  while (q.Pop(got)) EXPECT_EQ(got, expected++);
  EXPECT_EQ(expected, 1000);  // drained after Close
  producer.join();
}

TEST(BoundedQueue, AClosedQueueReleasesAWaitingProducerAndRefusesPushes) {
  BoundedQueue<int> q(1);
  ASSERT_TRUE(q.Push(1));
  std::thread producer([&] { EXPECT_FALSE(q.Push(2)); });  // waits: full
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  q.Close();
  producer.join();
  EXPECT_FALSE(q.Push(3));
  int v = 0;
  EXPECT_TRUE(q.Pop(v));  // what was queued before Close is still there
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(q.Pop(v));
}

}  // namespace
}  // namespace kp
