#include "store/visit_store.h"

#include <boost/json.hpp>

#include <map>

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kSelectVisits =
    "SELECT id, start_date, end_date, leader, members, note, version, created_at, updated_at, updated_by FROM visits";
constexpr const char* kSelectStops =
    "SELECT id, visit_id, project_id, seen, reported, on_schedule FROM visit_stops WHERE visit_id IN (";
constexpr const char* kSelectFindings =
    "SELECT f.id, f.stop_id, f.text, f.category, f.outcome, f.problem_id FROM visit_findings f "
    "JOIN visit_stops s ON s.id = f.stop_id WHERE s.visit_id IN (";
constexpr const char* kInsertVisit =
    "INSERT INTO visits (start_date, end_date, leader, members, note, version, created_at, updated_at, updated_by) "
    "VALUES (:s, :e, :l, :m, :n, 1, :a, :a2, :b) RETURNING id";
constexpr const char* kUpdateVisit =
    "UPDATE visits SET start_date = :s, end_date = :e, leader = :l, members = :m, note = :n, version = version + 1, "
    "updated_at = :a, updated_by = :b WHERE id = :id AND version = :v";
constexpr const char* kInsertStop =
    "INSERT INTO visit_stops (visit_id, seq, project_id, seen, reported, on_schedule) VALUES (:v, :q, :p, :s, :r, :o) "
    "RETURNING id";
constexpr const char* kInsertFinding =
    "INSERT INTO visit_findings (stop_id, seq, text, category, outcome, problem_id) VALUES (:s, :q, :t, :c, :o, :p)";
constexpr const char* kInsertFindingWithId =
    "INSERT INTO visit_findings (id, stop_id, seq, text, category, outcome, problem_id) "
    "VALUES (:id, :s, :q, :t, :c, :o, :p)";
constexpr const char* kDeleteFindings =
    "DELETE FROM visit_findings WHERE stop_id IN (SELECT id FROM visit_stops WHERE visit_id = :v)";
constexpr const char* kDeleteStops = "DELETE FROM visit_stops WHERE visit_id = :v";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kLinkFinding = "UPDATE visit_findings SET problem_id = :p WHERE id = :id AND problem_id IS NULL";

const Status kChanged = {ErrorCode::kConflict, "督导记录已被他人修改，请刷新后重试 (the visit was changed by someone else)"};

std::string Names(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return boost::json::serialize(a);
}

std::vector<std::string> NamesOf(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

std::vector<Visit> Select(soci::session& sql, const std::string& where) {
  std::vector<Visit> out;
  {
    long long id = 0, version = 0;
    std::string start, end, leader, members, note, ca, ua, ub;
    soci::statement st = (sql.prepare << std::string(kSelectVisits) + where + " ORDER BY start_date DESC, id DESC",
                          soci::into(id), soci::into(start), soci::into(end), soci::into(leader), soci::into(members),
                          soci::into(note), soci::into(version), soci::into(ca), soci::into(ua), soci::into(ub));
    st.execute(false);
    while (st.fetch()) {
      Visit v;
      v.id = id;
      if (auto d = ParseDate(start); d.ok()) v.start = *d;
      if (auto d = ParseDate(end); d.ok()) v.end = *d;
      v.leader = leader;
      v.members = NamesOf(members);
      v.note = note;
      v.version = static_cast<int>(version);
      v.created_at = ca;
      v.updated_at = ua;
      v.updated_by = ub;
      out.push_back(std::move(v));
    }
  }
  if (out.empty()) return out;
  std::string in;
  std::map<int64_t, size_t> at;
  for (size_t i = 0; i < out.size(); ++i) {
    in += (in.empty() ? "" : ",") + std::to_string(out[i].id);
    at[out[i].id] = i;
  }
  std::map<int64_t, std::pair<size_t, size_t>> stop_at;  // stop id -> (visit index, stop index)
  {
    long long id = 0, visit = 0, project = 0, on = 0;
    std::string seen, reported;
    soci::statement st = (sql.prepare << std::string(kSelectStops) + in + ") ORDER BY visit_id, seq, id", soci::into(id),
                          soci::into(visit), soci::into(project), soci::into(seen), soci::into(reported), soci::into(on));
    st.execute(false);
    while (st.fetch()) {
      Visit& v = out[at[visit]];
      VisitStop s;
      s.id = id;
      s.project_id = project;
      s.seen = seen;
      s.reported = reported;
      s.on_schedule = on != 0;
      stop_at[id] = {at[visit], v.stops.size()};
      v.stops.push_back(std::move(s));
    }
  }
  {
    long long id = 0, stop = 0, problem = 0;
    std::string text, category, outcome;
    soci::indicator pi = soci::i_ok;
    soci::statement st = (sql.prepare << std::string(kSelectFindings) + in + ") ORDER BY f.stop_id, f.seq, f.id",
                          soci::into(id), soci::into(stop), soci::into(text), soci::into(category), soci::into(outcome),
                          soci::into(problem, pi));
    st.execute(false);
    while (st.fetch()) {
      auto it = stop_at.find(stop);
      if (it == stop_at.end()) continue;
      VisitFinding f;
      f.id = id;
      f.text = text;
      f.category = category;
      f.outcome = outcome;
      if (pi == soci::i_ok) f.problem_id = problem;
      out[it->second.first].stops[it->second.second].findings.push_back(std::move(f));
    }
  }
  return out;
}

std::string Snapshot(const Visit& v) {
  boost::json::array stops;
  for (const VisitStop& s : v.stops) {
    boost::json::array findings;
    for (const VisitFinding& f : s.findings) {
      findings.emplace_back(boost::json::object{{"text", f.text}, {"category", f.category}, {"outcome", f.outcome}});
    }
    stops.emplace_back(boost::json::object{{"project_id", s.project_id}, {"on_schedule", s.on_schedule}, {"findings", std::move(findings)}});
  }
  return boost::json::serialize(boost::json::object{{"start", v.start.ToString()},
                                                    {"end", v.end.ToString()},
                                                    {"leader", v.leader},
                                                    {"members", boost::json::parse(Names(v.members))},
                                                    {"stops", std::move(stops)}});
}

// Writes the stops and findings of v. A finding whose id is in `kept` (the visit's findings before)
// is written back under that id with the problem it became; any other is new.
Status InsertStops(soci::session& sql, int64_t visit_id, Visit& v, const std::map<int64_t, std::optional<int64_t>>& kept) {
  int seq = 0;
  for (VisitStop& s : v.stops) {
    long long pid = s.project_id, live = 0;
    sql << kLiveProject, soci::use(pid), soci::into(live);
    if (live == 0) return Status(ErrorCode::kNotFound, "没有该项目 (no such project): " + std::to_string(s.project_id), "stops");
    long long vid = visit_id, sid = 0;
    int q = ++seq, on = s.on_schedule ? 1 : 0;
    sql << kInsertStop, soci::use(vid), soci::use(q), soci::use(pid), soci::use(s.seen), soci::use(s.reported),
        soci::use(on), soci::into(sid);
    s.id = sid;
    int fq = 0;
    for (VisitFinding& f : s.findings) {
      long long problem = 0;
      soci::indicator pi = soci::i_null;
      auto it = f.id ? kept.find(f.id) : kept.end();
      f.problem_id = it != kept.end() ? it->second : std::nullopt;
      if (f.problem_id) {
        problem = *f.problem_id;
        pi = soci::i_ok;
      }
      int n = ++fq;
      if (it != kept.end()) {
        long long fid = f.id;
        sql << kInsertFindingWithId, soci::use(fid), soci::use(sid), soci::use(n), soci::use(f.text), soci::use(f.category),
            soci::use(f.outcome), soci::use(problem, pi);
      } else {
        sql << kInsertFinding, soci::use(sid), soci::use(n), soci::use(f.text), soci::use(f.category), soci::use(f.outcome),
            soci::use(problem, pi);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Visit>> VisitStore::List(const std::optional<Date>& from, const std::optional<Date>& to) {
  std::vector<Visit> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    std::string where;
    // Dates are validated values ("YYYY-MM-DD"), safe to inline.
    if (from) where += " WHERE start_date >= '" + from->ToString() + "'";
    if (to) where += std::string(where.empty() ? " WHERE" : " AND") + " start_date <= '" + to->ToString() + "'";
    out = Select(sql, where);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Visit> VisitStore::Get(int64_t id) {
  std::vector<Visit> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = Select(sql, " WHERE id = " + std::to_string(id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound("没有该督导记录 (no such visit)");
  return out.front();
}

Result<Visit> VisitStore::Create(const Visit& input, const Actor& by) {
  Visit v = input;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    const std::string at = NowIso(), start = v.start.ToString(), end = v.end.ToString(), members = Names(v.members);
    long long id = 0;
    sql << kInsertVisit, soci::use(start), soci::use(end), soci::use(v.leader), soci::use(members), soci::use(v.note),
        soci::use(at), soci::use(at), soci::use(by.login), soci::into(id);
    v.id = id;
    v.version = 1;
    v.created_at = v.updated_at = at;
    v.updated_by = by.login;
    for (VisitStop& st : v.stops) {
      for (VisitFinding& f : st.findings) f.id = 0;
    }
    if (Status st = InsertStops(sql, id, v, {}); !st.ok()) return st;
    v = Select(sql, " WHERE id = " + std::to_string(id)).front();
    w.Audit(by, "create", "visit", std::to_string(id), std::nullopt, Snapshot(v));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

Result<Visit> VisitStore::Replace(const Visit& input, const Actor& by, const ReplaceCheck& check) {
  Visit v = input;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = Select(sql, " WHERE id = " + std::to_string(v.id));
    if (before.empty()) return NotFound("没有该督导记录 (no such visit)");
    if (before.front().version != v.version) return kChanged;
    if (check) {
      if (Status c = check(before.front(), v); !c.ok()) return c;
    }
    std::map<int64_t, std::optional<int64_t>> kept;
    for (const VisitStop& st : before.front().stops) {
      for (const VisitFinding& f : st.findings) kept[f.id] = f.problem_id;
    }
    const std::string at = NowIso(), start = v.start.ToString(), end = v.end.ToString(), members = Names(v.members);
    long long id = v.id, ver = v.version;
    soci::statement st = (sql.prepare << kUpdateVisit, soci::use(start), soci::use(end), soci::use(v.leader),
                          soci::use(members), soci::use(v.note), soci::use(at), soci::use(by.login), soci::use(id),
                          soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return kChanged;
    sql << kDeleteFindings, soci::use(id);
    sql << kDeleteStops, soci::use(id);
    if (Status s2 = InsertStops(sql, v.id, v, kept); !s2.ok()) return s2;
    v = Select(sql, " WHERE id = " + std::to_string(id)).front();
    w.Audit(by, "update", "visit", std::to_string(id), Snapshot(before.front()), Snapshot(v));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

Result<std::optional<std::pair<VisitStop, VisitFinding>>> VisitStore::Finding(int64_t visit_id, int64_t finding_id) {
  auto v = Get(visit_id);
  if (!v.ok()) return v.status();
  for (const VisitStop& s : v->stops) {
    for (const VisitFinding& f : s.findings) {
      if (f.id == finding_id) return std::optional<std::pair<VisitStop, VisitFinding>>(std::make_pair(s, f));
    }
  }
  return std::optional<std::pair<VisitStop, VisitFinding>>();
}

Status LinkFinding(soci::session& sql, int64_t finding_id, int64_t problem_id) {
  long long p = problem_id, id = finding_id;
  soci::statement st = (sql.prepare << kLinkFinding, soci::use(p), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() != 1) {
    return Status(ErrorCode::kConflict, "该发现已转为问题 (the finding already became a problem)", "finding");
  }
  return Status::Ok();
}

}  // namespace kp::store
