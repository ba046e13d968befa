#include <gtest/gtest.h>

#include "http/request.h"

namespace kp::http {

TEST(ErrorResponse, AnInternalErrorShowsAReferenceAndNeverItsDetail) {
  Response r = ErrorResponse(Internal("数据库错误 (database error): INSERT INTO projects (code) VALUES ('secret-value')"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("INSERT"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("secret-value"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"ref\""), std::string::npos) << r.body;
}

TEST(ErrorResponse, AClientErrorKeepsItsMessageAndField) {
  Response r = ErrorResponse(InvalidArgument("年度应在 1990-2100 之间", "year"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("1990-2100"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"field\":\"year\""), std::string::npos) << r.body;
}

TEST(ErrorResponse, ABusyDatabaseAnswers503WithRetryAfterAndAChineseMessage) {
  Response r = ErrorResponse(Status(ErrorCode::kBusy, "数据库正忙 (database busy): database is locked"));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("\"code\":\"busy\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("请稍后重试"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("database is locked"), std::string::npos) << "the driver's text stays in the log: " << r.body;
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(r.headers[0].second, "5");
}

}  // namespace kp::http
