#pragma once
// The values of investment attraction (产业招商, issue 12 §4): leads, their dated stages, carriers.
// A bottom layer: store, stats and the service share these; they use nothing above.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/dates.h"
#include "common/money.h"

namespace kp {

// 线索 → 洽谈 → 签约 → 落地(立项) → 开工 → 投产. The first three are moved by hand; 落地 is the conversion
// into a register project; 开工 and 投产 follow that project (LeadFollow).
enum class LeadStage { kLead, kTalks, kSigned, kLanded, kStarted, kProducing };
inline constexpr LeadStage kLeadStages[] = {LeadStage::kLead,   LeadStage::kTalks,   LeadStage::kSigned,
                                            LeadStage::kLanded, LeadStage::kStarted, LeadStage::kProducing};
const char* LeadStageName(LeadStage s);   // lead talks signed landed started producing
const char* LeadStageLabel(LeadStage s);  // 线索 洽谈 签约 落地 开工 投产
std::optional<LeadStage> ParseLeadStage(std::string_view s);  // either spelling

// Land is kept in tenths of a 亩 (12.5亩 = 125): exact, and finer than any parcel is sold by.
inline constexpr int64_t kTenthsPerMu = 10;
// "12.5" / "12" / "0.5" 亩 → tenths; more than one decimal, a sign or anything else is an error.
std::optional<int64_t> ParseTenthMu(std::string_view text);
std::string FormatTenthMu(int64_t tenths);  // 125 → "12.5", 120 → "12"

// What a converted lead's project says of its start and production (落地 → 开工 → 投产).
struct ProjectProgress {
  std::string code, name, status;
  std::optional<Date> start_node_actual;     // its 开工 node's 实际完成日期
  bool has_start_node = false;
  std::optional<Date> producing_node_actual;  // its 投产/投用 node's 实际完成日期
  std::optional<Date> planned_start, planned_end;
};

struct Lead {
  int64_t id = 0;
  std::string name, investor, industry;
  Money investment, output, tax;  // 意向投资, 预计年产值, 预计年税收
  int64_t land_tenth_mu = 0;      // 用地需求 (0.1 亩)
  int64_t floor_m2 = 0;           // 厂房需求 (m²)
  std::string contact, source, staff, note;
  LeadStage stage = LeadStage::kLead;  // as stored: lead talks signed landed
  Date lead_on;
  std::optional<Date> talks_on, signed_on, landed_on;
  std::optional<int64_t> project_id;
  std::optional<ProjectProgress> project;  // filled on read when converted
  int version = 1;
  std::string created_at, updated_at, updated_by;
};

// The stage and its dates once the project is followed: 开工 when the project's 开工 node is done (on
// its actual date); a project without a 开工 node has started when its status is past 前期 (新开工 续建 在建
// 竣工 投产; 停缓建 and 前期 are not), on its planned start, else the landing date. 投产 when its 投产/投用
// node is done (on that date), or its status is 投产 (on its planned end, else the start). This is the
// warnings engine's start rule (stats/warnings.h: the 开工 node decides when there is one).
struct LeadFollow {
  LeadStage stage = LeadStage::kLead;
  std::optional<Date> started_on, producing_on;
};
LeadFollow FollowProject(const Lead& l);

struct LeadEvent {
  int64_t id = 0;
  int64_t lead_id = 0;
  std::string at;
  Date on;
  std::string by, action, from_stage, to_stage, note;
};

// A park's land parcel (土地) or standard factory (标准厂房).
enum class CarrierKind { kLand, kFactory };
const char* CarrierKindName(CarrierKind k);   // land factory
const char* CarrierKindLabel(CarrierKind k);  // 土地 标准厂房
std::optional<CarrierKind> ParseCarrierKind(std::string_view s);

struct Carrier {
  int64_t id = 0;
  std::string park, parcel;
  CarrierKind kind = CarrierKind::kLand;
  int64_t land_tenth_mu = 0;  // land: area in 0.1 亩
  int64_t floor_m2 = 0;       // factory: floor area
  Money price;                // per 亩 (land) or per m² a month (factory)
  std::vector<std::string> industries;  // empty: any industry
  bool available = true;
  int version = 1;
  std::string updated_at, updated_by;
};

}  // namespace kp
