#include "domain/leader_view.h"

#include <algorithm>
#include <unordered_map>

namespace kp {

std::vector<std::string> LeaderNamesOf(const User& u) {
  std::vector<std::string> out;
  if (!u.display_name.empty()) out.push_back(u.display_name);
  if (!u.login.empty() && u.login != u.display_name) out.push_back(u.login);
  return out;
}

Result<LeaderOverview> LeaderView::Overview(const LeaderQuestion& q) {
  stats::StatsEngine& engine = reg_.stats_engine();
  LeaderOverview out;
  out.names = q.names;
  out.headline = reg_.Stats(q.headline);
  out.as_of = Date{q.headline.year, q.headline.month, q.headline.day.value_or(DaysInMonth(q.headline.year, q.headline.month))};

  // The county's colours: the dashboard's question (the headline's levels, as of its date).
  stats::WarningQuery county;
  county.as_of = out.as_of;
  county.levels = q.headline.levels;
  county.list_projects = false;
  auto counted = milestones_.Warnings(county);
  if (!counted.ok()) return counted.status();
  for (size_t c = 0; c < out.colours.size(); ++c) out.colours[c] = counted->counts[c];

  // The leader's projects, every level.
  std::vector<int64_t> ids;
  for (const std::string& name : q.names) {
    auto mine = engine.IdsOfLeader(name);
    ids.insert(ids.end(), mine.begin(), mine.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return out;

  std::unordered_map<int64_t, stats::ProjectColour> coloured;
  for (const std::string& name : q.names) {
    stats::WarningQuery wq;
    wq.as_of = out.as_of;
    wq.leader = name;
    auto w = milestones_.Warnings(wq);
    if (!w.ok()) return w.status();
    for (stats::ProjectColour& pc : w->projects) coloured.emplace(pc.id, std::move(pc));
  }
  stats::StatsQuery each = q.headline;
  each.levels.clear();
  const auto briefs = engine.Briefs(ids);
  const auto figures = engine.ProjectFigures(ids, each);
  const auto next = engine.NextNodes(ids, out.as_of);
  auto problems = problems_.OfProjects(ids, q.today);
  if (!problems.ok()) return problems.status();
  auto financing = financing_.OfProjects(ids, out.as_of);
  if (!financing.ok()) return financing.status();
  auto photos = photos_.LatestOf(ids, kLeaderPhotosPerProject);
  if (!photos.ok()) return photos.status();
  auto open = instructions_.Open();
  if (!open.ok()) return open.status();

  std::unordered_map<int64_t, size_t> at;
  for (size_t k = 0; k < ids.size(); ++k) {
    if (!briefs[k]) continue;
    LeaderProject p;
    p.id = ids[k];
    p.brief = *briefs[k];
    if (auto it = coloured.find(ids[k]); it != coloured.end()) {
      p.colour = it->second.colour;
      p.warnings = std::move(it->second.warnings);
      for (const stats::Warning& w : p.warnings) {
        if (w.rule == stats::WarningRule::kNode) p.overdue_nodes.push_back(w);
      }
    }
    p.figures = figures[k];
    p.next_node = next[k];
    p.problems = (*problems)[k];
    p.financing = (*financing)[k];
    at.emplace(p.id, out.projects.size());
    out.projects.push_back(std::move(p));
  }
  for (Photo& ph : *photos) {
    if (auto it = at.find(ph.project_id); it != at.end()) out.projects[it->second].photos.push_back(std::move(ph));
  }
  for (Instruction& in : *open) {
    if (auto it = at.find(in.project_id); it != at.end()) out.projects[it->second].open_instructions.push_back(std::move(in));
  }
  // Red → yellow → green → uncoloured; the furthest behind 时序进度 first; then by code.
  auto rank = [](const LeaderProject& p) { return p.colour ? 2 - static_cast<int>(*p.colour) : 3; };
  std::stable_sort(out.projects.begin(), out.projects.end(), [&](const LeaderProject& a, const LeaderProject& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    const bool ha = a.figures && a.figures->ahead_points, hb = b.figures && b.figures->ahead_points;
    if (ha != hb) return ha;
    if (ha && *a.figures->ahead_points != *b.figures->ahead_points) return *a.figures->ahead_points < *b.figures->ahead_points;
    return a.brief.code < b.brief.code;
  });
  return out;
}

}  // namespace kp
