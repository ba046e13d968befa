#pragma once
// Problem lists (清单制 + 责任制 + 销号制, PRACTICES.md §3): raising, the state machine
// 待交办 → 办理中 → 待销号 → 已销号 with objections, returns, extensions and reopening, 督办
// escalation by days overdue, worklists, figures and imports. Every move is an event; nothing is
// deleted. The list and the figures are answered from a cache of every problem, kept equal to the
// database by the event log (every write adds an event; a larger last event id means reload those).
// Thread-safety: every method may be called concurrently.
#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/import_parser.h"
#include "domain/problem_model.h"
#include "domain/register.h"
#include "stats/problem_stats.h"
#include "store/problem_store.h"
#include "store/reminder_store.h"

namespace kp {

struct ProblemSettings {
  std::vector<std::string> categories, sources;
  int escalation_days = 7;  // every N days overdue, one 督办 level up
  struct Level {
    std::string name;
    std::vector<std::string> logins;  // besides those the level reaches by role (see Escalate)
  };
  std::array<Level, 4> levels;
};
const ProblemSettings& DefaultProblemSettings();
std::string EscalationLabel(const ProblemSettings& s, int level);  // "" for 0

// A move of the state machine, with the fields it may carry.
struct ProblemAction {
  std::string name;  // assign object answer return confirm extend approve_extension refuse_extension reopen escalate
  int version = 0;
  std::string note;
  std::optional<std::string> lead_unit, person;
  std::optional<std::vector<std::string>> co_units;
  std::optional<Date> deadline, date;
  std::optional<int> level;
};

struct ProblemFilter {
  std::optional<int64_t> project_id;
  std::optional<ProblemState> state;
  bool open = false, overdue = false, escalated = false, mine = false;
  std::optional<std::string> unit, category, source, text;
  Date as_of;  // for overdue
  int offset = 0, limit = 50;  // limit 0: every match (exports)
};

struct ProblemRow {
  Problem problem;
  stats::StatsEngine::ProjectBrief project;
  std::optional<int> overdue_days;
};

struct ProblemPage {
  int64_t total = 0;
  std::vector<ProblemRow> items;
};

// The problems of a scope raised, and those closed, between two days (both included), as the statistics count
// them: raised = 提出日期 in the days; closed = counted closed on the last day and not on the day before the
// first (a closure undone before the last day is not one). Each list by date, then id.
struct ProblemsBetween {
  std::vector<Problem> raised, closed;
  int64_t open_at_end = 0;  // open on the last day
};

struct ProblemSummary {
  int64_t open = 0, overdue = 0, answered = 0, escalated = 0, pending_extensions = 0;
};

struct EscalationRun {
  int escalated = 0;       // problems moved up
  int notifications = 0;   // bell entries added
  int jobs = 0;            // robot messages queued
};

// Days past its deadline as of `as_of` for a problem not closed (nullopt when not overdue): the
// one rule the list, the problem page and the summary use.
std::optional<int> OverdueDays(const Problem& p, const Date& as_of);

class Problems {
 public:
  Problems(store::Store& store, Register& reg)
      : problems_(store.db()), reminders_(store.db()), store_(store), reg_(reg) {}

  Result<ProblemSettings> Settings();
  Status SaveSettings(const ProblemSettings& s, const Actor& by);

  // A new problem (待交办, or 办理中 when a lead unit and deadline are given by the bureau).
  // report_month without text takes that month's report's 存在问题.
  // `link` runs in the raising transaction with the new id (store::ProblemStore::Insert).
  Result<Problem> Raise(Problem p, const User& user, const Actor& by,
                        const std::function<Status(soci::session&, int64_t)>& link = nullptr);
  // Category, text, source, person, deadline: the bureau while not closed, the raiser while 待交办.
  Result<Problem> Edit(const Problem& p, const User& user, const Actor& by);
  Result<Problem> Act(int64_t id, const ProblemAction& a, const User& user, const Actor& by);
  // The moves `user` may make on p now.
  std::vector<std::string> Allowed(const Problem& p, const User& user) const;
  // Whether `user` may see p (scope: a department its unit's, an owner its projects').
  bool CanSee(const User& user, const Problem& p);

  Result<Problem> Get(int64_t id) { return problems_.Get(id); }
  Result<std::vector<ProblemEvent>> Events(int64_t id) { return problems_.Events(id); }
  Result<ProblemPage> List(const ProblemFilter& f, const User& user);
  Result<ProblemSummary> Summary(const User& user, const Date& as_of);
  Result<stats::ProblemStats> Stats(const stats::ProblemQuery& q);
  // q's scope (levels, unit, owner, region); its as_of and grouping are set here.
  Result<ProblemsBetween> Between(stats::ProblemQuery q, const Date& from, const Date& to);
  // Each project's problem figures as of `as_of` (stats::ProblemsOfProjects), in the order of ids.
  Result<std::vector<stats::ProblemFigures>> OfProjects(const std::vector<int64_t>& ids, const Date& as_of);

  Result<ImportOutcome<ProblemImportRow>> ImportFile(std::string_view bytes, const Actor& by,
                                                     const ImportOptions& options = {});
  // Rows already in the database (same project, text and date raised) are left out. findings[i],
  // when given, is the supervision finding rows[i] came from.
  Result<std::vector<int64_t>> ImportRows(const std::vector<ProblemImportRow>& rows, const Actor& by,
                                          const std::vector<std::optional<int64_t>>& findings = {});

  // The daily 督办 run: each open problem past its deadline goes up to level
  // min(4, days overdue ÷ escalation_days) (never down), one event per level, and the people of the
  // level are told (bell, and one message per robot and day). Level 1–2: the lead unit's
  // department users; 3: the leader users whose name is the project's 包抓领导; 4: every leader
  // user; plus each level's logins.
  Result<EscalationRun> Escalate(const Date& as_of);

 private:
  Status Sync();
  Status RefreshSet();  // Sync, then set_ from the cache. REQUIRES: mu_ held
  Status CheckFields(const Problem& p, const ProblemSettings& s);
  bool SeesLocked(const User& u, const Problem& p, const stats::StatsEngine::ProjectBrief& b) const;
  void RefreshBriefs();  // REQUIRES: mu_ held, Sync done
  void RefreshOrder();   // REQUIRES: mu_ held, RefreshBriefs done
  std::optional<stats::StatsEngine::ProjectBrief> BriefOf(int64_t project_id);
  Result<int> Notify(const std::vector<std::pair<Problem, int>>& moved, const ProblemSettings& s, const Date& as_of);

  store::ProblemStore problems_;
  store::ReminderStore reminders_;
  store::Store& store_;
  Register& reg_;
  std::mutex mu_;  // the cache
  int64_t last_event_ = -1;
  std::unordered_map<int64_t, store::LoadedProblem> cache_;
  uint64_t cache_generation_ = 1;  // bumped when cache_ changes
  uint64_t set_generation_ = 0;    // the cache_generation_ set_ was built from
  stats::ProblemSet set_;
  // Projects of the cached problems as the statistics hold them, for the generations below. Entries
  // are assigned in place and never erased, so a pointer to one stays valid (order_ keeps them).
  std::unordered_map<int64_t, std::optional<stats::StatsEngine::ProjectBrief>> briefs_;
  uint64_t briefs_cache_generation_ = 0, briefs_engine_generation_ = 0;
  // Every cached problem in the list's order (open first by deadline, none last, then id; then
  // closed, newest 办结日期 first), with what the common filters read, so a page is one pass over
  // this vector and copies only its own rows. Rebuilt when the cache changes.
  struct Listed {
    const Problem* problem;
    const std::optional<stats::StatsEngine::ProjectBrief>* brief;  // into briefs_
    int32_t deadline;  // day number, stats::kNoDay when none
    ProblemState state;
  };
  std::vector<Listed> order_;
  uint64_t order_generation_ = 0;  // the cache_generation_ order_ was built from
};

}  // namespace kp
