#include "store/lead_store.h"

#include <boost/json.hpp>

#include <map>

#include "common/text.h"
#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kLeadColumns =
    "SELECT id, name, investor, industry, investment_yuan, land_tenth_mu, floor_m2, output_yuan, tax_yuan, contact, "
    "source, staff, stage, lead_on, talks_on, signed_on, landed_on, project_id, note, version, created_at, updated_at, "
    "updated_by FROM leads";
constexpr const char* kInsertLead =
    "INSERT INTO leads (name, investor, industry, investment_yuan, land_tenth_mu, floor_m2, output_yuan, tax_yuan, "
    "contact, source, staff, stage, lead_on, talks_on, signed_on, landed_on, project_id, note, version, created_at, "
    "updated_at, updated_by) VALUES (:n, :i, :ind, :inv, :land, :floor, :out, :tax, :c, :src, :st, :sg, :lo, :to, "
    ":so, :la, :p, :note, 1, :ca, :ua, :ub) RETURNING id";
constexpr const char* kUpdateLead =
    "UPDATE leads SET name = :n, investor = :i, industry = :ind, investment_yuan = :inv, land_tenth_mu = :land, "
    "floor_m2 = :floor, output_yuan = :out, tax_yuan = :tax, contact = :c, source = :src, staff = :st, stage = :sg, "
    "lead_on = :lo, talks_on = :to, signed_on = :so, note = :note, version = version + 1, updated_at = :ua, "
    "updated_by = :ub WHERE id = :id AND version = :v AND project_id IS NULL";
constexpr const char* kConvertLead =
    "UPDATE leads SET stage = 'landed', landed_on = :la, project_id = :p, version = version + 1, updated_at = :ua, "
    "updated_by = :ub WHERE id = :id AND version = :v AND stage = 'signed' AND project_id IS NULL";
constexpr const char* kLeadState = "SELECT stage, version, COALESCE(project_id, 0) FROM leads WHERE id = :id";
// A converted lead's project: status, dates and its 开工 / 投产 nodes (the names stats/warnings.h and
// the node templates use).
constexpr const char* kProgress =
    "SELECT l.id, p.code, p.name, p.status, p.planned_start, p.planned_end, "
    "(SELECT COUNT(*) FROM project_nodes n WHERE n.project_id = p.id AND n.name = '开工'), "
    "(SELECT MAX(n.actual_date) FROM project_nodes n WHERE n.project_id = p.id AND n.name = '开工'), "
    "(SELECT MIN(n.actual_date) FROM project_nodes n WHERE n.project_id = p.id AND n.name IN ('投产/投用', '投产')) "
    "FROM leads l JOIN projects p ON p.id = l.project_id";
constexpr const char* kInsertEvent =
    "INSERT INTO lead_events (lead_id, at, on_date, by_login, action, from_stage, to_stage, note) "
    "VALUES (:l, :at, :on, :by, :a, :f, :t, :n)";
constexpr const char* kSelectEvents =
    "SELECT id, lead_id, at, on_date, by_login, action, from_stage, to_stage, note FROM lead_events "
    "WHERE lead_id = :l ORDER BY id";
constexpr const char* kCarrierColumns =
    "SELECT id, park, kind, parcel, land_tenth_mu, floor_m2, price_yuan, industries, available, version, updated_at, "
    "updated_by FROM carriers";
constexpr const char* kInsertCarrier =
    "INSERT INTO carriers (park, kind, parcel, land_tenth_mu, floor_m2, price_yuan, industries, available, version, "
    "updated_at, updated_by) VALUES (:p, :k, :pa, :l, :f, :pr, :i, :a, 1, :ua, :ub) RETURNING id";
constexpr const char* kUpdateCarrier =
    "UPDATE carriers SET park = :p, kind = :k, parcel = :pa, land_tenth_mu = :l, floor_m2 = :f, price_yuan = :pr, "
    "industries = :i, available = :a, version = version + 1, updated_at = :ua, updated_by = :ub "
    "WHERE id = :id AND version = :v";
constexpr const char* kCarrierTaken = "SELECT COUNT(*) FROM carriers WHERE park = :p AND parcel = :pa AND id <> :id";
constexpr const char* kIndustrySeparator = "、";

std::optional<Date> DateOf(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

// An optional date bound as text or NULL.
struct OptDay {
  std::string text;
  soci::indicator ind;
  explicit OptDay(const std::optional<Date>& d) : text(d ? d->ToString() : ""), ind(d ? soci::i_ok : soci::i_null) {}
};

void AttachProgress(soci::session& sql, const std::string& where, std::vector<Lead>& leads) {
  std::map<int64_t, Lead*> by_id;
  for (Lead& l : leads) {
    if (l.project_id) by_id[l.id] = &l;
  }
  if (by_id.empty()) return;
  long long id = 0, starts = 0;
  std::string code, name, status, ps, pe, sa, pa;
  soci::indicator psi = soci::i_ok, pei = soci::i_ok, sai = soci::i_ok, pai = soci::i_ok;
  soci::statement st = (sql.prepare << std::string(kProgress) + where, soci::into(id), soci::into(code),
                        soci::into(name), soci::into(status), soci::into(ps, psi), soci::into(pe, pei),
                        soci::into(starts), soci::into(sa, sai), soci::into(pa, pai));
  st.execute(false);
  while (st.fetch()) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    ProjectProgress p;
    p.code = code;
    p.name = name;
    p.status = status;
    p.planned_start = DateOf(ps, psi);
    p.planned_end = DateOf(pe, pei);
    p.has_start_node = starts > 0;
    p.start_node_actual = DateOf(sa, sai);
    p.producing_node_actual = DateOf(pa, pai);
    it->second->project = std::move(p);
  }
}

// Leads matching `where` (on leads, prefixed " WHERE" or empty), with their projects' progress.
std::vector<Lead> Select(soci::session& sql, const std::string& where) {
  std::vector<Lead> out;
  long long id = 0, inv = 0, land = 0, floor = 0, output = 0, tax = 0, project = 0, version = 0;
  std::string name, investor, industry, contact, source, staff, stage, lo, to, so, la, note, ca, ua, ub;
  soci::indicator toi = soci::i_ok, soi = soci::i_ok, lai = soci::i_ok, pi = soci::i_ok;
  soci::statement st = (sql.prepare << std::string(kLeadColumns) + where + " ORDER BY id", soci::into(id),
                        soci::into(name), soci::into(investor), soci::into(industry), soci::into(inv), soci::into(land),
                        soci::into(floor), soci::into(output), soci::into(tax), soci::into(contact), soci::into(source),
                        soci::into(staff), soci::into(stage), soci::into(lo), soci::into(to, toi), soci::into(so, soi),
                        soci::into(la, lai), soci::into(project, pi), soci::into(note), soci::into(version),
                        soci::into(ca), soci::into(ua), soci::into(ub));
  st.execute(false);
  while (st.fetch()) {
    Lead l;
    l.id = id;
    l.name = name;
    l.investor = investor;
    l.industry = industry;
    l.investment = Money{inv};
    l.land_tenth_mu = land;
    l.floor_m2 = floor;
    l.output = Money{output};
    l.tax = Money{tax};
    l.contact = contact;
    l.source = source;
    l.staff = staff;
    l.stage = ParseLeadStage(stage).value_or(LeadStage::kLead);
    if (auto d = ParseDate(lo); d.ok()) l.lead_on = *d;
    l.talks_on = DateOf(to, toi);
    l.signed_on = DateOf(so, soi);
    l.landed_on = DateOf(la, lai);
    if (pi == soci::i_ok) l.project_id = project;
    l.note = note;
    l.version = static_cast<int>(version);
    l.created_at = ca;
    l.updated_at = ua;
    l.updated_by = ub;
    out.push_back(std::move(l));
  }
  std::string on_leads = where;
  if (!on_leads.empty()) on_leads = " WHERE l.id IN (SELECT id FROM leads" + where + ")";
  AttachProgress(sql, on_leads, out);
  return out;
}

void InsertEvent(soci::session& sql, const LeadEvent& e) {
  long long l = e.lead_id;
  std::string on = e.on.ToString();
  sql << kInsertEvent, soci::use(l), soci::use(e.at), soci::use(on), soci::use(e.by), soci::use(e.action),
      soci::use(e.from_stage), soci::use(e.to_stage), soci::use(e.note);
}

std::string Snapshot(const Lead& l) {
  return boost::json::serialize(boost::json::object{{"name", l.name},
                                                    {"investor", l.investor},
                                                    {"industry", l.industry},
                                                    {"investment_yuan", l.investment.yuan},
                                                    {"staff", l.staff},
                                                    {"stage", LeadStageName(l.stage)},
                                                    {"project_id", l.project_id ? boost::json::value(*l.project_id) : nullptr}});
}

int64_t InsertLeadRow(soci::session& sql, const Lead& l, const std::string& at, const std::string& by) {
  long long inv = l.investment.yuan, land = l.land_tenth_mu, floor = l.floor_m2, output = l.output.yuan,
            tax = l.tax.yuan, project = l.project_id.value_or(0), id = 0;
  soci::indicator pi = l.project_id ? soci::i_ok : soci::i_null;
  std::string stage = LeadStageName(l.stage), lo = l.lead_on.ToString();
  OptDay to(l.talks_on), so(l.signed_on), la(l.landed_on);
  sql << kInsertLead, soci::use(l.name), soci::use(l.investor), soci::use(l.industry), soci::use(inv), soci::use(land),
      soci::use(floor), soci::use(output), soci::use(tax), soci::use(l.contact), soci::use(l.source), soci::use(l.staff),
      soci::use(stage), soci::use(lo), soci::use(to.text, to.ind), soci::use(so.text, so.ind),
      soci::use(la.text, la.ind), soci::use(project, pi), soci::use(l.note), soci::use(at), soci::use(at), soci::use(by),
      soci::into(id);
  return id;
}

Status LeadConflict(soci::session& sql, int64_t id, int version) {
  std::string stage;
  long long current = 0, project = 0;
  long long lid = id;
  sql << kLeadState, soci::use(lid), soci::into(stage), soci::into(current), soci::into(project);
  if (!sql.got_data()) return NotFound("没有该招商线索 (no such lead)");
  const char* label = LeadStageLabel(ParseLeadStage(stage).value_or(LeadStage::kLead));
  if (project != 0) {
    return Status(ErrorCode::kConflict, std::string("该线索已转为项目，当前阶段「") + label +
                                            "」(the lead is already a project, id " + std::to_string(project) + ")");
  }
  return Status(ErrorCode::kConflict, "招商线索已被他人修改（当前版本 " + std::to_string(current) + "，您提交的版本 " +
                                          std::to_string(version) + "，当前阶段「" + label +
                                          "」），请刷新后重试 (the lead was changed by someone else)");
}

std::vector<Carrier> SelectCarriers(soci::session& sql, const std::string& where) {
  std::vector<Carrier> out;
  long long id = 0, land = 0, floor = 0, price = 0, available = 0, version = 0;
  std::string park, kind, parcel, industries, ua, ub;
  soci::statement st = (sql.prepare << std::string(kCarrierColumns) + where + " ORDER BY park, parcel, id",
                        soci::into(id), soci::into(park), soci::into(kind), soci::into(parcel), soci::into(land),
                        soci::into(floor), soci::into(price), soci::into(industries), soci::into(available),
                        soci::into(version), soci::into(ua), soci::into(ub));
  st.execute(false);
  while (st.fetch()) {
    Carrier c;
    c.id = id;
    c.park = park;
    c.kind = ParseCarrierKind(kind).value_or(CarrierKind::kLand);
    c.parcel = parcel;
    c.land_tenth_mu = land;
    c.floor_m2 = floor;
    c.price = Money{price};
    for (std::string_view rest = industries; !rest.empty();) {
      size_t at = rest.find(kIndustrySeparator);
      std::string_view one = rest.substr(0, at);
      if (!one.empty()) c.industries.emplace_back(one);
      if (at == std::string_view::npos) break;
      rest.remove_prefix(at + std::string_view(kIndustrySeparator).size());
    }
    c.available = available != 0;
    c.version = static_cast<int>(version);
    c.updated_at = ua;
    c.updated_by = ub;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<Lead> LeadStore::Insert(const Lead& l, LeadEvent e, const Actor& by) {
  Lead out = l;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    const std::string at = NowIso();
    out.id = InsertLeadRow(sql, l, at, by.login);
    e.lead_id = out.id;
    e.at = at;
    InsertEvent(sql, e);
    out = Select(sql, " WHERE id = " + std::to_string(out.id)).front();
    w.Audit(by, "create", "lead", std::to_string(out.id), std::nullopt, Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Lead> LeadStore::Get(int64_t id) {
  std::vector<Lead> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = Select(sql, " WHERE id = " + std::to_string(id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound("没有该招商线索 (no such lead)");
  return out.front();
}

Result<std::vector<Lead>> LeadStore::List(const std::string& staff) {
  std::vector<Lead> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = Select(sql, "");
    if (!staff.empty()) std::erase_if(out, [&](const Lead& l) { return l.staff != staff; });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Lead> LeadStore::Save(const Lead& after, const LeadEvent& e, const Actor& by) {
  Lead out = after;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = Select(sql, " WHERE id = " + std::to_string(after.id));
    if (before.empty()) return NotFound("没有该招商线索 (no such lead)");
    const std::string at = NowIso();
    long long id = after.id, ver = after.version, inv = after.investment.yuan, land = after.land_tenth_mu,
              floor = after.floor_m2, output = after.output.yuan, tax = after.tax.yuan;
    std::string stage = LeadStageName(after.stage), lo = after.lead_on.ToString();
    OptDay to(after.talks_on), so(after.signed_on);
    soci::statement st = (sql.prepare << kUpdateLead, soci::use(after.name), soci::use(after.investor),
                          soci::use(after.industry), soci::use(inv), soci::use(land), soci::use(floor),
                          soci::use(output), soci::use(tax), soci::use(after.contact), soci::use(after.source),
                          soci::use(after.staff), soci::use(stage), soci::use(lo), soci::use(to.text, to.ind),
                          soci::use(so.text, so.ind), soci::use(after.note), soci::use(at), soci::use(by.login),
                          soci::use(id), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return LeadConflict(sql, after.id, after.version);
    if (!e.action.empty()) {
      LeadEvent ev = e;
      ev.lead_id = after.id;
      ev.at = at;
      InsertEvent(sql, ev);
    }
    out = Select(sql, " WHERE id = " + std::to_string(after.id)).front();
    w.Audit(by, e.action.empty() ? "update" : e.action, "lead", std::to_string(after.id), Snapshot(before.front()),
            Snapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Store::ProjectHook LeadStore::ConvertHook(int64_t lead_id, int version, Date on, const Actor& by) {
  return [lead_id, version, on, by](soci::session& sql, int64_t project_id) -> Status {
    const std::string at = NowIso(), landed = on.ToString();
    long long id = lead_id, ver = version, pid = project_id;
    soci::statement st = (sql.prepare << kConvertLead, soci::use(landed), soci::use(pid), soci::use(at),
                          soci::use(by.login), soci::use(id), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return LeadConflict(sql, lead_id, version);
    LeadEvent e;
    e.lead_id = lead_id;
    e.at = at;
    e.on = on;
    e.by = by.login;
    e.action = "convert";
    e.from_stage = LeadStageName(LeadStage::kSigned);
    e.to_stage = LeadStageName(LeadStage::kLanded);
    e.note = "project " + std::to_string(project_id);
    InsertEvent(sql, e);
    return Status::Ok();
  };
}

Result<std::vector<int64_t>> LeadStore::InsertAll(const std::vector<Lead>& rows, const Actor& by) {
  std::vector<int64_t> ids;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    ids.clear();
    const std::string at = NowIso();
    for (const Lead& l : rows) {
      const int64_t id = InsertLeadRow(sql, l, at, by.login);
      LeadEvent e;
      e.lead_id = id;
      e.at = at;
      e.by = by.login;
      e.action = "import";
      const std::pair<LeadStage, std::optional<Date>> steps[] = {
          {LeadStage::kLead, l.lead_on}, {LeadStage::kTalks, l.talks_on},
          {LeadStage::kSigned, l.signed_on}, {LeadStage::kLanded, l.landed_on}};
      std::string from;
      for (const auto& [stage, day] : steps) {
        if (!day || stage > l.stage) continue;
        e.on = *day;
        e.from_stage = from;
        e.to_stage = LeadStageName(stage);
        InsertEvent(sql, e);
        from = e.to_stage;
      }
      w.Audit(by, "import", "lead", std::to_string(id), std::nullopt, Snapshot(l));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

Result<std::vector<LeadEvent>> LeadStore::Events(int64_t lead_id) {
  std::vector<LeadEvent> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    long long l = lead_id, id = 0, ll = 0;
    std::string at, on, by, action, from, to, note;
    soci::statement st = (sql.prepare << kSelectEvents, soci::use(l), soci::into(id), soci::into(ll), soci::into(at),
                          soci::into(on), soci::into(by), soci::into(action), soci::into(from), soci::into(to),
                          soci::into(note));
    st.execute(false);
    while (st.fetch()) {
      LeadEvent e;
      e.id = id;
      e.lead_id = ll;
      e.at = at;
      if (auto x = ParseDate(on); x.ok()) e.on = *x;
      e.by = by;
      e.action = action;
      e.from_stage = from;
      e.to_stage = to;
      e.note = note;
      out.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Carrier>> LeadStore::Carriers() {
  std::vector<Carrier> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectCarriers(sql, "");
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Carrier> LeadStore::GetCarrier(int64_t id) {
  std::vector<Carrier> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectCarriers(sql, " WHERE id = " + std::to_string(id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound("没有该载体 (no such carrier)");
  return out.front();
}

Result<Carrier> LeadStore::SaveCarrier(const Carrier& c, const Actor& by) {
  Carrier out = c;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long id = c.id, taken = 0;
    sql << kCarrierTaken, soci::use(c.park), soci::use(c.parcel), soci::use(id), soci::into(taken);
    if (taken > 0) {
      return Status(ErrorCode::kAlreadyExists, "该园区已有同名载体 (the park already has this parcel): " + c.park + " " + c.parcel, "parcel");
    }
    std::string kind = CarrierKindName(c.kind), industries, at = NowIso();
    for (const std::string& i : c.industries) industries += (industries.empty() ? "" : kIndustrySeparator) + i;
    long long land = c.land_tenth_mu, floor = c.floor_m2, price = c.price.yuan, available = c.available ? 1 : 0;
    std::optional<std::string> before;
    if (c.id == 0) {
      sql << kInsertCarrier, soci::use(c.park), soci::use(kind), soci::use(c.parcel), soci::use(land), soci::use(floor),
          soci::use(price), soci::use(industries), soci::use(available), soci::use(at), soci::use(by.login),
          soci::into(id);
    } else {
      auto old = SelectCarriers(sql, " WHERE id = " + std::to_string(c.id));
      if (old.empty()) return NotFound("没有该载体 (no such carrier)");
      before = old.front().park + " " + old.front().parcel;
      long long ver = c.version;
      soci::statement st = (sql.prepare << kUpdateCarrier, soci::use(c.park), soci::use(kind), soci::use(c.parcel),
                            soci::use(land), soci::use(floor), soci::use(price), soci::use(industries),
                            soci::use(available), soci::use(at), soci::use(by.login), soci::use(id), soci::use(ver));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return Status(ErrorCode::kConflict, "载体已被他人修改（当前版本 " + std::to_string(old.front().version) +
                                                "），请刷新后重试 (the carrier was changed by someone else)");
      }
    }
    out = SelectCarriers(sql, " WHERE id = " + std::to_string(id)).front();
    w.Audit(by, c.id == 0 ? "create" : "update", "carrier", std::to_string(id),
            before ? std::optional<std::string>(boost::json::serialize(boost::json::value(*before))) : std::nullopt,
            boost::json::serialize(boost::json::value(out.park + " " + out.parcel)));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
