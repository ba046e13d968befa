// The names of financing stages and kinds (domain/financing_model.h): kept apart from the
// service so that the import parser (and the fuzzers' build of it) needs nothing else.
#include "domain/financing_model.h"

#include <iterator>

namespace kp {

namespace {
constexpr FinancingStage kStages[] = {FinancingStage::kRegistered, FinancingStage::kReviewed, FinancingStage::kPushed,
                                      FinancingStage::kMatching,   FinancingStage::kApproving, FinancingStage::kCredited,
                                      FinancingStage::kSigned,     FinancingStage::kDisbursed, FinancingStage::kRejected};
constexpr const char* kStageNames[] = {"registered", "reviewed", "pushed", "matching", "approving",
                                       "credited",   "signed",   "disbursed", "rejected"};
constexpr const char* kStageLabels[] = {"登记", "审核", "推送", "对接中", "审批中", "已授信", "已签约", "已放款", "未通过"};
}  // namespace

const char* FinancingStageName(FinancingStage s) { return kStageNames[static_cast<size_t>(s)]; }
const char* FinancingStageLabel(FinancingStage s) { return kStageLabels[static_cast<size_t>(s)]; }
std::optional<FinancingStage> ParseFinancingStage(std::string_view s) {
  for (size_t i = 0; i < std::size(kStages); ++i) {
    if (s == kStageNames[i] || s == kStageLabels[i]) return kStages[i];
  }
  return std::nullopt;
}

const std::vector<std::string>& FinancingKinds() {
  static const std::vector<std::string> kKinds = {"中长期贷款", "流动资金贷款", "政策性开发性金融工具", "专项债", "产业基金", "其他"};
  return kKinds;
}

}  // namespace kp
