// 考核办法 as a stored setting: none stored is the 2020 city scheme; a saved one is what the scores use; a
// stored value that is not a scheme (a hand edit, a bad restore) is an error naming the setting, from the
// scheme and from the scores alike, never a crash or a silent default. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/assessment.h"
#include "domain/milestones.h"
#include "domain/problems.h"
#include "stats/assessment.h"
#include "test_db.h"

namespace kp {
namespace {

class AssessmentSettingTest : public testing::DbTest {};

TEST_P(AssessmentSettingTest, TheScoresUseTheStoredSchemeAndACorruptOneIsAnError) {
  Milestones milestones(*store_, *reg_);
  Problems problems(*store_, *reg_);
  Assessments assessments(*reg_, milestones, problems);
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.by = stats::GroupBy::kUnit;

  auto scheme = assessments.Scheme();
  ASSERT_TRUE(scheme.ok()) << scheme.status().message();
  EXPECT_EQ(boost::json::serialize(stats::AssessmentSchemeToJson(*scheme)),
            boost::json::serialize(stats::AssessmentSchemeToJson(stats::DefaultAssessmentScheme())));
  ASSERT_TRUE(assessments.Scores(q, "2024-03").ok());

  for (const char* corrupt : {"{not json", "[1,2]", "\"text\""}) {
    ASSERT_TRUE(store_->SetSettings({{"assessment_scheme", corrupt}}, std::nullopt).ok());
    auto bad = assessments.Scheme();
    ASSERT_FALSE(bad.ok()) << corrupt;
    EXPECT_EQ(bad.status().code(), ErrorCode::kInternal) << corrupt;
    EXPECT_NE(bad.status().message().find("考核办法"), std::string::npos) << bad.status().message();
    auto scores = assessments.Scores(q, "2024-03");
    ASSERT_FALSE(scores.ok()) << corrupt;
    EXPECT_EQ(scores.status().message(), bad.status().message());
  }
  // A unit grouping is the only other one scored; by project is refused naming "by".
  q.by = stats::GroupBy::kProject;
  auto by = assessments.Scores(q, "2024-03");
  ASSERT_FALSE(by.ok());
  EXPECT_EQ(by.status().field(), "by");
}

INSTANTIATE_TEST_SUITE_P(Backends, AssessmentSettingTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

}  // namespace
}  // namespace kp
