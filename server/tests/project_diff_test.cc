// The history and audit JSON of a project: every field once, escaped, parseable.
#include "domain/project_diff.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace kp {
namespace {

Project Sample() {
  Project p;
  p.id = 7;
  p.code = "XM-001";
  p.name = "引水\"工程\"\\二期\n（含泵站）";
  p.level = Level::kProvincial;
  p.region_id = 12;
  p.total_investment = Money(123456789);
  p.owner = "县水务局";
  p.is_demo = true;
  p.planned_start = Date{2024, 3, 1};
  return p;
}

TEST(ProjectDiff, ACreationListsEveryNonEmptyFieldAsValidJson) {
  Project p = Sample();
  auto v = boost::json::parse(ProjectChangesJson(nullptr, &p)).as_object();
  EXPECT_EQ(v.at("name").as_array().at(1).as_string(), p.name);
  EXPECT_TRUE(v.at("name").as_array().at(0).is_null());
  EXPECT_EQ(v.at("region_id").as_array().at(1).as_int64(), 12);
  EXPECT_EQ(v.at("total_investment_wan").as_array().at(1).as_string(), "12345.6789");
  EXPECT_EQ(v.at("is_demo").as_array().at(1).as_bool(), true);
  EXPECT_EQ(v.at("planned_start").as_array().at(1).as_string(), "2024-03-01");
  EXPECT_FALSE(v.contains("planned_end"));  // empty fields are left out of a creation
  EXPECT_FALSE(v.contains("content"));
}

TEST(ProjectDiff, AnUpdateListsOnlyTheChangedFieldsAndNothingWhenNothingChanged) {
  Project a = Sample(), b = Sample();
  b.owner = "县交通局";
  b.region_id.reset();
  b.name += "\x01";
  auto v = boost::json::parse(ProjectChangesJson(&a, &b)).as_object();
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.at("owner").as_array().at(0).as_string(), "县水务局");
  EXPECT_EQ(v.at("owner").as_array().at(1).as_string(), "县交通局");
  EXPECT_TRUE(v.at("region_id").as_array().at(1).is_null());
  EXPECT_EQ(v.at("name").as_array().at(1).as_string(), b.name);
  EXPECT_EQ(ProjectChangesJson(&a, &a), "");
  auto gone = boost::json::parse(ProjectChangesJson(&a, nullptr)).as_object();
  EXPECT_EQ(gone.at("code").as_array().at(0).as_string(), "XM-001");
}

TEST(ProjectDiff, ASnapshotHoldsEveryFieldAndTheId) {
  auto v = boost::json::parse(ProjectSnapshotJson(Sample())).as_object();
  EXPECT_EQ(v.size(), 17u);
  EXPECT_EQ(v.at("id").as_int64(), 7);
  EXPECT_TRUE(v.at("planned_end").is_null());
  EXPECT_EQ(v.at("content").as_string(), "");
}

}  // namespace
}  // namespace kp
