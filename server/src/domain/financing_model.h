#pragma once
// The values of financing matched with banks (融资对接, PRACTICES.md §6).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/money.h"

namespace kp {

// 登记 → 审核 → 推送 → 对接中 → 审批中 → 已授信 → 已签约 → 已放款, or 未通过.
enum class FinancingStage { kRegistered, kReviewed, kPushed, kMatching, kApproving, kCredited, kSigned, kDisbursed, kRejected };
const char* FinancingStageName(FinancingStage s);   // registered reviewed pushed matching approving credited signed disbursed rejected
const char* FinancingStageLabel(FinancingStage s);  // 登记 审核 推送 对接中 审批中 已授信 已签约 已放款 未通过
std::optional<FinancingStage> ParseFinancingStage(std::string_view s);  // either spelling
const std::vector<std::string>& FinancingKinds();  // 中长期贷款 流动资金贷款 政策性开发性金融工具 专项债 产业基金 其他

struct Disbursement {
  int64_t id = 0;
  Date on;
  Money amount;
};

// A demand pushed to one bank, and that bank's answer.
struct BankPush {
  int64_t id = 0;
  int64_t demand_id = 0;
  std::string bank;
  Date pushed_on;
  std::string answer;  // "" interested documents ineligible approving
  std::string answer_note;
  std::optional<Money> credit;
  std::optional<Date> credit_on;
  std::optional<Money> contract;
  std::optional<Date> contract_on;
  std::string answered_at, answered_by;
  int version = 1;
  std::vector<Disbursement> disbursements;
};

struct FinancingDemand {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string kind;
  Money amount, year_need, capital;
  int term_years = 0;
  std::string purpose, guarantee, repayment, contact;
  bool negative_list_ok = true;
  FinancingStage stage = FinancingStage::kRegistered;
  std::string reject_reason;
  Date registered_on;
  int version = 1;
  std::string created_at, updated_at, updated_by;
  std::vector<BankPush> pushes;
};

// The stage the bank side has reached (推送 and beyond), from the pushes' dated facts as of `day`
// (nullopt: nothing pushed by then).
std::optional<FinancingStage> BankStageAsOf(const std::vector<BankPush>& pushes, const Date& day);

// A demand row of an import (a bureau's existing demand list).
struct FinancingImportRow {
  std::string project_code;
  FinancingDemand demand;
  int line = 0;
};

struct FinancingEvent {
  int64_t id = 0;
  int64_t demand_id = 0;
  std::string at;
  Date on;
  std::string by, action, bank, from_stage, to_stage, note;
  std::string data = "{}";
};

}  // namespace kp
