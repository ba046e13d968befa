#include "domain/supervision.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "store/visit_store.h"

namespace kp {
namespace {

constexpr size_t kMaxStops = 500;
constexpr size_t kMaxFindings = 100;
constexpr size_t kMaxMembers = 50;
constexpr size_t kMaxField = 600;
constexpr size_t kMaxText = 12000;

Status CheckText(const std::string& v, const std::string& field, size_t max, TextShape shape) {
  if (v.size() > max) return InvalidArgument("内容过长 (too long)", field);
  if (std::string why = TextProblem(v, shape); !why.empty()) return InvalidArgument(why, field);
  return Status::Ok();
}

}  // namespace

Status Supervision::KeepsItsProblems(const Visit& before, const Visit& after) {
  struct Was {
    int64_t project_id;
    const VisitFinding* finding;
  };
  std::unordered_map<int64_t, Was> was;
  for (const VisitStop& s : before.stops) {
    for (const VisitFinding& f : s.findings) was.emplace(f.id, Was{s.project_id, &f});
  }
  std::unordered_map<int64_t, int64_t> now;  // finding id → project of its stop in `after`
  for (size_t i = 0; i < after.stops.size(); ++i) {
    const VisitStop& s = after.stops[i];
    for (size_t j = 0; j < s.findings.size(); ++j) {
      const VisitFinding& f = s.findings[j];
      if (f.id == 0) continue;
      const std::string field = "stops[" + std::to_string(i) + "].findings[" + std::to_string(j) + "].id";
      auto it = was.find(f.id);
      if (it == was.end()) {
        return InvalidArgument("该督导记录没有编号为 " + std::to_string(f.id) + " 的发现，新增的发现不带编号 (no such finding on this visit; a new one has no id)", field);
      }
      if (!now.emplace(f.id, s.project_id).second) {
        return InvalidArgument("发现编号 " + std::to_string(f.id) + " 出现了两次 (a finding listed twice)", field);
      }
      const auto& [project, old] = it->second;
      if (old->problem_id && project != s.project_id) {
        return Status(ErrorCode::kConflict,
                      "发现「" + old->text + "」已转为问题 #" + std::to_string(*old->problem_id) +
                          "，不能移到另一个项目 (a finding that became a problem stays with its project)",
                      field);
      }
    }
  }
  for (const VisitStop& s : before.stops) {
    for (const VisitFinding& f : s.findings) {
      if (!f.problem_id || now.count(f.id)) continue;
      auto b = reg_.stats_engine().Briefs({s.project_id}).front();
      const std::string project = b ? b->code + " " + b->name : "#" + std::to_string(s.project_id);
      const bool stop_kept = std::any_of(after.stops.begin(), after.stops.end(),
                                         [&](const VisitStop& x) { return x.project_id == s.project_id; });
      const std::string problem = "问题 #" + std::to_string(*f.problem_id);
      const std::string english = "finding " + std::to_string(f.id) + " became problem " + std::to_string(*f.problem_id);
      if (!stop_kept) {
        return Status(ErrorCode::kConflict,
                      "督导项目 " + project + " 的发现「" + f.text + "」已转为" + problem + "，不能删除该督导项目 (" + english +
                          ": its stop cannot be dropped)",
                      "stops");
      }
      return Status(ErrorCode::kConflict,
                    "项目 " + project + " 的发现「" + f.text + "」已转为" + problem + "，不能删除；请按编号（id " +
                        std::to_string(f.id) + "）保留该发现 (" + english + ": it cannot be dropped; send it with its id)",
                    "stops");
    }
  }
  return Status::Ok();
}

Status Supervision::Check(const Visit& v) {
  for (auto [d, field] : {std::pair{&v.start, "start"}, std::pair{&v.end, "end"}}) {
    if (!IsValidDate(*d) || d->year < 1990 || d->year > 2100) return InvalidArgument("日期不存在或超出 1990-2100 (bad date)", field);
  }
  if (v.end < v.start) return InvalidArgument("结束日期早于开始日期 (end before start)", "end");
  if (v.start > TodayBeijing()) return InvalidArgument("督导日期不能晚于今天 (a visit in the future)", "start");
  if (v.leader.empty()) return InvalidArgument("请填写带队领导 (team leader is required)", "leader");
  if (Status s = CheckText(v.leader, "leader", kMaxField, TextShape::kSingleLine); !s.ok()) return s;
  if (Status s = CheckText(v.note, "note", kMaxText, TextShape::kMultiLine); !s.ok()) return s;
  if (v.members.size() > kMaxMembers) return InvalidArgument("成员最多 50 人 (at most 50 members)", "members");
  for (const auto& m : v.members) {
    if (m.empty()) return InvalidArgument("成员姓名不能为空 (empty member)", "members");
    if (Status s = CheckText(m, "members", kMaxField, TextShape::kSingleLine); !s.ok()) return s;
  }
  if (v.stops.empty()) return InvalidArgument("请至少添加一个督导项目 (a visit needs a project)", "stops");
  if (v.stops.size() > kMaxStops) return InvalidArgument("督导项目最多 500 个 (at most 500 stops)", "stops");
  auto settings = problems_.Settings();
  if (!settings.ok()) return settings.status();
  std::unordered_set<int64_t> seen;
  for (size_t i = 0; i < v.stops.size(); ++i) {
    const VisitStop& s = v.stops[i];
    const std::string where = "stops[" + std::to_string(i) + "]";
    if (!seen.insert(s.project_id).second) return InvalidArgument("同一项目重复出现 (a project listed twice)", where + ".project_id");
    if (Status st = CheckText(s.seen, where + ".seen", kMaxText, TextShape::kMultiLine); !st.ok()) return st;
    if (Status st = CheckText(s.reported, where + ".reported", kMaxText, TextShape::kMultiLine); !st.ok()) return st;
    if (s.findings.size() > kMaxFindings) return InvalidArgument("每个项目最多 100 条发现 (at most 100 findings)", where + ".findings");
    for (size_t j = 0; j < s.findings.size(); ++j) {
      const VisitFinding& f = s.findings[j];
      const std::string fw = where + ".findings[" + std::to_string(j) + "]";
      if (f.text.empty()) return InvalidArgument("发现的问题不能为空 (empty finding)", fw + ".text");
      if (Status st = CheckText(f.text, fw + ".text", kMaxText, TextShape::kMultiLine); !st.ok()) return st;
      const auto& cats = settings->categories;
      if (std::find(cats.begin(), cats.end(), f.category) == cats.end()) {
        return InvalidArgument("未知的问题类别「" + f.category + "」(unknown category)", fw + ".category");
      }
      if (f.outcome != "open" && f.outcome != "solved" && f.outcome != "passed_up") {
        return InvalidArgument("处理结果应为 open、solved 或 passed_up (bad outcome)", fw + ".outcome");
      }
    }
  }
  return Status::Ok();
}

bool Supervision::SeesStop(const User& user, int64_t project_id) {
  if (user.role == Role::kAdmin || user.role == Role::kLeader || user.role == Role::kAuditor) return true;
  if (user.unit.empty()) return false;
  auto b = reg_.stats_engine().Briefs({project_id}).front();
  if (!b) return false;
  if (user.role == Role::kDepartment) return b->unit == user.unit;
  if (user.role == Role::kOwner) return b->owner == user.unit;
  return false;
}

Result<std::vector<Visit>> Supervision::List(const std::optional<Date>& from, const std::optional<Date>& to,
                                             const User& user) {
  auto list = visits_.List(from, to);
  if (!list.ok()) return list.status();
  std::vector<Visit> out;
  for (Visit& v : *list) {
    std::vector<VisitStop> stops;
    for (VisitStop& s : v.stops) {
      if (SeesStop(user, s.project_id)) stops.push_back(std::move(s));
    }
    if (stops.empty()) continue;
    v.stops = std::move(stops);
    out.push_back(std::move(v));
  }
  return out;
}

Result<Visit> Supervision::Get(int64_t id, const User& user) {
  auto v = visits_.Get(id);
  if (!v.ok()) return v.status();
  std::vector<VisitStop> stops;
  for (VisitStop& s : v->stops) {
    if (SeesStop(user, s.project_id)) stops.push_back(std::move(s));
  }
  if (stops.empty()) return NotFound("没有该督导记录 (no such visit)");
  v->stops = std::move(stops);
  return v;
}

Result<Visit> Supervision::Save(const Visit& input, const Actor& by) {
  Visit v = input;
  v.leader = std::string(Trim(v.leader));
  for (auto& m : v.members) m = std::string(Trim(m));
  for (VisitStop& s : v.stops) {
    for (VisitFinding& f : s.findings) {
      f.text = std::string(Trim(f.text));
      if (f.category.empty()) f.category = "其他";
      if (f.outcome.empty()) f.outcome = "open";
    }
  }
  if (Status s = Check(v); !s.ok()) return s;
  if (v.id == 0) return visits_.Create(v, by);
  return visits_.Replace(v, by, [this](const Visit& before, const Visit& after) { return KeepsItsProblems(before, after); });
}

Result<Problem> Supervision::FindingToProblem(int64_t visit_id, int64_t finding_id, const std::optional<std::string>& lead_unit,
                                              const std::optional<Date>& deadline, const User& user, const Actor& by) {
  auto found = visits_.Finding(visit_id, finding_id);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("没有该发现 (no such finding)");
  const auto& [stop, finding] = **found;
  if (finding.problem_id) return Status(ErrorCode::kConflict, "该发现已转为问题 (the finding already became a problem)", "finding");
  auto visit = visits_.Get(visit_id);
  if (!visit.ok()) return visit.status();
  Problem p;
  p.project_id = stop.project_id;
  p.category = finding.category;
  p.text = finding.text;
  p.source = "现场督导";
  p.visit_id = visit_id;
  p.raised_on = visit->end;
  if (lead_unit) p.lead_unit = *lead_unit;
  p.deadline = deadline;
  const int64_t fid = finding_id;
  return problems_.Raise(p, user, by, [fid](soci::session& sql, int64_t problem_id) {
    return store::LinkFinding(sql, fid, problem_id);
  });
}

Result<stats::VisitFigures> Supervision::Figures(const Date& from, const Date& to, const std::vector<Level>& levels,
                                                 const User& user) {
  auto list = visits_.List(from, to);
  if (!list.ok()) return list.status();
  stats::StatsQuery q;
  q.year = from.year;
  q.month = 12;
  q.levels = levels;
  // A department's figures are its unit's projects, an owner's its own (as every stats route).
  if (user.role == Role::kDepartment) q.unit = user.unit;
  if (user.role == Role::kOwner) q.owner = user.unit;
  const int64_t total = reg_.stats_engine().Compute(q).total.projects;
  std::vector<int64_t> ids;
  for (const Visit& v : *list) {
    for (const VisitStop& s : v.stops) ids.push_back(s.project_id);
  }
  auto briefs = reg_.stats_engine().Briefs(ids);
  std::unordered_set<int64_t> in;
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& b = briefs[i];
    if (!b || (!levels.empty() && std::find(levels.begin(), levels.end(), b->level) == levels.end())) continue;
    if (q.unit && b->unit != *q.unit) continue;
    if (q.owner && b->owner != *q.owner) continue;
    in.insert(ids[i]);
  }
  return stats::ComputeVisitFigures(*list, from, to, [&](int64_t id) { return in.count(id) > 0; }, total);
}

}  // namespace kp
