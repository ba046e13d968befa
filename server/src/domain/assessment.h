#pragma once
// The 考核 scheme kept in the settings (`assessment_scheme`; default: the 2020 city scheme,
// stats/assessment.h) and the scores it gives: completion and rank from the stats engine, starts, nodes
// and reports from its execution figures, problems closed from the problem figures — one question, one
// grouping (townships or units), every measure from the engines.
#include "domain/milestones.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "stats/assessment.h"

namespace kp {

class Assessments {
 public:
  Assessments(Register& reg, Milestones& milestones, Problems& problems)
      : reg_(reg), milestones_(milestones), problems_(problems) {}
  Result<stats::AssessmentScheme> Scheme();
  // Saves a scheme (checked by stats::ParseAssessmentScheme when it came from JSON) with its audit entry.
  Status SaveScheme(const stats::AssessmentScheme& scheme, const Actor& by);
  // Puts the default scheme (the 2020 city scheme, stats::DefaultAssessmentScheme) back, with its audit entry;
  // the bureau's adjustments (加减分) go with the replaced scheme. Returns the scheme now in force.
  Result<stats::AssessmentScheme> ResetScheme(const Actor& by);
  // Scores of q's groups (by region or unit) as of q's month; period names it (month, quarter, year).
  Result<stats::AssessmentResult> Scores(const stats::StatsQuery& q, const std::string& period);

 private:
  Register& reg_;
  Milestones& milestones_;
  Problems& problems_;
};

}  // namespace kp
