#include "domain/financing.h"

#include "domain/field_checks.h"

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace kp {

namespace {
constexpr size_t kMaxText = 2000, kMaxField = 600, kMaxBanks = 30;
}  // namespace

stats::FinancingFacts FactsOf(const FinancingDemand& d, stats::FinancingSet& set,
                              std::unordered_map<std::string, uint32_t>& banks,
                              std::unordered_map<std::string, uint32_t>& kinds) {
  auto intern = [](std::unordered_map<std::string, uint32_t>& ids, std::vector<std::string>& names, const std::string& s) {
    auto [it, added] = ids.emplace(s, static_cast<uint32_t>(names.size()));
    if (added) names.push_back(s);
    return it->second;
  };
  stats::FinancingFacts f;
  f.project_id = d.project_id;
  f.registered = DayNumber(d.registered_on);
  f.kind = intern(kinds, set.kinds, d.kind);
  f.stage = d.stage;
  f.amount = d.amount.yuan;
  for (const BankPush& p : d.pushes) {
    stats::PushFacts pf;
    pf.bank = intern(banks, set.banks, p.bank);
    pf.pushed = DayNumber(p.pushed_on);
    if (!p.answered_at.empty()) {
      if (auto a = ParseDate(p.answered_at.substr(0, 10)); a.ok()) pf.answered = DayNumber(*a);
    }
    pf.answer = p.answer == "interested" || p.answer == "documents" ? 1 : p.answer == "approving" ? 2 : p.answer == "ineligible" ? 3 : 0;
    if (p.credit && p.credit_on) pf.credit = p.credit->yuan, pf.credit_on = DayNumber(*p.credit_on);
    if (p.contract && p.contract_on) pf.contract = p.contract->yuan, pf.contract_on = DayNumber(*p.contract_on);
    for (const Disbursement& x : p.disbursements) pf.loans.emplace_back(DayNumber(x.on), x.amount.yuan);
    f.pushes.push_back(std::move(pf));
  }
  return f;
}

std::optional<FinancingStage> BankStageAsOf(const std::vector<BankPush>& pushes, const Date& day) {
  if (pushes.empty()) return std::nullopt;
  FinancingDemand d;
  d.pushes = pushes;
  d.stage = FinancingStage::kReviewed;
  d.registered_on = day;
  stats::FinancingSet set;
  std::unordered_map<std::string, uint32_t> banks, kinds;
  const stats::FinancingFacts f = FactsOf(d, set, banks, kinds);
  const FinancingStage s = stats::StageAsOf(f, DayNumber(day));
  if (s <= FinancingStage::kReviewed) return std::nullopt;
  return s;
}

Status Financing::Check(const FinancingDemand& d) {
  const auto& kinds = FinancingKinds();
  if (std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) {
    return InvalidArgument("未知的融资类型「" + d.kind + "」(unknown type)", "kind");
  }
  if (Status s = CheckMoney(d.amount, "amount_wan", true); !s.ok()) return s;
  if (Status s = CheckMoney(d.year_need, "year_need_wan", true); !s.ok()) return s;
  if (d.year_need.yuan > d.amount.yuan) return InvalidArgument("年内需求不能超过融资金额 (this year's need exceeds the amount)", "year_need_wan");
  if (Status s = CheckMoney(d.capital, "capital_wan", false); !s.ok()) return s;
  if (d.term_years < 0 || d.term_years > 50) return InvalidArgument("期限应为 0-50 年 (term 0-50 years)", "term_years");
  for (auto [v, f] : {std::pair{&d.purpose, "purpose"}, std::pair{&d.guarantee, "guarantee"}, std::pair{&d.repayment, "repayment"}}) {
    if (Status s = CheckText(*v, f, kMaxText, TextShape::kMultiLine); !s.ok()) return s;
  }
  if (Status s = CheckText(d.contact, "contact", kMaxField, TextShape::kSingleLine); !s.ok()) return s;
  if (!d.negative_list_ok) return InvalidArgument("负面清单内的项目不能登记融资需求 (a project on the negative list)", "negative_list_ok");
  return CheckDay(d.registered_on, "registered_on");
}

Result<FinancingDemand> Financing::Create(FinancingDemand d, const User& user, const Actor& by) {
  if (d.registered_on.year == 0) d.registered_on = TodayBeijing();
  d.stage = FinancingStage::kRegistered;
  d.pushes.clear();
  if (Status s = Check(d); !s.ok()) return s;
  auto brief = reg_.stats_engine().Briefs({d.project_id}).front();
  if (!brief || !(user.role == Role::kAdmin || (user.role == Role::kOwner && Sees(user, d, *brief)))) {
    if (brief && Sees(user, d, *brief)) return Status(ErrorCode::kPermissionDenied, "无权登记融资需求 (not permitted to record a demand)");
    return Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id");
  }
  FinancingEvent e;
  e.on = d.registered_on;
  e.by = by.login;
  e.action = "register";
  e.to_stage = FinancingStageName(d.stage);
  return store_.Insert(d, e, by);
}

bool Financing::Sees(const User& u, const FinancingDemand& d, const stats::StatsEngine::ProjectBrief& b) const {
  switch (u.role) {
    case Role::kAdmin:
    case Role::kLeader:
    case Role::kAuditor: return true;
    case Role::kDepartment: return !u.unit.empty() && b.unit == u.unit;
    case Role::kOwner: return !u.unit.empty() && b.owner == u.unit;
    case Role::kBank:
      return !u.unit.empty() && std::any_of(d.pushes.begin(), d.pushes.end(), [&](const BankPush& p) { return p.bank == u.unit; });
    case Role::kInvestment: return false;
  }
  return false;
}

bool Financing::CanSee(const User& user, const FinancingDemand& d) {
  auto b = reg_.stats_engine().Briefs({d.project_id}).front();
  return b && Sees(user, d, *b);
}

namespace {

// The stage as far as `bank`'s own push has taken d (every fact on a push is dated no later than
// today): another bank's answer or credit is not its to know.
FinancingStage OwnStage(const FinancingDemand& d, const std::string& bank) {
  if (d.stage == FinancingStage::kRejected) return d.stage;
  FinancingStage best = FinancingStage::kPushed;
  for (const BankPush& p : d.pushes) {
    if (p.bank != bank) continue;
    const FinancingStage s = !p.disbursements.empty()                   ? FinancingStage::kDisbursed
                             : p.contract                               ? FinancingStage::kSigned
                             : p.credit                                 ? FinancingStage::kCredited
                             : p.answer == "approving"                  ? FinancingStage::kApproving
                             : p.answer == "interested" || p.answer == "documents" ? FinancingStage::kMatching
                                                                        : FinancingStage::kPushed;
    best = std::max(best, s);
  }
  return best;
}

}  // namespace

FinancingDemand Financing::ViewFor(const User& user, FinancingDemand d) const {
  if (user.role == Role::kBank) {
    d.stage = OwnStage(d, user.unit);
    std::erase_if(d.pushes, [&](const BankPush& p) { return p.bank != user.unit; });
  }
  return d;
}

std::vector<std::string> PushMoves(const BankPush& p) {
  std::vector<std::string> out;
  if (!p.credit) out.emplace_back("answer");
  if ((p.answer == "interested" || p.answer == "approving") && !p.credit) out.emplace_back("credit");
  if (p.credit && !p.contract) out.emplace_back("contract");
  if (p.contract) {
    int64_t lent = 0;
    for (const Disbursement& x : p.disbursements) lent += x.amount.yuan;
    if (lent < p.contract->yuan) out.emplace_back("loan");
  }
  return out;
}

std::vector<std::string> Financing::Allowed(const FinancingDemand& d, const User& user) const {
  std::vector<std::string> out;
  const bool admin = user.role == Role::kAdmin;
  if (d.stage == FinancingStage::kRejected) return out;
  if (admin && d.stage == FinancingStage::kRegistered) out.emplace_back("review");
  if (admin && d.stage < FinancingStage::kSigned) out.emplace_back("reject");
  if (admin && d.stage >= FinancingStage::kReviewed) out.emplace_back("push");
  if (!admin && user.role != Role::kBank) return out;
  // The bank-side moves: a bank's on its own push; the bureau's on any push (it names the bank).
  for (const char* a : {"answer", "credit", "contract", "loan"}) {
    const bool any = std::any_of(d.pushes.begin(), d.pushes.end(), [&](const BankPush& p) {
      if (!admin && p.bank != user.unit) return false;
      auto moves = PushMoves(p);
      return std::find(moves.begin(), moves.end(), a) != moves.end();
    });
    if (any) out.emplace_back(a);
  }
  return out;
}

Result<FinancingDemand> Financing::Act(int64_t id, const FinancingAction& a, const User& user, const Actor& by) {
  static const char* kActions[] = {"review", "reject", "push", "answer", "credit", "contract", "loan"};
  if (std::none_of(std::begin(kActions), std::end(kActions), [&](const char* k) { return a.name == k; })) {
    return Status(ErrorCode::kNotFound, "未知的操作 (unknown action): " + a.name, "action");
  }
  auto cur = store_.Get(id);
  if (!cur.ok()) return cur.status();
  if (!CanSee(user, *cur)) return NotFound("没有该融资需求 (no such financing demand)");
  if (a.version <= 0) return InvalidArgument("缺少版本号 (version is required)", "version");
  if (cur->version != a.version) return Status(ErrorCode::kConflict, "融资需求已被他人修改，请刷新后重试 (the demand was changed by someone else)");
  const bool bank_move = a.name != "review" && a.name != "reject" && a.name != "push";
  if (user.role != Role::kAdmin && (!bank_move || user.role != Role::kBank)) {
    return Status(ErrorCode::kPermissionDenied, "无权进行该操作 (not permitted: " + a.name + ")");
  }
  auto not_now = [&](const std::string& why) {
    return Status(ErrorCode::kConflict, "当前阶段「" + std::string(FinancingStageLabel(cur->stage)) + "」不能进行该操作" + why +
                                            " (not allowed at stage " + FinancingStageName(cur->stage) + ")",
                  "action");
  };
  if (!bank_move) {
    auto allowed = Allowed(*cur, user);
    if (std::find(allowed.begin(), allowed.end(), a.name) == allowed.end()) return not_now("");
  } else if (cur->stage == FinancingStage::kRejected || cur->pushes.empty()) {
    return not_now("");
  }
  std::string note(Trim(a.note));
  if (Status s = CheckText(note, "note", kMaxText, TextShape::kMultiLine); !s.ok()) return s;
  const Date today = TodayBeijing();
  const Date on = a.date.value_or(today);
  if (Status s = CheckDay(on, "date"); !s.ok()) return s;
  if (on < cur->registered_on) return InvalidArgument("日期早于登记日期 (before the demand was registered)", "date");
  FinancingDemand d = *cur;
  std::vector<FinancingEvent> events;
  FinancingEvent e;
  e.on = on;
  e.by = by.login;
  e.action = a.name;
  e.from_stage = FinancingStageName(cur->stage);
  e.note = note;
  if (a.name == "review") {
    d.stage = FinancingStage::kReviewed;
  } else if (a.name == "reject") {
    if (note.empty()) return InvalidArgument("请填写未通过的原因 (a reason is required)", "note");
    d.stage = FinancingStage::kRejected;
    d.reject_reason = note;
  } else if (a.name == "push") {
    if (a.banks.empty()) return InvalidArgument("请选择银行 (choose a bank)", "banks");
    if (a.banks.size() > kMaxBanks) return InvalidArgument("一次最多推送 30 家银行 (at most 30 banks)", "banks");
    std::unordered_set<std::string> seen;
    for (const std::string& raw : a.banks) {
      std::string bank(Trim(raw));
      if (bank.empty()) return InvalidArgument("银行名称不能为空 (empty bank)", "banks");
      if (Status s = CheckText(bank, "banks", kMaxField, TextShape::kSingleLine); !s.ok()) return s;
      if (!seen.insert(bank).second) continue;
      if (std::any_of(d.pushes.begin(), d.pushes.end(), [&](const BankPush& p) { return p.bank == bank; })) {
        return Status(ErrorCode::kAlreadyExists, "已推送给该银行 (already pushed to this bank): " + bank, "banks");
      }
      BankPush p;
      p.bank = bank;
      p.pushed_on = on;
      d.pushes.push_back(p);
      FinancingEvent pe = e;
      pe.bank = bank;
      events.push_back(pe);
    }
  } else {
    // A bank-side move on one push: a bank user's own; the bureau names the bank.
    std::string bank = user.role == Role::kBank ? user.unit : a.bank.value_or("");
    auto it = std::find_if(d.pushes.begin(), d.pushes.end(), [&](const BankPush& p) { return p.bank == bank; });
    if (it == d.pushes.end()) return Status(ErrorCode::kNotFound, "未推送给该银行 (not pushed to this bank): " + bank, "bank");
    BankPush& p = *it;
    if (auto moves = PushMoves(p); std::find(moves.begin(), moves.end(), a.name) == moves.end()) {
      const char* why = a.name == "answer"     ? "：已授信，不再答复 (credit already granted)"
                        : a.name == "credit"   ? "：银行尚未表示有意向或已授信 (no interest shown, or credit already granted)"
                        : a.name == "contract" ? "：尚未授信或已签约 (no credit yet, or signed)"
                                               : "：尚未签约或已放款完毕 (no contract, or fully lent)";
      return not_now(why);
    }
    if (on < p.pushed_on) return InvalidArgument("日期早于推送日期 (before the push)", "date");
    e.bank = bank;
    if (a.name == "answer") {
      static const char* kAnswers[] = {"interested", "documents", "ineligible", "approving"};
      if (std::none_of(std::begin(kAnswers), std::end(kAnswers), [&](const char* k) { return a.answer == k; })) {
        return InvalidArgument("答复应为 interested、documents、ineligible 或 approving (bad answer)", "answer");
      }
      if ((a.answer == "documents" || a.answer == "ineligible") && note.empty()) {
        return InvalidArgument(a.answer == "documents" ? "请写明需补充的材料 (which documents)" : "请写明不符合的原因 (why not eligible)", "note");
      }
      p.answer = a.answer;
      p.answer_note = note;
      p.answered_at = on.ToString() + "T00:00:00Z";
      p.answered_by = by.login;
    } else {
      if (!a.amount) return InvalidArgument("请填写金额 (amount is required)", "amount_wan");
      if (Status s = CheckMoney(*a.amount, "amount_wan", true); !s.ok()) return s;
      if (a.name == "credit") {
        p.credit = a.amount;
        p.credit_on = on;
      } else if (a.name == "contract") {
        if (a.amount->yuan > p.credit->yuan) return InvalidArgument("签约金额超过授信金额 (the contract exceeds the credit)", "amount_wan");
        p.contract = a.amount;
        p.contract_on = on;
      } else {
        int64_t lent = a.amount->yuan;
        for (const Disbursement& x : p.disbursements) lent += x.amount.yuan;
        if (lent > p.contract->yuan) return InvalidArgument("放款累计超过签约金额 (loans exceed the contract)", "amount_wan");
        p.disbursements.push_back(Disbursement{0, on, *a.amount});
      }
      e.data = boost::json::serialize(boost::json::object{{"amount_yuan", a.amount->yuan}});
    }
  }
  if (d.stage != FinancingStage::kRejected) {
    if (auto s = BankStageAsOf(d.pushes, today); s && *s > d.stage) d.stage = *s;
    if (!d.pushes.empty() && d.stage < FinancingStage::kPushed) d.stage = FinancingStage::kPushed;
  }
  if (events.empty()) events.push_back(e);
  for (FinancingEvent& x : events) x.to_stage = FinancingStageName(d.stage);
  return store_.Save(d, events, by);
}

Result<ImportOutcome<FinancingImportRow>> Financing::ImportFile(std::string_view bytes, const Actor& by,
                                                                const ImportOptions& options) {
  store::ProjectQuery q;
  q.page_size = 0;
  auto projects = reg_.ListProjects(q);
  if (!projects.ok()) return projects.status();
  std::unordered_map<std::string, int64_t> ids;
  std::unordered_set<std::string> known;
  for (const Project& p : projects->items) ids[p.code] = p.id, known.insert(p.code);
  ImportOutcome<FinancingImportRow> out;
  out.parsed = ParseFinancingFile(bytes, known, TodayBeijing(), options.sheet);
  if (!out.ok() || options.dry_run) return out;
  std::vector<FinancingDemand> rows;
  for (const FinancingImportRow& r : out.parsed.rows) {
    rows.push_back(r.demand);
    rows.back().project_id = ids.at(r.project_code);
  }
  auto written = store_.InsertAll(rows, by, true);
  if (!written.ok()) return written.status();
  out.summary.rows = static_cast<int>(rows.size());
  out.summary.projects_created = static_cast<int>(written->size());
  return out;
}

// --- the cache ---------------------------------------------------------------------------------

Status Financing::Sync() {
  auto last = store_.LastEventId();
  if (!last.ok()) return last.status();
  if (*last == last_event_) return Status::Ok();
  const int64_t after = (last_event_ < 0 || *last < last_event_) ? 0 : last_event_;
  int64_t new_last = 0;
  auto rows = store_.LoadSince(after, &new_last);
  if (!rows.ok()) return rows.status();
  if (after == 0) cache_.clear();
  for (auto& d : *rows) {
    const int64_t id = d.id;
    cache_[id] = std::move(d);
  }
  last_event_ = new_last;
  ++cache_generation_;
  return Status::Ok();
}

void Financing::RefreshBriefs() {
  const uint64_t engine = reg_.stats_engine().generation();
  if (briefs_cache_generation_ == cache_generation_ && briefs_engine_generation_ == engine) return;
  std::vector<int64_t> ids;
  std::unordered_set<int64_t> seen;
  for (const auto& [id, d] : cache_) {
    if (seen.insert(d.project_id).second) ids.push_back(d.project_id);
  }
  auto briefs = reg_.stats_engine().Briefs(ids);
  briefs_.clear();
  for (size_t i = 0; i < ids.size(); ++i) briefs_[ids[i]] = std::move(briefs[i]);
  listed_.clear();
  listed_.reserve(cache_.size());
  for (const auto& [id, d] : cache_) {
    auto bit = briefs_.find(d.project_id);
    if (bit != briefs_.end() && bit->second) listed_.emplace_back(&d, &*bit->second);
  }
  std::sort(listed_.begin(), listed_.end(), [](const auto& x, const auto& y) {
    if (x.first->registered_on != y.first->registered_on) return x.first->registered_on > y.first->registered_on;
    return x.first->id > y.first->id;
  });
  briefs_cache_generation_ = cache_generation_;
  briefs_engine_generation_ = engine;
}

Result<FinancingPage> Financing::List(const FinancingFilter& f, const User& user) {
  std::lock_guard lock(mu_);
  if (Status s = Sync(); !s.ok()) return s;
  RefreshBriefs();
  // One pass over the demands in list order; only the page's rows are copied out.
  const bool bank = user.role == Role::kBank;
  const size_t from = static_cast<size_t>(std::max(0, f.offset));
  const size_t limit = f.limit <= 0 ? SIZE_MAX : static_cast<size_t>(f.limit);
  FinancingPage page;
  size_t matched = 0;
  for (const auto& [dp, bp] : listed_) {
    const FinancingDemand& d = *dp;
    const auto& b = *bp;
    if (!Sees(user, d, b)) continue;
    if (f.project_id && d.project_id != *f.project_id) continue;
    if (f.stage && (bank ? OwnStage(d, user.unit) : d.stage) != *f.stage) continue;
    if (f.kind && d.kind != *f.kind) continue;
    if (f.bank && std::none_of(d.pushes.begin(), d.pushes.end(), [&](const BankPush& p) { return p.bank == *f.bank; })) continue;
    if (f.text && b.name.find(*f.text) == std::string::npos && b.code.find(*f.text) == std::string::npos &&
        d.purpose.find(*f.text) == std::string::npos) {
      continue;
    }
    if (matched >= from && matched - from < limit) page.items.push_back(FinancingRow{ViewFor(user, d), b});
    ++matched;
  }
  page.total = static_cast<int64_t>(matched);
  return page;
}

Status Financing::RefreshSet() {
  if (Status s = Sync(); !s.ok()) return s;
  if (set_generation_ != cache_generation_) {
    std::vector<const FinancingDemand*> order;
    order.reserve(cache_.size());
    for (const auto& [id, d] : cache_) order.push_back(&d);
    std::sort(order.begin(), order.end(), [](const FinancingDemand* a, const FinancingDemand* b) {
      return a->project_id != b->project_id ? a->project_id < b->project_id : a->id < b->id;
    });
    stats::FinancingSet set;
    std::unordered_map<std::string, uint32_t> banks, kinds;
    for (const std::string& k : FinancingKinds()) kinds.emplace(k, static_cast<uint32_t>(set.kinds.size())), set.kinds.push_back(k);
    for (const FinancingDemand* d : order) set.items.push_back(FactsOf(*d, set, banks, kinds));
    set_ = std::move(set);
    set_generation_ = cache_generation_;
  }
  return Status::Ok();
}

Result<stats::FinancingStats> Financing::Stats(const stats::FinancingQuery& q) {
  std::lock_guard lock(mu_);
  if (Status s = RefreshSet(); !s.ok()) return s;
  if (set_.resolved_generation != reg_.stats_engine().generation() || set_.project_slots.size() != set_.items.size()) {
    reg_.stats_engine().ResolveProjects(set_);
  }
  return reg_.stats_engine().Financing(q, set_);
}

Result<std::vector<stats::ProjectFinancing>> Financing::OfProjects(const std::vector<int64_t>& ids, const Date& as_of) {
  std::lock_guard lock(mu_);
  if (Status s = RefreshSet(); !s.ok()) return s;
  return stats::FinancingOfProjects(set_, ids, as_of);
}

}  // namespace kp
