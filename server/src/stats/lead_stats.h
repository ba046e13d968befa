#pragma once
// The 产业招商 funnel (issue 12 §4), pure and exact: per group and in total, of the leads in a year.
// Definitions (year Y, as of D: by default 31 December of Y; a later D follows the year's leads further):
//   leads      leads whose 线索 date is in Y (and ≤ D)
//   talks      leads that entered 洽谈 in Y (≤ D)
//   signed     leads signed (签约) in Y (≤ D) — 签约 N个;  signed_amount: their intended investment — 协议投资
//   landed / started / producing: of those signed in Y, how many had become a project (落地) / started
//              (开工) / started producing (投产) by D (the project's progress, domain/lead_model.h FollowProject)
//   started_in_year / producing_in_year: leads whose 开工 / 投产 day is in Y (≤ D), whenever signed
//   开工率 start_rate_pct = started / signed × 100;  投产率 produce_rate_pct = producing / signed × 100
//              (none when nothing was signed)
// A lead falls in the group of its industry, its staff member, or the stage it had reached on D.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "domain/lead_model.h"

namespace kp::stats {

enum class LeadGroupBy { kNone, kStage, kIndustry, kStaff };
const char* LeadGroupByName(LeadGroupBy b);  // "" stage industry staff
std::optional<LeadGroupBy> ParseLeadGroupBy(std::string_view s);

struct LeadQuery {
  int year = 0;
  Date as_of;  // the figures as of this day (within the year)
  LeadGroupBy by = LeadGroupBy::kNone;
};

struct LeadFigures {
  std::string key;
  int64_t leads = 0, talks = 0, signed_count = 0, landed = 0, started = 0, producing = 0;
  int64_t started_in_year = 0, producing_in_year = 0;
  Money signed_amount;
  std::optional<Ratio> start_rate_pct, produce_rate_pct;
};

struct LeadStats {
  int year = 0;
  Date as_of;
  LeadGroupBy by = LeadGroupBy::kNone;
  LeadFigures total;
  std::vector<LeadFigures> groups;  // stage order for stages; else by signed amount, then key
};

// The stage a lead had reached on `day` (nullopt: not yet a lead then).
std::optional<LeadStage> LeadStageOn(const Lead& l, const Date& day);
LeadStats ComputeLeadStats(const std::vector<Lead>& leads, const LeadQuery& q);

}  // namespace kp::stats
