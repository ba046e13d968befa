#include "store/published_report_store.h"

#include <boost/json.hpp>

#include "common/dates.h"
#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kColumns = "id, kind, period, year, issue, question, published_by, published_at";
constexpr const char* kSelectOne =
    "SELECT id, kind, period, year, issue, question, published_by, published_at, model FROM published_reports WHERE id = :id";
constexpr const char* kSelectPeriod = "SELECT issue FROM published_reports WHERE kind = :k AND period = :p";
constexpr const char* kNextIssue = "SELECT COALESCE(MAX(issue), 0) + 1 FROM published_reports WHERE kind = :k AND year = :y";
constexpr const char* kInsert =
    "INSERT INTO published_reports (kind, period, year, issue, question, model, published_by, published_at) "
    "VALUES (:k, :p, :y, :i, :q, :m, :b, :a) RETURNING id";

Result<int> NextIssueIn(soci::session& sql, const std::string& kind, int year) {
  int next = 1;
  sql << kNextIssue, soci::use(kind), soci::use(year), soci::into(next);
  return next;
}

}  // namespace

Result<PublishedReport> PublishedReportStore::Publish(PublishedReport r,
                                                      const std::function<Result<std::string>(int issue)>& model_of,
                                                      const Actor& by) {
  r.published_by = by.login;
  r.published_at = NowIso();
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    int existing = 0;
    soci::indicator ind = soci::i_null;
    sql << kSelectPeriod, soci::use(r.kind), soci::use(r.period), soci::into(existing, ind);
    if (sql.got_data() && ind == soci::i_ok) {
      return Conflict(r.period + " 的报告已发布为第" + std::to_string(existing) + "期，不能重复发布 (already published as No. " +
                      std::to_string(existing) + ")");
    }
    auto next = NextIssueIn(sql, r.kind, r.year);
    if (!next.ok()) return next.status();
    r.issue = *next;
    auto model = model_of(r.issue);
    if (!model.ok()) return model.status();
    r.model = *model;
    long long id = 0;
    sql << kInsert, soci::use(r.kind), soci::use(r.period), soci::use(r.year), soci::use(r.issue), soci::use(r.question),
        soci::use(r.model), soci::use(r.published_by), soci::use(r.published_at), soci::into(id);
    r.id = id;
    w.Audit(by, "publish", "report", std::to_string(id), std::nullopt,
            boost::json::serialize(boost::json::object{
                {"kind", r.kind}, {"period", r.period}, {"issue", r.issue}, {"question", r.question}}));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return r;
}

Result<PublishedReport> PublishedReportStore::Get(int64_t id) {
  PublishedReport r;
  bool found = false;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long rid = 0, bound = id;
    sql << kSelectOne, soci::use(bound), soci::into(rid), soci::into(r.kind), soci::into(r.period), soci::into(r.year),
        soci::into(r.issue), soci::into(r.question), soci::into(r.published_by), soci::into(r.published_at),
        soci::into(r.model);
    found = sql.got_data();
    r.id = rid;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!found) return NotFound("已发布的报告不存在 (no such published report)");
  return r;
}

Result<std::vector<PublishedReport>> PublishedReportStore::List() {
  std::vector<PublishedReport> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    PublishedReport r;
    long long id = 0;
    soci::statement st = (sql.prepare << std::string("SELECT ") + kColumns + " FROM published_reports ORDER BY id DESC",
                          soci::into(id), soci::into(r.kind), soci::into(r.period), soci::into(r.year), soci::into(r.issue),
                          soci::into(r.question), soci::into(r.published_by), soci::into(r.published_at));
    st.execute(false);
    while (st.fetch()) {
      r.id = id;
      out.push_back(r);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int> PublishedReportStore::NextIssue(const std::string& kind, int year) {
  int next = 1;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    auto n = NextIssueIn(sql, kind, year);
    if (!n.ok()) return n.status();
    next = *n;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return next;
}

}  // namespace kp::store
