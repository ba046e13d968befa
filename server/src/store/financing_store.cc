#include "store/financing_store.h"

#include <boost/json.hpp>

#include <map>

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kDemandColumns =
    "SELECT id, project_id, kind, amount_yuan, year_need_yuan, term_years, purpose, guarantee, repayment, capital_yuan, "
    "negative_list_ok, contact, stage, reject_reason, registered_on, version, created_at, updated_at, updated_by "
    "FROM financing_demands";
constexpr const char* kInsertDemand =
    "INSERT INTO financing_demands (project_id, kind, amount_yuan, year_need_yuan, term_years, purpose, guarantee, "
    "repayment, capital_yuan, negative_list_ok, contact, stage, reject_reason, registered_on, version, created_at, "
    "updated_at, updated_by) VALUES (:p, :k, :a, :y, :t, :pu, :g, :r, :c, :n, :co, :s, :rr, :ro, 1, :ca, :ua, :ub) "
    "RETURNING id";
constexpr const char* kUpdateDemand =
    "UPDATE financing_demands SET kind = :k, amount_yuan = :a, year_need_yuan = :y, term_years = :t, purpose = :pu, "
    "guarantee = :g, repayment = :r, capital_yuan = :c, negative_list_ok = :n, contact = :co, stage = :s, "
    "reject_reason = :rr, version = version + 1, updated_at = :ua, updated_by = :ub WHERE id = :id AND version = :v";
constexpr const char* kPushColumns =
    "SELECT id, demand_id, bank, pushed_on, answer, answer_note, credit_yuan, credit_on, contract_yuan, contract_on, "
    "answered_at, answered_by, version FROM financing_pushes";
constexpr const char* kInsertPush =
    "INSERT INTO financing_pushes (demand_id, bank, pushed_on, answer, answer_note, credit_yuan, credit_on, "
    "contract_yuan, contract_on, answered_at, answered_by, version) VALUES (:d, :b, :p, :a, :an, :cr, :cro, :ct, :cto, "
    ":aa, :ab, 1) RETURNING id";
constexpr const char* kUpdatePush =
    "UPDATE financing_pushes SET answer = :a, answer_note = :an, credit_yuan = :cr, credit_on = :cro, "
    "contract_yuan = :ct, contract_on = :cto, answered_at = :aa, answered_by = :ab, version = version + 1 "
    "WHERE id = :id AND version = :v";
constexpr const char* kCountPush = "SELECT COUNT(*) FROM financing_pushes WHERE demand_id = :d AND bank = :b";
constexpr const char* kDisbColumns =
    "SELECT d.id, d.push_id, d.on_date, d.amount_yuan FROM financing_disbursements d JOIN financing_pushes p "
    "ON p.id = d.push_id";
constexpr const char* kInsertDisb =
    "INSERT INTO financing_disbursements (push_id, on_date, amount_yuan, created_at, created_by) VALUES (:p, :o, :a, :c, :b)";
constexpr const char* kInsertEvent =
    "INSERT INTO financing_events (demand_id, at, on_date, by_login, action, bank, from_stage, to_stage, note, data) "
    "VALUES (:d, :at, :on, :by, :a, :b, :f, :t, :n, :x)";
constexpr const char* kSelectEvents =
    "SELECT id, demand_id, at, on_date, by_login, action, bank, from_stage, to_stage, note, data FROM financing_events "
    "WHERE demand_id = :d ORDER BY id";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kSameDemand =
    "SELECT COUNT(*) FROM financing_demands WHERE project_id = :p AND kind = :k AND amount_yuan = :a AND registered_on = :r";
constexpr const char* kLastEvent = "SELECT COALESCE(MAX(id), 0) FROM financing_events";
constexpr const char* kTouchedSince = "SELECT DISTINCT demand_id FROM financing_events WHERE id > :a";

const Status kChanged = {ErrorCode::kConflict, "融资需求已被他人修改，请刷新后重试 (the demand was changed by someone else)"};

std::optional<Date> DateOf(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

// Demands matching `where` (on financing_demands), with their pushes and disbursements.
std::vector<FinancingDemand> Select(soci::session& sql, const std::string& where) {
  std::vector<FinancingDemand> out;
  std::map<int64_t, size_t> at;
  {
    long long id = 0, project = 0, amount = 0, need = 0, capital = 0, term = 0, neg = 0, version = 0;
    std::string kind, purpose, guarantee, repayment, contact, stage, reason, registered, ca, ua, ub;
    soci::statement st = (sql.prepare << std::string(kDemandColumns) + where + " ORDER BY id", soci::into(id),
                          soci::into(project), soci::into(kind), soci::into(amount), soci::into(need), soci::into(term),
                          soci::into(purpose), soci::into(guarantee), soci::into(repayment), soci::into(capital),
                          soci::into(neg), soci::into(contact), soci::into(stage), soci::into(reason),
                          soci::into(registered), soci::into(version), soci::into(ca), soci::into(ua), soci::into(ub));
    st.execute(false);
    while (st.fetch()) {
      FinancingDemand d;
      d.id = id;
      d.project_id = project;
      d.kind = kind;
      d.amount = Money{amount};
      d.year_need = Money{need};
      d.term_years = static_cast<int>(term);
      d.purpose = purpose;
      d.guarantee = guarantee;
      d.repayment = repayment;
      d.capital = Money{capital};
      d.negative_list_ok = neg != 0;
      d.contact = contact;
      d.stage = ParseFinancingStage(stage).value_or(FinancingStage::kRegistered);
      d.reject_reason = reason;
      if (auto r = ParseDate(registered); r.ok()) d.registered_on = *r;
      d.version = static_cast<int>(version);
      d.created_at = ca;
      d.updated_at = ua;
      d.updated_by = ub;
      at[d.id] = out.size();
      out.push_back(std::move(d));
    }
  }
  if (out.empty()) return out;
  const std::string in_demands = " WHERE demand_id IN (SELECT id FROM financing_demands" + where + ")";
  std::map<int64_t, std::pair<size_t, size_t>> push_at;
  {
    long long id = 0, demand = 0, credit = 0, contract = 0, version = 0;
    std::string bank, pushed, answer, note, credit_on, contract_on, aa, ab;
    soci::indicator ci = soci::i_ok, coi = soci::i_ok, ti = soci::i_ok, toi = soci::i_ok, aai = soci::i_ok;
    soci::statement st = (sql.prepare << std::string(kPushColumns) + in_demands + " ORDER BY demand_id, id",
                          soci::into(id), soci::into(demand), soci::into(bank), soci::into(pushed), soci::into(answer),
                          soci::into(note), soci::into(credit, ci), soci::into(credit_on, coi), soci::into(contract, ti),
                          soci::into(contract_on, toi), soci::into(aa, aai), soci::into(ab), soci::into(version));
    st.execute(false);
    while (st.fetch()) {
      auto it = at.find(demand);
      if (it == at.end()) continue;
      BankPush p;
      p.id = id;
      p.demand_id = demand;
      p.bank = bank;
      if (auto d = ParseDate(pushed); d.ok()) p.pushed_on = *d;
      p.answer = answer;
      p.answer_note = note;
      if (ci == soci::i_ok) p.credit = Money{credit};
      p.credit_on = DateOf(credit_on, coi);
      if (ti == soci::i_ok) p.contract = Money{contract};
      p.contract_on = DateOf(contract_on, toi);
      p.answered_at = aai == soci::i_ok ? aa : "";
      p.answered_by = ab;
      p.version = static_cast<int>(version);
      auto& pushes = out[it->second].pushes;
      push_at[p.id] = {it->second, pushes.size()};
      pushes.push_back(std::move(p));
    }
  }
  {
    long long id = 0, push = 0, amount = 0;
    std::string on;
    soci::statement st = (sql.prepare << std::string(kDisbColumns) + " WHERE p.demand_id IN (SELECT id FROM financing_demands" +
                                             where + ") ORDER BY d.push_id, d.on_date, d.id",
                          soci::into(id), soci::into(push), soci::into(on), soci::into(amount));
    st.execute(false);
    while (st.fetch()) {
      auto it = push_at.find(push);
      if (it == push_at.end()) continue;
      Disbursement d;
      d.id = id;
      if (auto x = ParseDate(on); x.ok()) d.on = *x;
      d.amount = Money{amount};
      out[it->second.first].pushes[it->second.second].disbursements.push_back(d);
    }
  }
  return out;
}

void InsertEvent(soci::session& sql, const FinancingEvent& e) {
  long long d = e.demand_id;
  std::string on = e.on.ToString();
  sql << kInsertEvent, soci::use(d), soci::use(e.at), soci::use(on), soci::use(e.by), soci::use(e.action),
      soci::use(e.bank), soci::use(e.from_stage), soci::use(e.to_stage), soci::use(e.note), soci::use(e.data);
}

std::string Snapshot(const FinancingDemand& d) {
  boost::json::array pushes;
  for (const BankPush& p : d.pushes) {
    pushes.emplace_back(boost::json::object{{"bank", p.bank},
                                            {"answer", p.answer},
                                            {"credit_yuan", p.credit ? boost::json::value(p.credit->yuan) : nullptr},
                                            {"contract_yuan", p.contract ? boost::json::value(p.contract->yuan) : nullptr},
                                            {"disbursements", p.disbursements.size()}});
  }
  return boost::json::serialize(boost::json::object{{"project_id", d.project_id},
                                                    {"kind", d.kind},
                                                    {"amount_yuan", d.amount.yuan},
                                                    {"year_need_yuan", d.year_need.yuan},
                                                    {"stage", FinancingStageName(d.stage)},
                                                    {"pushes", std::move(pushes)}});
}

int64_t InsertDemandRow(soci::session& sql, const FinancingDemand& d, const std::string& at, const std::string& by) {
  long long pid = d.project_id, amount = d.amount.yuan, need = d.year_need.yuan, capital = d.capital.yuan, id = 0;
  int term = d.term_years, neg = d.negative_list_ok ? 1 : 0;
  std::string stage = FinancingStageName(d.stage), registered = d.registered_on.ToString();
  sql << kInsertDemand, soci::use(pid), soci::use(d.kind), soci::use(amount), soci::use(need), soci::use(term),
      soci::use(d.purpose), soci::use(d.guarantee), soci::use(d.repayment), soci::use(capital), soci::use(neg),
      soci::use(d.contact), soci::use(stage), soci::use(d.reject_reason), soci::use(registered), soci::use(at),
      soci::use(at), soci::use(by), soci::into(id);
  return id;
}

// Binds a push's answer columns (shared by insert and update).
struct PushValues {
  long long credit = 0, contract = 0;
  std::string credit_on, contract_on, answered_at;
  soci::indicator ci, coi, ti, toi, aai;
  explicit PushValues(const BankPush& p)
      : credit(p.credit ? p.credit->yuan : 0),
        contract(p.contract ? p.contract->yuan : 0),
        credit_on(p.credit_on ? p.credit_on->ToString() : ""),
        contract_on(p.contract_on ? p.contract_on->ToString() : ""),
        answered_at(p.answered_at),
        ci(p.credit ? soci::i_ok : soci::i_null),
        coi(p.credit_on ? soci::i_ok : soci::i_null),
        ti(p.contract ? soci::i_ok : soci::i_null),
        toi(p.contract_on ? soci::i_ok : soci::i_null),
        aai(p.answered_at.empty() ? soci::i_null : soci::i_ok) {}
};

Status WritePushes(soci::session& sql, int64_t demand_id, const FinancingDemand& after, const std::string& at,
                   const std::string& by) {
  for (const BankPush& p : after.pushes) {
    PushValues v(p);
    long long push_id = p.id;
    if (p.id == 0) {
      long long d = demand_id, exists = 0;
      sql << kCountPush, soci::use(d), soci::use(p.bank), soci::into(exists);
      if (exists) return Status(ErrorCode::kAlreadyExists, "已推送给该银行 (already pushed to this bank): " + p.bank, "banks");
      std::string pushed = p.pushed_on.ToString();
      sql << kInsertPush, soci::use(d), soci::use(p.bank), soci::use(pushed), soci::use(p.answer), soci::use(p.answer_note),
          soci::use(v.credit, v.ci), soci::use(v.credit_on, v.coi), soci::use(v.contract, v.ti),
          soci::use(v.contract_on, v.toi), soci::use(v.answered_at, v.aai), soci::use(p.answered_by), soci::into(push_id);
    } else if (p.version > 0) {
      long long ver = p.version;
      soci::statement st = (sql.prepare << kUpdatePush, soci::use(p.answer), soci::use(p.answer_note),
                            soci::use(v.credit, v.ci), soci::use(v.credit_on, v.coi), soci::use(v.contract, v.ti),
                            soci::use(v.contract_on, v.toi), soci::use(v.answered_at, v.aai), soci::use(p.answered_by),
                            soci::use(push_id), soci::use(ver));
      st.execute(true);
      if (st.get_affected_rows() != 1) return kChanged;
    }
    for (const Disbursement& x : p.disbursements) {
      if (x.id != 0) continue;
      long long amount = x.amount.yuan;
      std::string on = x.on.ToString();
      sql << kInsertDisb, soci::use(push_id), soci::use(on), soci::use(amount), soci::use(at), soci::use(by);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<FinancingDemand> FinancingStore::Insert(const FinancingDemand& d, FinancingEvent e, const Actor& by) {
  FinancingDemand out = d;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = d.project_id, live = 0;
    sql << kLiveProject, soci::use(pid), soci::into(live);
    if (live == 0) return Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id");
    const std::string at = NowIso();
    out.id = InsertDemandRow(sql, d, at, by.login);
    out.pushes.clear();
    e.demand_id = out.id;
    e.at = at;
    InsertEvent(sql, e);
    out = Select(sql, " WHERE id = " + std::to_string(out.id)).front();
    w.Audit(by, e.action, "financing", std::to_string(out.id), std::nullopt, Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<FinancingDemand> FinancingStore::Get(int64_t id) {
  std::vector<FinancingDemand> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = Select(sql, " WHERE id = " + std::to_string(id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound("没有该融资需求 (no such financing demand)");
  return out.front();
}

Result<FinancingDemand> FinancingStore::Save(const FinancingDemand& after, std::vector<FinancingEvent> events,
                                             const Actor& by) {
  FinancingDemand out = after;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = Select(sql, " WHERE id = " + std::to_string(after.id));
    if (before.empty()) return NotFound("没有该融资需求 (no such financing demand)");
    if (before.front().version != after.version) return kChanged;
    const std::string at = NowIso();
    long long id = after.id, ver = after.version, amount = after.amount.yuan, need = after.year_need.yuan,
              capital = after.capital.yuan;
    int term = after.term_years, neg = after.negative_list_ok ? 1 : 0;
    std::string stage = FinancingStageName(after.stage);
    soci::statement st = (sql.prepare << kUpdateDemand, soci::use(after.kind), soci::use(amount), soci::use(need),
                          soci::use(term), soci::use(after.purpose), soci::use(after.guarantee),
                          soci::use(after.repayment), soci::use(capital), soci::use(neg), soci::use(after.contact),
                          soci::use(stage), soci::use(after.reject_reason), soci::use(at), soci::use(by.login),
                          soci::use(id), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return kChanged;
    if (Status ws = WritePushes(sql, after.id, after, at, by.login); !ws.ok()) return ws;
    for (FinancingEvent& e : events) {
      e.demand_id = after.id;
      e.at = at;
      InsertEvent(sql, e);
    }
    out = Select(sql, " WHERE id = " + std::to_string(after.id)).front();
    w.Audit(by, events.empty() ? "update" : events.front().action, "financing", std::to_string(after.id),
            Snapshot(before.front()), Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<int64_t>> FinancingStore::InsertAll(const std::vector<FinancingDemand>& rows, const Actor& by,
                                                       bool skip_existing) {
  std::vector<int64_t> ids;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    ids.clear();  // a retried transaction starts again
    const std::string at = NowIso();
    for (const FinancingDemand& d : rows) {
      long long pid = d.project_id, live = 0;
      sql << kLiveProject, soci::use(pid), soci::into(live);
      if (live == 0) return Status(ErrorCode::kNotFound, "没有该项目 (no such project)", "project_id");
      if (skip_existing) {
        long long amount = d.amount.yuan, same = 0;
        std::string registered = d.registered_on.ToString();
        sql << kSameDemand, soci::use(pid), soci::use(d.kind), soci::use(amount), soci::use(registered), soci::into(same);
        if (same > 0) continue;
      }
      const int64_t id = InsertDemandRow(sql, d, at, by.login);
      FinancingDemand fresh = d;
      for (BankPush& p : fresh.pushes) {
        p.id = 0;
        for (Disbursement& x : p.disbursements) x.id = 0;
      }
      if (Status ws = WritePushes(sql, id, fresh, at, by.login); !ws.ok()) return ws;
      FinancingEvent e;
      e.demand_id = id;
      e.at = at;
      e.on = d.registered_on;
      e.by = by.login;
      e.action = "import";
      e.to_stage = FinancingStageName(d.stage);
      InsertEvent(sql, e);
      w.Audit(by, "import", "financing", std::to_string(id), std::nullopt, Snapshot(d));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

Result<std::vector<FinancingEvent>> FinancingStore::Events(int64_t demand_id) {
  std::vector<FinancingEvent> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long d = demand_id, id = 0, dd = 0;
    std::string at, on, by, action, bank, from, to, note, data;
    soci::statement st = (sql.prepare << kSelectEvents, soci::use(d), soci::into(id), soci::into(dd), soci::into(at),
                          soci::into(on), soci::into(by), soci::into(action), soci::into(bank), soci::into(from),
                          soci::into(to), soci::into(note), soci::into(data));
    st.execute(false);
    while (st.fetch()) {
      FinancingEvent e;
      e.id = id;
      e.demand_id = dd;
      e.at = at;
      if (auto x = ParseDate(on); x.ok()) e.on = *x;
      e.by = by;
      e.action = action;
      e.bank = bank;
      e.from_stage = from;
      e.to_stage = to;
      e.note = note;
      e.data = data;
      out.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> FinancingStore::LastEventId() {
  long long last = 0;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    sql << kLastEvent, soci::into(last);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(last);
}

Result<std::vector<FinancingDemand>> FinancingStore::LoadSince(int64_t after, int64_t* last) {
  std::vector<FinancingDemand> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long l = 0;
    sql << kLastEvent, soci::into(l);
    *last = l;
    if (after <= 0) {
      out = Select(sql, "");
      return Status::Ok();
    }
    std::vector<long long> ids;
    long long a = after, id = 0;
    soci::statement st = (sql.prepare << kTouchedSince, soci::use(a), soci::into(id));
    st.execute(false);
    while (st.fetch()) ids.push_back(id);
    for (size_t i = 0; i < ids.size(); i += 500) {
      std::string in;
      for (size_t j = i; j < std::min(ids.size(), i + 500); ++j) in += (in.empty() ? "" : ",") + std::to_string(ids[j]);
      auto part = Select(sql, " WHERE id IN (" + in + ")");
      out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
