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

}  // namespace kp::http
