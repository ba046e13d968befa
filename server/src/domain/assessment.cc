#include "domain/assessment.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/audited_setting.h"
#include "domain/tours.h"

namespace kp {
namespace {
constexpr const char* kSchemeKey = "assessment_scheme";

Result<stats::AssessmentScheme> SchemeOf(const std::optional<std::string>& v) {
  if (!v || v->empty()) return stats::DefaultAssessmentScheme();
  boost::system::error_code ec;
  auto j = boost::json::parse(*v, ec);
  if (ec || !j.is_object()) return Internal("考核办法设置已损坏 (the assessment scheme setting is corrupt)");
  return stats::ParseAssessmentScheme(j.as_object());
}

}  // namespace

Result<stats::AssessmentScheme> Assessments::Scheme() {
  auto v = reg_.store().GetSetting(kSchemeKey);
  if (!v.ok()) return v.status();
  return SchemeOf(*v);
}

Status Assessments::SaveScheme(const stats::AssessmentScheme& scheme, const Actor& by) {
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "assessment_scheme";
  return SaveAuditedSetting(reg_.store(), kSchemeKey, boost::json::serialize(stats::AssessmentSchemeToJson(scheme)), e,
                            [](const std::optional<std::string>& stored) -> Result<std::string> {
                              auto before = SchemeOf(stored);
                              if (!before.ok()) return before.status();
                              return boost::json::serialize(stats::AssessmentSchemeToJson(*before));
                            });
}

Result<stats::AssessmentScheme> Assessments::ResetScheme(const Actor& by) {
  stats::AssessmentScheme scheme = stats::DefaultAssessmentScheme();
  if (Status s = SaveScheme(scheme, by); !s.ok()) return s;
  return scheme;
}

Result<stats::AssessmentResult> Assessments::Scores(const stats::StatsQuery& q, const std::string& period) {
  if (q.by != stats::GroupBy::kRegion && q.by != stats::GroupBy::kUnit) {
    return InvalidArgument("by 应为 region 或 unit (an assessment scores townships or units)", "by");
  }
  auto scheme = Scheme();
  if (!scheme.ok()) return scheme.status();
  auto rules = milestones_.Rules();
  if (!rules.ok()) return rules.status();
  const Date as_of{q.year, q.month, DaysInMonth(q.year, q.month)};
  stats::WarningQuery wq;
  wq.as_of = as_of;
  wq.levels = q.levels;
  wq.by = q.by;
  wq.region_depth = q.region_depth;
  wq.region_id = q.region_id;
  wq.unit = q.unit;
  wq.owner = q.owner;
  wq.list_projects = false;
  stats::ProblemQuery pq;
  pq.as_of = as_of;
  pq.levels = q.levels;
  pq.by = q.by == stats::GroupBy::kRegion ? stats::ProblemGroupBy::kRegion : stats::ProblemGroupBy::kUnit;
  pq.region_id = q.region_id;
  pq.region_depth = q.region_depth;
  auto problems = problems_.Stats(pq);
  if (!problems.ok()) return problems.status();
  // The tour item: the tours that ended within the period (its month, quarter or year up to as_of).
  std::optional<stats::TourPeriodFigures> tours;
  if (std::any_of(scheme->items.begin(), scheme->items.end(),
                  [](const stats::AssessmentItem& i) { return i.measure == stats::AssessMeasure::kTour; })) {
    const int first = period == "year" ? 1 : period == "quarter" ? q.month - 2 : q.month;
    auto f = Tours(reg_.store(), reg_).PeriodFigures(Date{q.year, std::max(first, 1), 1}, as_of, q.by, q.region_depth);
    if (!f.ok()) return f.status();
    tours = std::move(*f);
  }
  return stats::BuildAssessment(*scheme, reg_.Stats(q), reg_.stats_engine().Execution(wq, *rules), *problems, period,
                                tours ? &*tours : nullptr);
}

}  // namespace kp
