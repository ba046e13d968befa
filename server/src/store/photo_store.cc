#include "store/photo_store.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "common/dates.h"
#include "store/db.h"

namespace kp {

const char* PhotoKindName(PhotoKind k) {
  switch (k) {
    case PhotoKind::kReport: return "report";
    case PhotoKind::kNode: return "node";
    case PhotoKind::kProblem: return "problem";
    case PhotoKind::kVisit: return "visit";
  }
  return "report";
}

std::optional<PhotoKind> ParsePhotoKind(const std::string& s) {
  for (PhotoKind k : {PhotoKind::kReport, PhotoKind::kNode, PhotoKind::kProblem, PhotoKind::kVisit}) {
    if (s == PhotoKindName(k)) return k;
  }
  return std::nullopt;
}

const char* PhotoPhaseName(PhotoPhase p) {
  switch (p) {
    case PhotoPhase::kNone: return "";
    case PhotoPhase::kBefore: return "before";
    case PhotoPhase::kAfter: return "after";
  }
  return "";
}

std::optional<PhotoPhase> ParsePhotoPhase(const std::string& s) {
  for (PhotoPhase p : {PhotoPhase::kNone, PhotoPhase::kBefore, PhotoPhase::kAfter}) {
    if (s == PhotoPhaseName(p)) return p;
  }
  return std::nullopt;
}

namespace store {
namespace {

constexpr const char* kPhotoColumns =
    "SELECT id, project_id, kind, ref, caption, phase, sha256, mime, width, height, bytes, taken_at, gps_lat_e6, gps_lon_e6, "
    "uploaded_by, uploaded_at FROM photos";
constexpr const char* kInsertPhoto =
    "INSERT INTO photos (project_id, kind, ref, caption, phase, sha256, mime, width, height, bytes, taken_at, gps_lat_e6, "
    "gps_lon_e6, uploaded_by, uploaded_at) VALUES (:p, :k, :r, :c, :ph, :s, :m, :w, :h, :b, :t, :la, :lo, :ub, :ua) "
    "RETURNING id";
constexpr const char* kSameOnItem =
    "SELECT id FROM photos WHERE project_id = :p AND kind = :k AND ref = :r AND sha256 = :s";
constexpr const char* kCountOnItem = "SELECT COUNT(*) FROM photos WHERE project_id = :p AND kind = :k AND ref = :r";
// The newest photos first: camera time, else upload time, then the later attachment.
constexpr const char* kNewest = "COALESCE(taken_at, uploaded_at) DESC, id DESC";
constexpr const char* kLatestTail =
    " WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY "
    "COALESCE(taken_at, uploaded_at) DESC, id DESC) AS rn FROM photos WHERE project_id IN (";
constexpr const char* kCountSha = "SELECT COUNT(*) FROM photos WHERE sha256 = :s";
constexpr const char* kDeletePhoto = "DELETE FROM photos WHERE id = :id";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kReportExists =
    "SELECT COUNT(*) FROM monthly_reports WHERE project_id = :p AND year = :y AND month = :m";
constexpr const char* kNodeExists = "SELECT COUNT(*) FROM project_nodes WHERE project_id = :p AND id = :id";
constexpr const char* kProblemExists = "SELECT COUNT(*) FROM problems WHERE project_id = :p AND id = :id";
constexpr const char* kVisitExists = "SELECT COUNT(*) FROM visit_stops WHERE project_id = :p AND visit_id = :id";

std::vector<Photo> SelectPhotos(soci::session& sql, const std::string& tail, const std::vector<std::string>& args,
                                long long project_id) {
  std::vector<Photo> out;
  Photo p;
  long long id = 0, pid = 0, bytes = 0, lat = 0, lon = 0;
  std::string kind, phase, taken;
  soci::indicator ti = soci::i_ok, lai = soci::i_ok, loi = soci::i_ok;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kPhotoColumns) + tail);
  st.exchange(soci::into(id));
  st.exchange(soci::into(pid));
  st.exchange(soci::into(kind));
  st.exchange(soci::into(p.ref));
  st.exchange(soci::into(p.caption));
  st.exchange(soci::into(phase));
  st.exchange(soci::into(p.sha256));
  st.exchange(soci::into(p.mime));
  st.exchange(soci::into(p.width));
  st.exchange(soci::into(p.height));
  st.exchange(soci::into(bytes));
  st.exchange(soci::into(taken, ti));
  st.exchange(soci::into(lat, lai));
  st.exchange(soci::into(lon, loi));
  st.exchange(soci::into(p.uploaded_by));
  st.exchange(soci::into(p.uploaded_at));
  st.exchange(soci::use(project_id));
  for (const std::string& a : args) st.exchange(soci::use(a));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    p.id = id;
    p.project_id = pid;
    p.kind = ParsePhotoKind(kind).value_or(PhotoKind::kReport);
    p.phase = ParsePhotoPhase(phase).value_or(PhotoPhase::kNone);
    p.bytes = bytes;
    p.taken_at = ti == soci::i_ok ? std::optional<std::string>(taken) : std::nullopt;
    p.lat_e6 = lai == soci::i_ok ? std::optional<int64_t>(lat) : std::nullopt;
    p.lon_e6 = loi == soci::i_ok ? std::optional<int64_t>(lon) : std::nullopt;
    out.push_back(p);
  }
  return out;
}

std::string Snapshot(const Photo& p) {
  return boost::json::serialize(boost::json::object{{"project_id", p.project_id},
                                                    {"kind", PhotoKindName(p.kind)},
                                                    {"ref", p.ref},
                                                    {"caption", p.caption},
                                                    {"phase", PhotoPhaseName(p.phase)},
                                                    {"sha256", p.sha256},
                                                    {"mime", p.mime},
                                                    {"bytes", p.bytes}});
}

}  // namespace

Result<bool> PhotoStore::ItemExists(int64_t project_id, PhotoKind kind, const std::string& ref) {
  bool found = false;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long pid = project_id, n = 0;
    sql << kLiveProject, soci::use(pid), soci::into(n);
    if (n == 0) return Status::Ok();
    if (kind == PhotoKind::kReport) {
      int y = 0, m = 0;
      if (ref.size() != 7 || ref[4] != '-' || std::sscanf(ref.c_str(), "%4d-%2d", &y, &m) != 2) return Status::Ok();
      sql << kReportExists, soci::use(pid), soci::use(y), soci::use(m), soci::into(n);
    } else {
      long long id = 0;
      try {
        size_t used = 0;
        id = std::stoll(ref, &used);
        if (used != ref.size()) return Status::Ok();
      } catch (...) {
        return Status::Ok();
      }
      const char* q = kind == PhotoKind::kNode ? kNodeExists : kind == PhotoKind::kProblem ? kProblemExists : kVisitExists;
      sql << q, soci::use(pid), soci::use(id), soci::into(n);
    }
    found = n > 0;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<int> PhotoStore::CountOn(int64_t project_id, PhotoKind kind, const std::string& ref) {
  long long n = 0;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long pid = project_id;
    std::string k = PhotoKindName(kind);
    sql << kCountOnItem, soci::use(pid), soci::use(k), soci::use(ref), soci::into(n);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int>(n);
}

Result<Photo> PhotoStore::Add(const Photo& p, int max_per_item, const Actor& by, bool* added) {
  Photo out = p;
  *added = false;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = p.project_id, same = 0, count = 0;
    std::string kind = PhotoKindName(p.kind);
    soci::indicator si = soci::i_null;
    sql << kSameOnItem, soci::use(pid), soci::use(kind), soci::use(p.ref), soci::use(p.sha256), soci::into(same, si);
    if (sql.got_data() && si == soci::i_ok) {
      out.id = same;
      return Status::Ok();
    }
    sql << kCountOnItem, soci::use(pid), soci::use(kind), soci::use(p.ref), soci::into(count);
    if (count >= max_per_item) {
      return InvalidArgument("该事项的照片已达上限 " + std::to_string(max_per_item) + " 张 (too many photos on this item: at most " +
                                 std::to_string(max_per_item) + ")",
                             "file");
    }
    out.uploaded_by = by.login;
    out.uploaded_at = NowIso();
    long long bytes = p.bytes, lat = p.lat_e6.value_or(0), lon = p.lon_e6.value_or(0), id = 0;
    std::string taken = p.taken_at.value_or(""), phase = PhotoPhaseName(p.phase);
    soci::indicator ti = p.taken_at ? soci::i_ok : soci::i_null;
    soci::indicator lai = p.lat_e6 ? soci::i_ok : soci::i_null, loi = p.lon_e6 ? soci::i_ok : soci::i_null;
    sql << kInsertPhoto, soci::use(pid), soci::use(kind), soci::use(p.ref), soci::use(p.caption), soci::use(phase),
        soci::use(p.sha256), soci::use(p.mime), soci::use(p.width), soci::use(p.height), soci::use(bytes), soci::use(taken, ti),
        soci::use(lat, lai), soci::use(lon, loi), soci::use(out.uploaded_by), soci::use(out.uploaded_at), soci::into(id);
    out.id = id;
    w.Audit(by, "create", "photo", std::to_string(id), std::nullopt, Snapshot(out));
    *added = true;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!*added) return Get(out.id);
  return out;
}

Result<Photo> PhotoStore::Get(int64_t id) {
  std::vector<Photo> found;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    found = SelectPhotos(sql, " WHERE id = :id", {}, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (found.empty()) return NotFound("没有该照片 (no such photo)");
  return found.front();
}

Result<std::vector<Photo>> PhotoStore::List(int64_t project_id, std::optional<PhotoKind> kind, const std::string& ref) {
  std::vector<Photo> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    std::string tail = " WHERE project_id = :p";
    std::vector<std::string> args;
    if (kind) {
      tail += " AND kind = :k";
      args.push_back(PhotoKindName(*kind));
      if (!ref.empty()) {
        tail += " AND ref = :r";
        args.push_back(ref);
      }
    }
    out = SelectPhotos(sql, tail + " ORDER BY id", args, project_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Photo>> PhotoStore::LatestOf(const std::vector<int64_t>& project_ids, int per_project) {
  std::vector<Photo> out;
  if (project_ids.empty() || per_project <= 0) return out;
  constexpr size_t kChunk = 500;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    for (size_t from = 0; from < project_ids.size(); from += kChunk) {
      std::string in;
      for (size_t i = from; i < std::min(project_ids.size(), from + kChunk); ++i) {
        in += (in.empty() ? "" : ",") + std::to_string(project_ids[i]);
      }
      // :p is the per-project limit (SelectPhotos binds its one number first).
      auto part = SelectPhotos(sql, std::string(kLatestTail) + in + ")) t WHERE t.rn <= :p) ORDER BY project_id, " + kNewest, {},
                               per_project);
      out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::unordered_map<int64_t, size_t> rank;
  for (size_t k = 0; k < project_ids.size(); ++k) rank.emplace(project_ids[k], k);
  std::stable_sort(out.begin(), out.end(), [&](const Photo& a, const Photo& b) { return rank[a.project_id] < rank[b.project_id]; });
  return out;
}

Status PhotoStore::Remove(int64_t id, const Actor& by) {
  auto before = Get(id);
  if (!before.ok()) return before.status();
  return db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = id;
    soci::statement st = (sql.prepare << kDeletePhoto, soci::use(pid));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFound("没有该照片 (no such photo)");
    w.Audit(by, "delete", "photo", std::to_string(id), Snapshot(*before), std::nullopt);
    return Status::Ok();
  });
}

Result<int64_t> PhotoStore::CountSha(const std::string& sha256) {
  long long n = 0;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    sql << kCountSha, soci::use(sha256), soci::into(n);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(n);
}

}  // namespace store
}  // namespace kp
