// Names of lead stages and carrier kinds, land in tenths of a 亩, and how a converted lead follows
// its project (domain/lead_model.h).
#include "domain/lead_model.h"

#include <iterator>

namespace kp {

namespace {
constexpr const char* kStageNames[] = {"lead", "talks", "signed", "landed", "started", "producing"};
constexpr const char* kStageLabels[] = {"线索", "洽谈", "签约", "落地", "开工", "投产"};
constexpr const char* kKindNames[] = {"land", "factory"};
constexpr const char* kKindLabels[] = {"土地", "标准厂房"};
constexpr int64_t kMaxTenthMu = 1'000'000'000;  // 1 亿亩: anything larger is a typing error
}  // namespace

const char* LeadStageName(LeadStage s) { return kStageNames[static_cast<size_t>(s)]; }
const char* LeadStageLabel(LeadStage s) { return kStageLabels[static_cast<size_t>(s)]; }
std::optional<LeadStage> ParseLeadStage(std::string_view s) {
  for (size_t i = 0; i < std::size(kLeadStages); ++i) {
    if (s == kStageNames[i] || s == kStageLabels[i]) return kLeadStages[i];
  }
  if (s == "落地(立项)" || s == "立项") return LeadStage::kLanded;
  return std::nullopt;
}

const char* CarrierKindName(CarrierKind k) { return kKindNames[static_cast<size_t>(k)]; }
const char* CarrierKindLabel(CarrierKind k) { return kKindLabels[static_cast<size_t>(k)]; }
std::optional<CarrierKind> ParseCarrierKind(std::string_view s) {
  for (CarrierKind k : {CarrierKind::kLand, CarrierKind::kFactory}) {
    if (s == CarrierKindName(k) || s == CarrierKindLabel(k)) return k;
  }
  if (s == "厂房") return CarrierKind::kFactory;
  return std::nullopt;
}

std::optional<int64_t> ParseTenthMu(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  int64_t whole = 0, tenth = 0;
  size_t i = 0, digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > kMaxTenthMu) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.' || i + 2 != text.size() || text[i + 1] < '0' || text[i + 1] > '9') return std::nullopt;
    tenth = text[i + 1] - '0';
  }
  return whole * kTenthsPerMu + tenth;
}

std::string FormatTenthMu(int64_t tenths) {
  std::string out = std::to_string(tenths / kTenthsPerMu);
  if (tenths % kTenthsPerMu != 0) out += "." + std::to_string(tenths % kTenthsPerMu);
  return out;
}

LeadFollow FollowProject(const Lead& l) {
  LeadFollow f;
  f.stage = l.stage;
  if (!l.project_id || !l.project || l.stage < LeadStage::kLanded) return f;
  const ProjectProgress& p = *l.project;
  const Date landed = l.landed_on.value_or(l.lead_on);
  if (p.has_start_node) {
    f.started_on = p.start_node_actual;
  } else if (p.status == "新开工" || p.status == "续建" || p.status == "在建" || p.status == "竣工" || p.status == "投产") {
    f.started_on = p.planned_start.value_or(landed);
  }
  if (p.producing_node_actual) {
    f.producing_on = p.producing_node_actual;
  } else if (p.status == "投产") {
    f.producing_on = p.planned_end ? p.planned_end : f.started_on;
  }
  if (f.producing_on && !f.started_on) f.started_on = f.producing_on;  // it cannot produce before it starts
  f.stage = f.producing_on ? LeadStage::kProducing : f.started_on ? LeadStage::kStarted : LeadStage::kLanded;
  return f;
}

}  // namespace kp
