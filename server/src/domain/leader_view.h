#pragma once
// The leaders' page (领导视图): the county's headline and one leader's chaired (包抓) projects, each with
// its colour, completion against 时序进度, overdue and next nodes, problems, financing, latest photos and
// open instructions. Composed from the engines that publish each figure (nothing is computed here but
// the order of the cards); a handful of batched reads, never a query per project.
// Thread-safety: as the services it reads (every method may be called concurrently).
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/financing.h"
#include "domain/instruction_model.h"
#include "domain/milestones.h"
#include "domain/photos.h"
#include "domain/problems.h"
#include "domain/register.h"
#include "stats/stats_engine.h"
#include "store/instruction_store.h"

namespace kp {

inline constexpr int kLeaderPhotosPerProject = 3;

// Whose projects a leader user chairs: a project's 包抓领导 equal to the user's display name or login
// (the rule 督办 level 3 uses to reach a project's leader).
std::vector<std::string> LeaderNamesOf(const User& u);

struct LeaderQuestion {
  stats::StatsQuery headline;      // the county's figures: year, month (day), levels, as GET /api/stats reads them
  std::vector<std::string> names;  // the leader's names (LeaderNamesOf, or the one an admin asked for)
  Date today;                      // problems stand as of today (as the dashboard's problem card)
};

struct LeaderProject {
  int64_t id = 0;
  stats::StatsEngine::ProjectBrief brief;
  std::optional<stats::Colour> colour;         // nullopt: no plan in the year (not coloured)
  std::vector<stats::Warning> warnings;        // why, as the 预警 list gives them
  std::vector<stats::Warning> overdue_nodes;   // its node warnings: each node past its planned date, not done
  std::optional<stats::GroupFigures> figures;  // completion and points ahead/behind (nullopt: no plan)
  std::optional<stats::StatsEngine::NextNode> next_node;
  stats::ProblemFigures problems;   // as of today
  stats::ProjectFinancing financing;  // as of the as-of date
  std::vector<Photo> photos;          // newest first, at most kLeaderPhotosPerProject
  std::vector<Instruction> open_instructions;  // newest first
};

struct LeaderOverview {
  stats::StatsResult headline;
  std::array<int64_t, 3> colours{};  // the headline's projects by colour (stats::Colour), as of `as_of`
  Date as_of;                        // the figures' date: the month's end (or the day asked)
  std::vector<std::string> names;
  // Red, yellow, green, then the uncoloured; within a colour the furthest behind first, then by code.
  std::vector<LeaderProject> projects;
};

class LeaderView {
 public:
  LeaderView(store::Store& store, Register& reg, Milestones& milestones, Problems& problems, Financing& financing,
             Photos& photos)
      : instructions_(store.db()), reg_(reg), milestones_(milestones), problems_(problems), financing_(financing),
        photos_(photos) {}

  Result<LeaderOverview> Overview(const LeaderQuestion& q);

 private:
  store::InstructionStore instructions_;
  Register& reg_;
  Milestones& milestones_;
  Problems& problems_;
  Financing& financing_;
  Photos& photos_;
};

}  // namespace kp
