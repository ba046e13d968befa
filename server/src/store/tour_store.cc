#include "store/tour_store.h"

#include <boost/json.hpp>

#include <map>

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kSelectTours =
    "SELECT id, name, start_date, end_date, status, sheet, note, created_by, version, created_at, updated_at, updated_by "
    "FROM tours";
constexpr const char* kSelectStops = "SELECT id, tour_id, project_id FROM tour_stops WHERE tour_id IN (";
constexpr const char* kSelectRaters = "SELECT tour_id, login FROM tour_raters WHERE tour_id IN (";
constexpr const char* kInsertTour =
    "INSERT INTO tours (name, start_date, end_date, status, sheet, note, created_by, version, created_at, updated_at, "
    "updated_by) VALUES (:n, :s, :e, :st, :sh, :no, :cb, 1, :a, :a2, :b) RETURNING id";
constexpr const char* kUpdateTour =
    "UPDATE tours SET name = :n, start_date = :s, end_date = :e, status = :st, note = :no, version = version + 1, "
    "updated_at = :a, updated_by = :b WHERE id = :id AND version = :v";
constexpr const char* kInsertStop = "INSERT INTO tour_stops (tour_id, seq, project_id) VALUES (:t, :q, :p)";
constexpr const char* kUpdateStopSeq = "UPDATE tour_stops SET seq = :q WHERE id = :id";
constexpr const char* kDeleteStop = "DELETE FROM tour_stops WHERE id = :id";
constexpr const char* kInsertRater = "INSERT INTO tour_raters (tour_id, login, seq) VALUES (:t, :l, :q)";
constexpr const char* kDeleteRaters = "DELETE FROM tour_raters WHERE tour_id = :t";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kSelectScores =
    "SELECT stop_id, rater, item, points_tenths, comment, scored_at, version FROM tour_scores WHERE tour_id = :t "
    "ORDER BY stop_id, rater, id";
constexpr const char* kSetVersion =
    "SELECT COALESCE(MAX(version), 0) FROM tour_scores WHERE tour_id = :t AND stop_id = :s AND rater = :r";
constexpr const char* kDeleteSet = "DELETE FROM tour_scores WHERE tour_id = :t AND stop_id = :s AND rater = :r";
constexpr const char* kInsertScore =
    "INSERT INTO tour_scores (tour_id, stop_id, rater, item, points_tenths, comment, scored_at, version) "
    "VALUES (:t, :s, :r, :i, :p, :c, :a, :v)";

const Status kChanged = {ErrorCode::kConflict, "拉练已被他人修改，请刷新后重试 (the tour was changed by someone else)"};
const Status kScoresChanged = {ErrorCode::kConflict,
                               "您的评分已在别处保存过，请刷新后重试 (your scores for this stop were saved elsewhere; reload)"};

std::vector<Tour> Select(soci::session& sql, const std::string& where, const std::string& order) {
  std::vector<Tour> out;
  {
    long long id = 0, version = 0;
    std::string name, start, end, status, sheet, note, cb, ca, ua, ub;
    soci::statement st = (sql.prepare << std::string(kSelectTours) + where + order, soci::into(id), soci::into(name),
                          soci::into(start), soci::into(end), soci::into(status), soci::into(sheet), soci::into(note),
                          soci::into(cb), soci::into(version), soci::into(ca), soci::into(ua), soci::into(ub));
    st.execute(false);
    while (st.fetch()) {
      Tour t;
      t.id = id;
      t.name = name;
      if (auto d = ParseDate(start); d.ok()) t.start = *d;
      if (auto d = ParseDate(end); d.ok()) t.end = *d;
      ParseTourStatus(status, t.status);
      t.sheet = TourSheetOf(sheet);
      t.note = note;
      t.created_by = cb;
      t.version = static_cast<int>(version);
      t.created_at = ca;
      t.updated_at = ua;
      t.updated_by = ub;
      out.push_back(std::move(t));
    }
  }
  if (out.empty()) return out;
  std::string in;
  std::map<int64_t, size_t> at;
  for (size_t i = 0; i < out.size(); ++i) {
    in += (in.empty() ? "" : ",") + std::to_string(out[i].id);
    at[out[i].id] = i;
  }
  {
    long long id = 0, tour = 0, project = 0;
    soci::statement st = (sql.prepare << std::string(kSelectStops) + in + ") ORDER BY tour_id, seq, id", soci::into(id),
                          soci::into(tour), soci::into(project));
    st.execute(false);
    while (st.fetch()) out[at[tour]].stops.push_back(TourStop{id, project});
  }
  {
    long long tour = 0;
    std::string login;
    soci::statement st = (sql.prepare << std::string(kSelectRaters) + in + ") ORDER BY tour_id, seq", soci::into(tour),
                          soci::into(login));
    st.execute(false);
    while (st.fetch()) out[at[tour]].raters.push_back(login);
  }
  return out;
}

std::optional<Tour> One(soci::session& sql, int64_t id) {
  auto v = Select(sql, " WHERE id = " + std::to_string(id), "");
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

std::vector<TourScore> SelectScores(soci::session& sql, int64_t tour_id) {
  std::vector<TourScore> out;
  long long t = tour_id, stop = 0, points = 0, version = 0;
  std::string rater, item, comment, at;
  soci::statement st = (sql.prepare << kSelectScores, soci::use(t), soci::into(stop), soci::into(rater), soci::into(item),
                        soci::into(points), soci::into(comment), soci::into(at), soci::into(version));
  st.execute(false);
  while (st.fetch()) out.push_back(TourScore{stop, rater, item, points, comment, at, static_cast<int>(version)});
  return out;
}

std::string Snapshot(const Tour& t) {
  boost::json::array stops, raters;
  for (const TourStop& s : t.stops) stops.emplace_back(s.project_id);
  for (const auto& r : t.raters) raters.emplace_back(r);
  return boost::json::serialize(boost::json::object{{"name", t.name},
                                                    {"start", t.start.ToString()},
                                                    {"end", t.end.ToString()},
                                                    {"status", TourStatusName(t.status)},
                                                    {"stops", std::move(stops)},
                                                    {"raters", std::move(raters)}});
}

Status InsertRaters(soci::session& sql, int64_t tour_id, const Tour& t) {
  long long tid = tour_id;
  sql << kDeleteRaters, soci::use(tid);
  int seq = 0;
  for (const auto& login : t.raters) {
    int q = ++seq;
    std::string l = login;
    sql << kInsertRater, soci::use(tid), soci::use(l), soci::use(q);
  }
  return Status::Ok();
}

// Writes the route: a project already on it (in `kept`, project → stop id) keeps its stop; the rest are new.
Status WriteStops(soci::session& sql, int64_t tour_id, const Tour& t, const std::map<int64_t, int64_t>& kept) {
  int seq = 0;
  for (const TourStop& s : t.stops) {
    long long pid = s.project_id, live = 0;
    int q = ++seq;
    if (auto it = kept.find(s.project_id); it != kept.end()) {
      long long sid = it->second;
      sql << kUpdateStopSeq, soci::use(q), soci::use(sid);
      continue;
    }
    sql << kLiveProject, soci::use(pid), soci::into(live);
    if (live == 0) {
      return Status(ErrorCode::kNotFound, "第 " + std::to_string(q) + " 站：没有该项目 (no such project): " +
                                              std::to_string(s.project_id),
                    "stops[" + std::to_string(q - 1) + "].project_id");
    }
    long long tid = tour_id;
    sql << kInsertStop, soci::use(tid), soci::use(q), soci::use(pid);
  }
  return Status::Ok();
}

}  // namespace

std::string TourSheetText(const std::vector<TourSheetItem>& sheet) {
  boost::json::array a;
  for (const TourSheetItem& i : sheet) {
    a.emplace_back(boost::json::object{{"key", i.key}, {"name", i.name}, {"max_tenths", i.max_tenths}});
  }
  return boost::json::serialize(a);
}

std::vector<TourSheetItem> TourSheetOf(const std::string& text) {
  std::vector<TourSheetItem> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    const auto* k = o.if_contains("key");
    const auto* n = o.if_contains("name");
    const auto* m = o.if_contains("max_tenths");
    if (!k || !k->is_string() || !n || !n->is_string() || !m || !m->is_int64()) continue;
    out.push_back(TourSheetItem{std::string(k->as_string()), std::string(n->as_string()), m->as_int64()});
  }
  return out;
}

Result<std::vector<Tour>> TourStore::List() {
  std::vector<Tour> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = Select(sql, "", " ORDER BY start_date DESC, id DESC");
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Tour>> TourStore::EndedWithin(const Date& from, const Date& to) {
  std::vector<Tour> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    // Dates are validated values ("YYYY-MM-DD"), safe to inline.
    out = Select(sql, " WHERE status = 'ended' AND end_date >= '" + from.ToString() + "' AND end_date <= '" + to.ToString() + "'",
                 " ORDER BY end_date, id");
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Tour> TourStore::Get(int64_t id) {
  std::optional<Tour> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = One(sql, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!out) return NotFound("没有该拉练 (no such tour)");
  return *out;
}

Result<Tour> TourStore::Create(const Tour& input, const Actor& by) {
  Tour t = input;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    const std::string at = NowIso(), start = t.start.ToString(), end = t.end.ToString(), status = TourStatusName(t.status),
                      sheet = TourSheetText(t.sheet);
    long long id = 0;
    sql << kInsertTour, soci::use(t.name), soci::use(start), soci::use(end), soci::use(status), soci::use(sheet),
        soci::use(t.note), soci::use(by.login), soci::use(at), soci::use(at), soci::use(by.login), soci::into(id);
    if (Status st = WriteStops(sql, id, t, {}); !st.ok()) return st;
    if (Status st = InsertRaters(sql, id, t); !st.ok()) return st;
    t = *One(sql, id);
    w.Audit(by, "create", "tour", std::to_string(id), std::nullopt, Snapshot(t));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return t;
}

Result<Tour> TourStore::Replace(const Tour& input, const Actor& by, const ReplaceCheck& check) {
  Tour t = input;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = One(sql, t.id);
    if (!before) return NotFound("没有该拉练 (no such tour)");
    if (before->version != t.version) return kChanged;
    if (check) {
      if (Status c = check(*before, SelectScores(sql, t.id)); !c.ok()) return c;
    }
    std::map<int64_t, int64_t> kept;
    for (const TourStop& st : before->stops) kept[st.project_id] = st.id;
    const std::string at = NowIso(), start = t.start.ToString(), end = t.end.ToString(), status = TourStatusName(t.status);
    long long id = t.id, ver = t.version;
    soci::statement st = (sql.prepare << kUpdateTour, soci::use(t.name), soci::use(start), soci::use(end),
                          soci::use(status), soci::use(t.note), soci::use(at), soci::use(by.login), soci::use(id),
                          soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return kChanged;
    std::map<int64_t, bool> stays;
    for (const TourStop& x : t.stops) stays[x.project_id] = true;
    for (const TourStop& x : before->stops) {
      if (stays.count(x.project_id)) continue;
      long long sid = x.id;
      sql << kDeleteStop, soci::use(sid);
    }
    if (Status s2 = WriteStops(sql, t.id, t, kept); !s2.ok()) return s2;
    if (Status s2 = InsertRaters(sql, t.id, t); !s2.ok()) return s2;
    t = *One(sql, id);
    w.Audit(by, "update", "tour", std::to_string(id), Snapshot(*before), Snapshot(t));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return t;
}

Result<std::vector<TourScore>> TourStore::Scores(int64_t tour_id) {
  std::vector<TourScore> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectScores(sql, tour_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<TourScore>> TourStore::SaveScores(int64_t tour_id, int64_t stop_id, const std::string& rater,
                                                     int version, const std::vector<TourScore>& items, const Actor& by,
                                                     const ScoreCheck& check) {
  std::vector<TourScore> out;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto tour = One(sql, tour_id);
    if (!tour) return NotFound("没有该拉练 (no such tour)");
    if (check) {
      if (Status c = check(*tour); !c.ok()) return c;
    }
    long long t = tour_id, sid = stop_id, current = 0;
    std::string r = rater;
    sql << kSetVersion, soci::use(t), soci::use(sid), soci::use(r), soci::into(current);
    if (current != version) return kScoresChanged;
    std::string before;
    {
      boost::json::object b;
      for (const TourScore& x : SelectScores(sql, tour_id)) {
        if (x.stop_id == stop_id && x.rater == rater) b[x.item] = x.points_tenths;
      }
      before = boost::json::serialize(b);
    }
    sql << kDeleteSet, soci::use(t), soci::use(sid), soci::use(r);
    const std::string at = NowIso();
    int next = version + 1;
    boost::json::object after;
    for (const TourScore& x : items) {
      long long p = x.points_tenths;
      std::string item = x.item, comment = x.comment;
      sql << kInsertScore, soci::use(t), soci::use(sid), soci::use(r), soci::use(item), soci::use(p), soci::use(comment),
          soci::use(at), soci::use(next);
      after[item] = p;
      out.push_back(TourScore{stop_id, rater, item, p, comment, at, next});
    }
    w.Audit(by, "score", "tour", std::to_string(tour_id) + "/" + std::to_string(stop_id),
            version == 0 ? std::nullopt : std::optional<std::string>(before), boost::json::serialize(after));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
