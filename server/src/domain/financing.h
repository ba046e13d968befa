#pragma once
// Financing matched with banks (融资对接, PRACTICES.md §6): demands registered by owners or the
// bureau, reviewed and pushed to banks (one or a batch, "两周一报"), each bank answering only what
// was pushed to it (意向 / 需补充材料 / 暂不符合 / 审批中), granting credit, signing, lending in
// one or more disbursements; 未通过 with a reason. Every step is an event, dated and signed.
// The list and the funnel come from a cache of every demand kept equal to the database by the
// event log's last id. Thread-safety: every method may be called concurrently.
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/financing_model.h"
#include "domain/import_parser.h"
#include "domain/register.h"
#include "stats/financing_stats.h"
#include "store/financing_store.h"

namespace kp {

// A move on a demand, with the fields it may carry.
struct FinancingAction {
  std::string name;  // review reject push answer credit contract loan
  int version = 0;
  std::string note;
  std::vector<std::string> banks;  // push
  std::optional<std::string> bank;  // the push a bank-side move is on (a bank user: its own)
  std::string answer;               // answer: interested documents ineligible approving
  std::optional<Money> amount;      // credit, contract, loan
  std::optional<Date> date;         // the day it happened (default today)
};

// The bank-side moves legal on one push now: answer (until credit is granted), credit (after
// 有意向 or 审批中, once), contract (after credit, once), loan (after the contract, until
// the loans reach it).
std::vector<std::string> PushMoves(const BankPush& p);

struct FinancingFilter {
  std::optional<int64_t> project_id;
  std::optional<FinancingStage> stage;
  std::optional<std::string> bank, kind, text;
  int offset = 0, limit = 50;  // limit 0: all
};

struct FinancingRow {
  FinancingDemand demand;
  stats::StatsEngine::ProjectBrief project;
};

struct FinancingPage {
  int64_t total = 0;
  std::vector<FinancingRow> items;
};

class Financing {
 public:
  Financing(store::Store& store, Register& reg) : store_(store.db()), reg_(reg) {}

  Result<FinancingDemand> Create(FinancingDemand d, const User& user, const Actor& by);
  Result<FinancingDemand> Act(int64_t id, const FinancingAction& a, const User& user, const Actor& by);
  // The moves `user` may make on d now (push-level moves name no bank: a bank's are on its push).
  std::vector<std::string> Allowed(const FinancingDemand& d, const User& user) const;
  bool CanSee(const User& user, const FinancingDemand& d);
  // What `user` may see of d: a bank only its own push.
  FinancingDemand ViewFor(const User& user, FinancingDemand d) const;

  Result<FinancingDemand> Get(int64_t id) { return store_.Get(id); }
  Result<std::vector<FinancingEvent>> Events(int64_t id) { return store_.Events(id); }
  Result<FinancingPage> List(const FinancingFilter& f, const User& user);
  Result<stats::FinancingStats> Stats(const stats::FinancingQuery& q);
  // Each project's financing as of `as_of` (stats::FinancingOfProjects), in the order of ids.
  Result<std::vector<stats::ProjectFinancing>> OfProjects(const std::vector<int64_t>& ids, const Date& as_of);
  // A bureau's demand list (ParseFinancingFile), all or nothing; a row already stored (same project,
  // type, amount and 登记日期) is skipped, so a second import of a file adds nothing.
  // summary.rows: rows read; summary.projects_created: demands written.
  Result<ImportOutcome<FinancingImportRow>> ImportFile(std::string_view bytes, const Actor& by, const ImportOptions& options);
  // Demands written as given (stages, pushes, credit, loans): the demo and imports.
  Result<std::vector<int64_t>> InsertAll(const std::vector<FinancingDemand>& rows, const Actor& by) {
    return store_.InsertAll(rows, by);
  }

 private:
  Status Sync();  // REQUIRES: mu_ held
  Status RefreshSet();  // Sync, then set_ from the cache. REQUIRES: mu_ held
  void RefreshBriefs();  // REQUIRES: mu_ held
  bool Sees(const User& u, const FinancingDemand& d, const stats::StatsEngine::ProjectBrief& b) const;
  Status Check(const FinancingDemand& d);

  store::FinancingStore store_;
  Register& reg_;
  std::mutex mu_;
  int64_t last_event_ = -1;
  std::unordered_map<int64_t, FinancingDemand> cache_;
  uint64_t cache_generation_ = 1, set_generation_ = 0;
  stats::FinancingSet set_;
  std::unordered_map<int64_t, std::optional<stats::StatsEngine::ProjectBrief>> briefs_;
  uint64_t briefs_cache_generation_ = 0, briefs_engine_generation_ = 0;
  // The demands whose project the engine knows, in list order (newest registration first), with their
  // project's brief: rebuilt with briefs_, so a list page is one pass and no sort.
  std::vector<std::pair<const FinancingDemand*, const stats::StatsEngine::ProjectBrief*>> listed_;
};

// Facts of a demand for the funnel (banks and kinds interned into `set`).
stats::FinancingFacts FactsOf(const FinancingDemand& d, stats::FinancingSet& set,
                              std::unordered_map<std::string, uint32_t>& banks,
                              std::unordered_map<std::string, uint32_t>& kinds);

}  // namespace kp
