#include "store/instruction_store.h"

#include <boost/json.hpp>

#include "common/dates.h"
#include "store/db.h"
#include "store/reminder_store.h"

namespace kp::store {
namespace {

// The answerer's display name comes from users (a login no longer there shows as itself; blank stays blank).
constexpr const char* kColumns =
    "i.id, i.project_id, i.text, i.given_by, i.given_by_name, i.given_at, i.answer, i.answered_by, i.answered_at, i.version, "
    "CASE WHEN u.display_name IS NULL OR u.display_name = '' THEN i.answered_by ELSE u.display_name END";
constexpr const char* kFrom = " FROM instructions i LEFT JOIN users u ON u.login = i.answered_by AND i.answered_by <> '' ";
constexpr const char* kInsert =
    "INSERT INTO instructions (project_id, text, given_by, given_by_name, given_at) VALUES (:p, :t, :b, :n, :a) RETURNING id";
constexpr const char* kAnswer =
    "UPDATE instructions SET answer = :a, answered_by = :b, answered_at = :t, version = version + 1 "
    "WHERE id = :id AND version = :v AND answered_at IS NULL";

std::string Snapshot(const Instruction& i) {
  return boost::json::serialize(boost::json::object{{"project_id", i.project_id},
                                                    {"text", i.text},
                                                    {"given_by", i.given_by},
                                                    {"answer", i.answer},
                                                    {"answered_by", i.answered_by}});
}

// Runs `where` (with its one bound id, or none) and reads every row.
Status Select(soci::session& sql, const std::string& where, std::optional<long long> arg, std::vector<Instruction>& out) {
  Instruction r;
  long long id = 0, pid = 0, version = 0, bound = arg.value_or(0);
  std::string answered_at;
  soci::indicator ai = soci::i_ok;
  const std::string q = std::string("SELECT ") + kColumns + kFrom + where;
  soci::statement st = arg ? (sql.prepare << q, soci::use(bound), soci::into(id), soci::into(pid), soci::into(r.text),
                              soci::into(r.given_by), soci::into(r.given_by_name), soci::into(r.given_at), soci::into(r.answer),
                              soci::into(r.answered_by), soci::into(answered_at, ai), soci::into(version),
                              soci::into(r.answered_by_name))
                           : (sql.prepare << q, soci::into(id), soci::into(pid), soci::into(r.text), soci::into(r.given_by),
                              soci::into(r.given_by_name), soci::into(r.given_at), soci::into(r.answer),
                              soci::into(r.answered_by), soci::into(answered_at, ai), soci::into(version),
                              soci::into(r.answered_by_name));
  st.execute(false);
  while (st.fetch()) {
    r.id = id;
    r.project_id = pid;
    r.version = version;
    r.answered_at = ai == soci::i_ok ? std::optional<std::string>(answered_at) : std::nullopt;
    out.push_back(r);
  }
  return Status::Ok();
}

}  // namespace

Result<Instruction> InstructionStore::Give(const Instruction& in, const std::vector<Notification>& bell, const Actor& by) {
  Instruction out = in;
  out.given_at = NowIso();
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = in.project_id, id = 0;
    sql << kInsert, soci::use(pid), soci::use(in.text), soci::use(in.given_by), soci::use(in.given_by_name),
        soci::use(out.given_at), soci::into(id);
    out.id = id;
    out.version = 1;
    std::vector<Notification> sent = bell;
    for (Notification& n : sent) {
      if (size_t at = n.dedupe.find("{id}"); at != std::string::npos) n.dedupe.replace(at, 4, std::to_string(id));
    }
    InsertNotifications(sql, sent);
    w.Audit(by, "create", "instruction", std::to_string(id), std::nullopt, Snapshot(out));
    w.History(in.project_id, by, "instruction", boost::json::serialize(boost::json::object{{"批示", boost::json::array{"", in.text}}}));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Instruction> InstructionStore::Get(int64_t id) {
  std::vector<Instruction> out;
  Status s = db_.Read([&](soci::session& sql) { return Select(sql, "WHERE i.id = :id", id, out); });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound("批示不存在 (no such instruction)");
  return out.front();
}

Result<std::vector<Instruction>> InstructionStore::OfProject(int64_t project_id) {
  std::vector<Instruction> out;
  Status s = db_.Read([&](soci::session& sql) { return Select(sql, "WHERE i.project_id = :p ORDER BY i.id DESC", project_id, out); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Instruction>> InstructionStore::Open() {
  std::vector<Instruction> out;
  Status s = db_.Read([&](soci::session& sql) { return Select(sql, "WHERE i.answered_at IS NULL ORDER BY i.id DESC", std::nullopt, out); });
  if (!s.ok()) return s;
  return out;
}

Result<Instruction> InstructionStore::Answer(int64_t id, int64_t version, const std::string& answer,
                                             const std::vector<Notification>& bell, const Actor& by) {
  Instruction before;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    std::vector<Instruction> rows;
    if (Status r = Select(sql, "WHERE i.id = :id", id, rows); !r.ok()) return r;
    if (rows.empty()) return NotFound("批示不存在 (no such instruction)");
    before = rows.front();
    if (before.answered_at) return Conflict("该批示已由 " + before.answered_by_name + " 答复 (already answered)");
    if (before.version != version) return Conflict("批示已被他人修改，请刷新后重试 (stale version)");
    long long iid = id, v = version;
    std::string at = NowIso();
    soci::statement st = (sql.prepare << kAnswer, soci::use(answer), soci::use(by.login), soci::use(at), soci::use(iid), soci::use(v));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Conflict("该批示已答复或已被修改 (already answered or changed)");
    Instruction after = before;
    after.answer = answer;
    after.answered_by = by.login;
    InsertNotifications(sql, bell);
    w.Audit(by, "update", "instruction", std::to_string(id), Snapshot(before), Snapshot(after));
    w.History(before.project_id, by, "instruction_answer",
              boost::json::serialize(boost::json::object{{"批示落实", boost::json::array{"", answer}}}));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return Get(id);
}

}  // namespace kp::store
