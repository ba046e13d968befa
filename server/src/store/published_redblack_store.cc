#include "store/published_redblack_store.h"

#include <boost/json.hpp>

#include "common/dates.h"
#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kColumns = "id, kind, period, group_by, levels, year, issue, question, published_by, published_at";
constexpr const char* kSelectOne =
    "SELECT id, kind, period, group_by, levels, year, issue, question, published_by, published_at, list "
    "FROM published_redblack WHERE id = :id";
constexpr const char* kSelectSame =
    "SELECT issue FROM published_redblack WHERE kind = :k AND period = :p AND group_by = :g AND levels = :l";
constexpr const char* kNextIssue =
    "SELECT COALESCE(MAX(issue), 0) + 1 FROM published_redblack WHERE kind = :k AND year = :y";
constexpr const char* kInsert =
    "INSERT INTO published_redblack (kind, period, group_by, levels, year, issue, question, list, published_by, "
    "published_at) VALUES (:k, :p, :g, :l, :y, :i, :q, :m, :b, :a) RETURNING id";

int NextIssueIn(soci::session& sql, const std::string& kind, int year) {
  int next = 1;
  sql << kNextIssue, soci::use(kind), soci::use(year), soci::into(next);
  return next;
}

}  // namespace

Result<PublishedRedBlack> PublishedRedBlackStore::Publish(PublishedRedBlack r,
                                                          const std::function<Result<std::string>(int issue)>& list_of,
                                                          const Actor& by) {
  r.published_by = by.login;
  r.published_at = NowIso();
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    int existing = 0;
    soci::indicator ind = soci::i_null;
    sql << kSelectSame, soci::use(r.kind), soci::use(r.period), soci::use(r.group_by), soci::use(r.levels),
        soci::into(existing, ind);
    if (sql.got_data() && ind == soci::i_ok) {
      return Conflict(r.period + " 的这份红黑榜已发布为第" + std::to_string(existing) +
                      "期，不能重复发布 (already published as No. " + std::to_string(existing) + ")");
    }
    r.issue = NextIssueIn(sql, r.kind, r.year);
    auto list = list_of(r.issue);
    if (!list.ok()) return list.status();
    r.list = *list;
    long long id = 0;
    sql << kInsert, soci::use(r.kind), soci::use(r.period), soci::use(r.group_by), soci::use(r.levels),
        soci::use(r.year), soci::use(r.issue), soci::use(r.question), soci::use(r.list), soci::use(r.published_by),
        soci::use(r.published_at), soci::into(id);
    r.id = id;
    w.Audit(by, "publish", "redblack", std::to_string(id), std::nullopt,
            boost::json::serialize(boost::json::object{{"kind", r.kind},
                                                       {"period", r.period},
                                                       {"by", r.group_by},
                                                       {"levels", r.levels},
                                                       {"issue", r.issue},
                                                       {"question", r.question}}));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return r;
}

Result<PublishedRedBlack> PublishedRedBlackStore::Get(int64_t id) {
  PublishedRedBlack r;
  bool found = false;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long rid = 0, bound = id;
    sql << kSelectOne, soci::use(bound), soci::into(rid), soci::into(r.kind), soci::into(r.period),
        soci::into(r.group_by), soci::into(r.levels), soci::into(r.year), soci::into(r.issue), soci::into(r.question),
        soci::into(r.published_by), soci::into(r.published_at), soci::into(r.list);
    found = sql.got_data();
    r.id = rid;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!found) return NotFound("已发布的红黑榜不存在 (no such published red/black list)");
  return r;
}

Result<std::vector<PublishedRedBlack>> PublishedRedBlackStore::List() {
  std::vector<PublishedRedBlack> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    PublishedRedBlack r;
    long long id = 0;
    soci::statement st =
        (sql.prepare << std::string("SELECT ") + kColumns + " FROM published_redblack ORDER BY id DESC", soci::into(id),
         soci::into(r.kind), soci::into(r.period), soci::into(r.group_by), soci::into(r.levels), soci::into(r.year),
         soci::into(r.issue), soci::into(r.question), soci::into(r.published_by), soci::into(r.published_at));
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

Result<int> PublishedRedBlackStore::NextIssue(const std::string& kind, int year) {
  int next = 1;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    next = NextIssueIn(sql, kind, year);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return next;
}

}  // namespace kp::store
