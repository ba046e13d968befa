#include "store/problem_store.h"

#include <boost/json.hpp>

#include <map>

#include "store/db.h"
#include "store/visit_store.h"

namespace kp::store {
namespace {

constexpr const char* kProblemColumns =
    "SELECT id, project_id, category, text, source, report_month, visit_id, raised_by, raised_on, lead_unit, co_units, "
    "person, deadline, state, answer, closed_on, close_note, escalation, ext_deadline, ext_reason, ext_by, version, "
    "created_at, updated_at, updated_by FROM problems";
constexpr const char* kInsertProblem =
    "INSERT INTO problems (project_id, category, text, source, report_month, visit_id, raised_by, raised_on, lead_unit, "
    "co_units, person, deadline, state, answer, closed_on, close_note, escalation, ext_deadline, ext_reason, ext_by, "
    "version, created_at, updated_at, updated_by) VALUES (:p, :c, :t, :s, :rm, :v, :rb, :ro, :lu, :cu, :pe, :d, :st, "
    ":an, :co, :cn, :es, :ed, :er, :eb, 1, :ca, :ua, :ub) RETURNING id";
constexpr const char* kUpdateProblem =
    "UPDATE problems SET category = :c, text = :t, source = :s, lead_unit = :lu, co_units = :cu, person = :pe, "
    "deadline = :d, state = :st, answer = :an, closed_on = :co, close_note = :cn, escalation = :es, ext_deadline = :ed, "
    "ext_reason = :er, ext_by = :eb, version = version + 1, updated_at = :ua, updated_by = :ub "
    "WHERE id = :id AND version = :ver";
constexpr const char* kInsertEvent =
    "INSERT INTO problem_events (problem_id, at, on_date, by_login, action, from_state, to_state, note, data) "
    "VALUES (:p, :at, :on, :by, :a, :f, :t, :n, :d)";
constexpr const char* kSelectEvents =
    "SELECT id, problem_id, at, on_date, by_login, action, from_state, to_state, note, data FROM problem_events "
    "WHERE problem_id = :p ORDER BY id";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kSameProblem =
    "SELECT COUNT(*) FROM problems WHERE project_id = :p AND raised_on = :r AND text = :t";
constexpr const char* kLastEvent = "SELECT COALESCE(MAX(id), 0) FROM problem_events";
constexpr const char* kTouchedSince = "SELECT DISTINCT problem_id FROM problem_events WHERE id > :a";
// The events the figures date by: reopenings (the closure they undid) and escalations (the first one's day).
constexpr const char* kDatedEvents =
    "SELECT problem_id, action, on_date, data FROM problem_events WHERE action IN ('reopen', 'escalate')";

const Status kChanged = {ErrorCode::kConflict, "问题已被他人处理，请刷新后重试 (the problem was changed by someone else)"};

std::optional<Date> DateOf(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::string UnitsJson(const std::vector<std::string>& units) {
  boost::json::array a;
  for (const auto& u : units) a.emplace_back(u);
  return boost::json::serialize(a);
}

std::vector<std::string> UnitsOf(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

// One problem row's columns (kProblemColumns), bound by reference.
struct ProblemBinder {
  long long id = 0, project_id = 0, visit_id = 0, escalation = 0, version = 0;
  std::string category, text, source, report_month, raised_by, raised_on, lead_unit, co_units, person, deadline, state,
      answer, closed_on, close_note, ext_deadline, ext_reason, ext_by, created_at, updated_at, updated_by;
  soci::indicator rmi = soci::i_ok, vi = soci::i_ok, di = soci::i_ok, coi = soci::i_ok, edi = soci::i_ok;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(project_id));
    st.exchange(soci::into(category));
    st.exchange(soci::into(text));
    st.exchange(soci::into(source));
    st.exchange(soci::into(report_month, rmi));
    st.exchange(soci::into(visit_id, vi));
    st.exchange(soci::into(raised_by));
    st.exchange(soci::into(raised_on));
    st.exchange(soci::into(lead_unit));
    st.exchange(soci::into(co_units));
    st.exchange(soci::into(person));
    st.exchange(soci::into(deadline, di));
    st.exchange(soci::into(state));
    st.exchange(soci::into(answer));
    st.exchange(soci::into(closed_on, coi));
    st.exchange(soci::into(close_note));
    st.exchange(soci::into(escalation));
    st.exchange(soci::into(ext_deadline, edi));
    st.exchange(soci::into(ext_reason));
    st.exchange(soci::into(ext_by));
    st.exchange(soci::into(version));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
    st.exchange(soci::into(updated_by));
  }
  Problem Get() const {
    Problem p;
    p.id = id;
    p.project_id = project_id;
    p.category = category;
    p.text = text;
    p.source = source;
    if (rmi == soci::i_ok && !report_month.empty()) {
      if (auto m = ParseYearMonth(report_month); m.ok()) p.report_month = *m;
    }
    if (vi == soci::i_ok) p.visit_id = visit_id;
    p.raised_by = raised_by;
    if (auto d = ParseDate(raised_on); d.ok()) p.raised_on = *d;
    p.lead_unit = lead_unit;
    p.co_units = UnitsOf(co_units);
    p.person = person;
    p.deadline = DateOf(deadline, di);
    p.state = ParseProblemState(state).value_or(ProblemState::kPending);
    p.answer = answer;
    p.closed_on = DateOf(closed_on, coi);
    p.close_note = close_note;
    p.escalation = static_cast<int>(escalation);
    p.ext_deadline = DateOf(ext_deadline, edi);
    p.ext_reason = ext_reason;
    p.ext_by = ext_by;
    p.version = static_cast<int>(version);
    p.created_at = created_at;
    p.updated_at = updated_at;
    p.updated_by = updated_by;
    return p;
  }
};

std::vector<Problem> SelectProblems(soci::session& sql, const std::string& where) {
  std::vector<Problem> out;
  ProblemBinder b;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kProblemColumns) + where + " ORDER BY id");
  b.Bind(st);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) out.push_back(b.Get());
  return out;
}

std::optional<Problem> SelectProblem(soci::session& sql, int64_t id) {
  auto rows = SelectProblems(sql, " WHERE id = " + std::to_string(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::string Snapshot(const Problem& p) {
  auto date = [](const std::optional<Date>& d) { return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr); };
  boost::json::array co;
  for (const auto& u : p.co_units) co.emplace_back(u);
  return boost::json::serialize(boost::json::object{{"project_id", p.project_id},
                                                    {"category", p.category},
                                                    {"text", p.text},
                                                    {"source", p.source},
                                                    {"lead_unit", p.lead_unit},
                                                    {"co_units", std::move(co)},
                                                    {"person", p.person},
                                                    {"deadline", date(p.deadline)},
                                                    {"state", ProblemStateName(p.state)},
                                                    {"closed_on", date(p.closed_on)},
                                                    {"escalation", p.escalation}});
}

int64_t InsertRow(soci::session& sql, const Problem& p, const std::string& at, const std::string& by) {
  long long pid = p.project_id, visit = p.visit_id.value_or(0), esc = p.escalation, id = 0;
  std::string rm = p.report_month ? p.report_month->ToString() : "", raised = p.raised_on.ToString(),
              co = UnitsJson(p.co_units), deadline = p.deadline ? p.deadline->ToString() : "",
              state = ProblemStateName(p.state), closed = p.closed_on ? p.closed_on->ToString() : "",
              ext = p.ext_deadline ? p.ext_deadline->ToString() : "";
  soci::indicator rmi = p.report_month ? soci::i_ok : soci::i_null, vi = p.visit_id ? soci::i_ok : soci::i_null,
                  di = p.deadline ? soci::i_ok : soci::i_null, coi = p.closed_on ? soci::i_ok : soci::i_null,
                  edi = p.ext_deadline ? soci::i_ok : soci::i_null;
  sql << kInsertProblem, soci::use(pid), soci::use(p.category), soci::use(p.text), soci::use(p.source),
      soci::use(rm, rmi), soci::use(visit, vi), soci::use(p.raised_by), soci::use(raised), soci::use(p.lead_unit),
      soci::use(co), soci::use(p.person), soci::use(deadline, di), soci::use(state), soci::use(p.answer),
      soci::use(closed, coi), soci::use(p.close_note), soci::use(esc), soci::use(ext, edi), soci::use(p.ext_reason),
      soci::use(p.ext_by), soci::use(at), soci::use(at), soci::use(by), soci::into(id);
  return id;
}

void InsertEvent(soci::session& sql, const ProblemEvent& e) {
  long long pid = e.problem_id;
  std::string on = e.on.ToString();
  sql << kInsertEvent, soci::use(pid), soci::use(e.at), soci::use(on), soci::use(e.by), soci::use(e.action),
      soci::use(e.from_state), soci::use(e.to_state), soci::use(e.note), soci::use(e.data);
}

}  // namespace

Result<Problem> ProblemStore::Insert(const Problem& p, ProblemEvent e, const Actor& by,
                                     const std::function<Status(soci::session&, int64_t)>& link) {
  Problem out = p;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = p.project_id, live = 0;
    sql << kLiveProject, soci::use(pid), soci::into(live);
    if (live == 0) return Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id");
    const std::string at = NowIso();
    out.id = InsertRow(sql, out, at, by.login);
    out.version = 1;
    out.created_at = out.updated_at = at;
    out.updated_by = by.login;
    e.problem_id = out.id;
    e.at = at;
    InsertEvent(sql, e);
    if (link) {
      if (Status s = link(sql, out.id); !s.ok()) return s;
    }
    w.Audit(by, e.action, "problem", std::to_string(out.id), std::nullopt, Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Problem> ProblemStore::Get(int64_t id) {
  std::optional<Problem> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectProblem(sql, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!out) return NotFound("没有该问题 (no such problem)");
  return *out;
}

Result<std::vector<ProblemEvent>> ProblemStore::Events(int64_t problem_id) {
  std::vector<ProblemEvent> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long pid = problem_id, id = 0, p = 0;
    std::string at, on, by, action, from, to, note, data;
    soci::statement st = (sql.prepare << kSelectEvents, soci::use(pid), soci::into(id), soci::into(p), soci::into(at),
                          soci::into(on), soci::into(by), soci::into(action), soci::into(from), soci::into(to),
                          soci::into(note), soci::into(data));
    st.execute(false);
    while (st.fetch()) {
      ProblemEvent e;
      e.id = id;
      e.problem_id = p;
      e.at = at;
      if (auto d = ParseDate(on); d.ok()) e.on = *d;
      e.by = by;
      e.action = action;
      e.from_state = from;
      e.to_state = to;
      e.note = note;
      e.data = data;
      out.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Problem> ProblemStore::Update(const Problem& after, ProblemEvent e, const Actor& by) {
  Problem out = after;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = SelectProblem(sql, after.id);
    if (!before) return NotFound("没有该问题 (no such problem)");
    if (before->version != after.version) return kChanged;
    const std::string at = NowIso();
    long long id = after.id, ver = after.version, esc = after.escalation;
    std::string co = UnitsJson(after.co_units), deadline = after.deadline ? after.deadline->ToString() : "",
                state = ProblemStateName(after.state), closed = after.closed_on ? after.closed_on->ToString() : "",
                ext = after.ext_deadline ? after.ext_deadline->ToString() : "";
    soci::indicator di = after.deadline ? soci::i_ok : soci::i_null, coi = after.closed_on ? soci::i_ok : soci::i_null,
                    edi = after.ext_deadline ? soci::i_ok : soci::i_null;
    soci::statement st =
        (sql.prepare << kUpdateProblem, soci::use(after.category), soci::use(after.text), soci::use(after.source),
         soci::use(after.lead_unit), soci::use(co), soci::use(after.person), soci::use(deadline, di), soci::use(state),
         soci::use(after.answer), soci::use(closed, coi), soci::use(after.close_note), soci::use(esc),
         soci::use(ext, edi), soci::use(after.ext_reason), soci::use(after.ext_by), soci::use(at), soci::use(by.login),
         soci::use(id), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return kChanged;
    e.problem_id = after.id;
    e.at = at;
    InsertEvent(sql, e);
    out = *SelectProblem(sql, after.id);
    w.Audit(by, e.action, "problem", std::to_string(after.id), Snapshot(*before), Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<int64_t>> ProblemStore::InsertAll(const std::vector<Problem>& rows, const Actor& by,
                                                     const std::vector<std::optional<int64_t>>& findings) {
  std::vector<int64_t> ids;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    const std::string at = NowIso();
    for (size_t i = 0; i < rows.size(); ++i) {
      const Problem& p = rows[i];
      long long pid = p.project_id, live = 0;
      sql << kLiveProject, soci::use(pid), soci::into(live);
      if (live == 0) return Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id");
      // Checked inside the transaction, so two imports of one file at once add its rows once.
      long long same = 0;
      std::string raised = p.raised_on.ToString();
      sql << kSameProblem, soci::use(pid), soci::use(raised), soci::use(p.text), soci::into(same);
      if (same > 0) continue;
      const int64_t id = InsertRow(sql, p, at, by.login);
      ProblemEvent e;
      e.problem_id = id;
      e.at = at;
      e.on = p.closed_on ? *p.closed_on : p.raised_on;
      e.by = by.login;
      e.action = "import";
      e.to_state = ProblemStateName(p.state);
      InsertEvent(sql, e);
      if (i < findings.size() && findings[i]) {
        if (Status s = LinkFinding(sql, *findings[i], id); !s.ok()) return s;
      }
      w.Audit(by, "import", "problem", std::to_string(id), std::nullopt, Snapshot(p));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

Result<int64_t> ProblemStore::LastEventId() {
  long long last = 0;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    sql << kLastEvent, soci::into(last);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(last);
}

Result<std::vector<LoadedProblem>> ProblemStore::LoadSince(int64_t after, int64_t* last) {
  std::vector<LoadedProblem> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long l = 0;
    sql << kLastEvent, soci::into(l);
    *last = l;
    std::vector<Problem> rows;
    std::vector<std::string> events_of;  // the dated events' filters: every problem, or the touched ones by chunk
    if (after <= 0) {
      rows = SelectProblems(sql, "");
      events_of.emplace_back("");
    } else {
      std::vector<long long> ids;
      long long a = after, pid = 0;
      soci::statement st = (sql.prepare << kTouchedSince, soci::use(a), soci::into(pid));
      st.execute(false);
      while (st.fetch()) ids.push_back(pid);
      for (size_t i = 0; i < ids.size(); i += 500) {
        std::string in;
        for (size_t j = i; j < std::min(ids.size(), i + 500); ++j) in += (in.empty() ? "" : ",") + std::to_string(ids[j]);
        auto part = SelectProblems(sql, " WHERE id IN (" + in + ")");
        rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        events_of.push_back(" AND problem_id IN (" + in + ")");
      }
    }
    std::map<int64_t, size_t> at;
    for (Problem& p : rows) {
      at[p.id] = out.size();
      out.push_back(LoadedProblem{std::move(p), {}});
    }
    long long pid = 0;
    std::string action, on, data;
    for (const std::string& filter : events_of) {
      soci::statement st = (sql.prepare << std::string(kDatedEvents) + filter + " ORDER BY id", soci::into(pid),
                            soci::into(action), soci::into(on), soci::into(data));
      st.execute(false);
      while (st.fetch()) {
        auto it = at.find(pid);
        if (it == at.end()) continue;
        if (action == "escalate") {
          auto day = ParseDate(on);
          auto& first = out[it->second].escalated_on;
          if (day.ok() && (!first || *day < *first)) first = *day;
          continue;
        }
        boost::system::error_code ec;
        auto v = boost::json::parse(data, ec);
        auto reopened = ParseDate(on);
        if (ec || !v.is_object() || !reopened.ok() || !v.as_object().contains("closed_on")) continue;
        const auto& c = v.as_object().at("closed_on");
        if (!c.is_string()) continue;
        auto closed = ParseDate(std::string(c.as_string()));
        if (closed.ok()) out[it->second].reopened.emplace_back(*closed, *reopened);
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
