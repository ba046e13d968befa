#include "api/response_cache.h"

#include <gtest/gtest.h>

namespace kp::api {

TEST(ResponseCache, AnswersWhatItKeptForTheSameGenerationOnly) {
  ResponseCache c;
  c.Put("q", 1, "body");
  EXPECT_EQ(c.Get("q", 1).value_or(""), "body");
  EXPECT_FALSE(c.Get("q", 2).has_value());
}

TEST(ResponseCache, StaysWithinItsByteBudgetWhateverTheQuestions) {
  constexpr size_t kBudget = 1u << 20;
  ResponseCache c(kBudget, 64u << 10);
  const std::string body(60u << 10, 'x');
  for (int i = 0; i < 1000; ++i) {
    c.Put("/api/stats?by=project&n=" + std::to_string(i), 1, body);
    ASSERT_LE(c.bytes(), kBudget);
  }
  EXPECT_GT(c.bytes(), 0u);
}

TEST(ResponseCache, KeepsNoAnswerLargerThanAnEntryMayBe) {
  ResponseCache c(1u << 20, 1000);
  c.Put("big", 1, std::string(2000, 'x'));
  EXPECT_FALSE(c.Get("big", 1).has_value());
  EXPECT_EQ(c.bytes(), 0u);
}

}  // namespace kp::api
