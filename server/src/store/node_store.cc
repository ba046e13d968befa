#include "store/node_store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kSelectTemplates =
    "SELECT id, name, nodes, version, updated_at, updated_by FROM node_templates ORDER BY id";
constexpr const char* kInsertTemplate =
    "INSERT INTO node_templates (name, nodes, version, updated_at, updated_by) VALUES (:n, :j, 1, :a, :b) RETURNING id";
constexpr const char* kUpdateTemplate =
    "UPDATE node_templates SET name = :n, nodes = :j, version = version + 1, updated_at = :a, updated_by = :b "
    "WHERE id = :id AND version = :v";
constexpr const char* kDeleteTemplate = "DELETE FROM node_templates WHERE id = :id AND version = :v";
constexpr const char* kCountTemplateName = "SELECT COUNT(*) FROM node_templates WHERE name = :n AND id <> :id";
constexpr const char* kSelectSeeded = "SELECT value FROM settings WHERE key = 'node_templates_seeded'";
constexpr const char* kInsertSeeded = "INSERT INTO settings (key, value) VALUES ('node_templates_seeded', '1')";

constexpr const char* kNodeColumns =
    "SELECT n.id, n.project_id, n.seq, n.name, n.planned_date, n.actual_date, n.unit, n.person, n.note, n.version, "
    "n.updated_at, n.updated_by FROM project_nodes n";
constexpr const char* kInsertNode =
    "INSERT INTO project_nodes (project_id, seq, name, planned_date, actual_date, unit, person, note, version, "
    "updated_at, updated_by) VALUES (:p, :s, :n, :pd, :ad, :u, :pe, :no, 1, :a, :b) RETURNING id";
constexpr const char* kUpdateNode =
    "UPDATE project_nodes SET seq = :s, name = :n, planned_date = :pd, actual_date = :ad, unit = :u, person = :pe, "
    "note = :no, version = version + 1, updated_at = :a, updated_by = :b WHERE id = :id AND version = :v";
constexpr const char* kDeleteNode = "DELETE FROM project_nodes WHERE id = :id AND version = :v";
constexpr const char* kMaxSeq = "SELECT COALESCE(MAX(seq), 0) FROM project_nodes WHERE project_id = :p";
constexpr const char* kCountNodeName =
    "SELECT COUNT(*) FROM project_nodes WHERE project_id = :p AND name = :n AND id <> :id";
constexpr const char* kLiveProject = "SELECT COUNT(*) FROM projects WHERE id = :id AND deleted = 0";
constexpr const char* kLiveCodes = "SELECT id, code FROM projects WHERE deleted = 0";
constexpr const char* kNodeDates =
    "SELECT n.project_id, n.seq, n.name, n.planned_date, n.actual_date, n.unit, n.person FROM project_nodes n "
    "JOIN projects p ON p.id = n.project_id WHERE p.deleted = 0";

const Status kChanged = {ErrorCode::kConflict, "节点已被他人修改，请刷新后重试 (the node was changed by someone else)"};

std::optional<Date> DateOf(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

// Binds one node row's columns (kNodeColumns) by reference.
struct NodeBinder {
  long long id = 0, project_id = 0, seq = 0, version = 0;
  std::string name, planned, actual, unit, person, note, at, by;
  soci::indicator pi = soci::i_ok, ai = soci::i_ok;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(project_id));
    st.exchange(soci::into(seq));
    st.exchange(soci::into(name));
    st.exchange(soci::into(planned, pi));
    st.exchange(soci::into(actual, ai));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(person));
    st.exchange(soci::into(note));
    st.exchange(soci::into(version));
    st.exchange(soci::into(at));
    st.exchange(soci::into(by));
  }
  ProjectNode Get() const {
    ProjectNode n;
    n.id = id;
    n.project_id = project_id;
    n.seq = static_cast<int>(seq);
    n.name = name;
    n.planned = DateOf(planned, pi);
    n.actual = DateOf(actual, ai);
    n.unit = unit;
    n.person = person;
    n.note = note;
    n.version = static_cast<int>(version);
    n.updated_at = at;
    n.updated_by = by;
    return n;
  }
};

std::vector<ProjectNode> SelectNodes(soci::session& sql, const std::string& where) {
  std::vector<ProjectNode> out;
  NodeBinder b;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kNodeColumns) + where + " ORDER BY n.project_id, n.seq, n.id");
  b.Bind(st);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) out.push_back(b.Get());
  return out;
}

std::optional<ProjectNode> SelectNode(soci::session& sql, int64_t id) {
  auto rows = SelectNodes(sql, " WHERE n.id = " + std::to_string(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

boost::json::value DateJson(const std::optional<Date>& d) {
  return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
}

std::string Snapshot(const ProjectNode& n) {
  return boost::json::serialize(boost::json::object{{"project_id", n.project_id},
                                                    {"seq", n.seq},
                                                    {"name", n.name},
                                                    {"planned", DateJson(n.planned)},
                                                    {"actual", DateJson(n.actual)},
                                                    {"unit", n.unit},
                                                    {"person", n.person},
                                                    {"note", n.note}});
}

// The project-history row of a node change: {"节点": name, "<field>": [before, after] …}; only the
// fields that changed. Empty when nothing did.
std::string HistoryChanges(const ProjectNode* before, const ProjectNode* after) {
  boost::json::object o;
  const ProjectNode& named = after ? *after : *before;
  o["节点"] = named.name;
  bool any = false;
  auto field = [&](const char* label, boost::json::value b, boost::json::value a) {
    if (b == a) return;
    o[label] = boost::json::array{std::move(b), std::move(a)};
    any = true;
  };
  auto text = [](const ProjectNode* n, const std::string ProjectNode::*f) {
    return n ? boost::json::value(n->*f) : boost::json::value(nullptr);
  };
  auto date = [](const ProjectNode* n, const std::optional<Date> ProjectNode::*f) {
    return n ? DateJson(n->*f) : boost::json::value(nullptr);
  };
  field("名称", text(before, &ProjectNode::name), text(after, &ProjectNode::name));
  field("序号", before ? boost::json::value(before->seq) : nullptr, after ? boost::json::value(after->seq) : nullptr);
  field("计划完成日期", date(before, &ProjectNode::planned), date(after, &ProjectNode::planned));
  field("实际完成日期", date(before, &ProjectNode::actual), date(after, &ProjectNode::actual));
  field("责任单位", text(before, &ProjectNode::unit), text(after, &ProjectNode::unit));
  field("责任人", text(before, &ProjectNode::person), text(after, &ProjectNode::person));
  field("备注", text(before, &ProjectNode::note), text(after, &ProjectNode::note));
  return any ? boost::json::serialize(o) : "";
}

// Inserts a node; returns its id. REQUIRES: inside a write.
int64_t InsertNode(soci::session& sql, const ProjectNode& n, const std::string& at, const Actor& by) {
  long long pid = n.project_id, id = 0;
  int seq = n.seq;
  std::string planned = n.planned ? n.planned->ToString() : "", actual = n.actual ? n.actual->ToString() : "";
  soci::indicator pi = n.planned ? soci::i_ok : soci::i_null, ai = n.actual ? soci::i_ok : soci::i_null;
  sql << kInsertNode, soci::use(pid), soci::use(seq), soci::use(n.name), soci::use(planned, pi), soci::use(actual, ai),
      soci::use(n.unit), soci::use(n.person), soci::use(n.note), soci::use(at), soci::use(by.login), soci::into(id);
  return id;
}

// Updates a node at its version; false when the version moved. REQUIRES: inside a write.
bool UpdateNodeRow(soci::session& sql, const ProjectNode& n, const std::string& at, const Actor& by) {
  long long id = n.id, ver = n.version;
  int seq = n.seq;
  std::string planned = n.planned ? n.planned->ToString() : "", actual = n.actual ? n.actual->ToString() : "";
  soci::indicator pi = n.planned ? soci::i_ok : soci::i_null, ai = n.actual ? soci::i_ok : soci::i_null;
  soci::statement st = (sql.prepare << kUpdateNode, soci::use(seq), soci::use(n.name), soci::use(planned, pi),
                        soci::use(actual, ai), soci::use(n.unit), soci::use(n.person), soci::use(n.note), soci::use(at),
                        soci::use(by.login), soci::use(id), soci::use(ver));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::string TemplateNodesJson(const NodeTemplate& t) {
  boost::json::array a;
  for (const auto& n : t.nodes) a.emplace_back(n);
  return boost::json::serialize(a);
}

std::string TemplateSnapshot(const NodeTemplate& t) {
  return boost::json::serialize(boost::json::object{{"name", t.name}, {"nodes", boost::json::parse(TemplateNodesJson(t))}});
}

std::vector<NodeTemplate> SelectTemplates(soci::session& sql) {
  std::vector<NodeTemplate> out;
  long long id = 0, version = 0;
  std::string name, nodes, at, by;
  soci::statement st = (sql.prepare << kSelectTemplates, soci::into(id), soci::into(name), soci::into(nodes),
                        soci::into(version), soci::into(at), soci::into(by));
  st.execute(false);
  while (st.fetch()) {
    NodeTemplate t;
    t.id = id;
    t.name = name;
    t.version = static_cast<int>(version);
    t.updated_at = at;
    t.updated_by = by;
    boost::system::error_code ec;
    auto v = boost::json::parse(nodes, ec);
    if (!ec && v.is_array()) {
      for (const auto& e : v.as_array()) {
        if (e.is_string()) t.nodes.emplace_back(e.as_string());
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool NameTaken(soci::session& sql, const std::string& name, int64_t except_id) {
  long long n = 0, id = except_id;
  sql << kCountTemplateName, soci::use(name), soci::use(id), soci::into(n);
  return n > 0;
}

}  // namespace

void LoadNodeDates(soci::session& sql, const std::string& project_in, std::vector<ProjectNode>& out) {
  std::string q = kNodeDates;
  if (!project_in.empty()) q += " AND n.project_id IN (" + project_in + ")";
  long long pid = 0, seq = 0;
  std::string name, planned, actual, unit, person;
  soci::indicator pi = soci::i_ok, ai = soci::i_ok;
  soci::statement st = (sql.prepare << q, soci::into(pid), soci::into(seq), soci::into(name), soci::into(planned, pi),
                        soci::into(actual, ai), soci::into(unit), soci::into(person));
  st.execute(false);
  while (st.fetch()) {
    ProjectNode n;
    n.project_id = pid;
    n.seq = static_cast<int>(seq);
    n.name = name;
    n.planned = DateOf(planned, pi);
    n.actual = DateOf(actual, ai);
    n.unit = unit;
    n.person = person;
    out.push_back(std::move(n));
  }
}

Result<std::vector<NodeTemplate>> NodeStore::ListTemplates() {
  std::vector<NodeTemplate> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectTemplates(sql);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<NodeTemplate> NodeStore::CreateTemplate(const NodeTemplate& t, const Actor& by) {
  NodeTemplate out = t;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    if (NameTaken(sql, t.name, 0)) {
      return Status(ErrorCode::kAlreadyExists, "已有同名模板 (a template of that name exists): " + t.name, "name");
    }
    std::string json = TemplateNodesJson(t), at = NowIso();
    long long id = 0;
    sql << kInsertTemplate, soci::use(t.name), soci::use(json), soci::use(at), soci::use(by.login), soci::into(id);
    out.id = id;
    out.version = 1;
    out.updated_at = at;
    out.updated_by = by.login;
    w.Audit(by, "create", "node_template", std::to_string(id), std::nullopt, TemplateSnapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<NodeTemplate> NodeStore::UpdateTemplate(const NodeTemplate& t, const Actor& by) {
  NodeTemplate out = t;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    std::optional<NodeTemplate> before;
    for (auto& e : SelectTemplates(sql)) {
      if (e.id == t.id) before = e;
    }
    if (!before) return NotFound("没有该模板 (no such template)");
    if (NameTaken(sql, t.name, t.id)) {
      return Status(ErrorCode::kAlreadyExists, "已有同名模板 (a template of that name exists): " + t.name, "name");
    }
    std::string json = TemplateNodesJson(t), at = NowIso();
    long long id = t.id, ver = t.version;
    soci::statement st = (sql.prepare << kUpdateTemplate, soci::use(t.name), soci::use(json), soci::use(at),
                          soci::use(by.login), soci::use(id), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Status(ErrorCode::kConflict, "模板已被他人修改，请刷新后重试 (the template changed)");
    out.version = t.version + 1;
    out.updated_at = at;
    out.updated_by = by.login;
    w.Audit(by, "update", "node_template", std::to_string(id), TemplateSnapshot(*before), TemplateSnapshot(out));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status NodeStore::DeleteTemplate(int64_t id, int version, const Actor& by) {
  return db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    std::optional<NodeTemplate> before;
    for (auto& e : SelectTemplates(sql)) {
      if (e.id == id) before = e;
    }
    if (!before) return NotFound("没有该模板 (no such template)");
    long long tid = id, ver = version;
    soci::statement st = (sql.prepare << kDeleteTemplate, soci::use(tid), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Status(ErrorCode::kConflict, "模板已被他人修改，请刷新后重试 (the template changed)");
    w.Audit(by, "delete", "node_template", std::to_string(id), TemplateSnapshot(*before), std::nullopt);
    return Status::Ok();
  });
}

Status NodeStore::SeedTemplates(const std::vector<NodeTemplate>& defaults) {
  bool seeded = false;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    std::string v;
    sql << kSelectSeeded, soci::into(v);
    seeded = sql.got_data();
    return Status::Ok();
  });
  if (!s.ok() || seeded) return s;
  return db_.Write([&](soci::session& sql, WriteScope&) -> Status {
    std::string v;
    sql << kSelectSeeded, soci::into(v);
    if (sql.got_data()) return Status::Ok();  // another process seeded meanwhile
    const std::string at = NowIso(), system = "system";
    for (const NodeTemplate& t : defaults) {
      if (NameTaken(sql, t.name, 0)) continue;
      std::string json = TemplateNodesJson(t);
      long long id = 0;
      sql << kInsertTemplate, soci::use(t.name), soci::use(json), soci::use(at), soci::use(system), soci::into(id);
    }
    sql << kInsertSeeded;
    return Status::Ok();
  });
}

Result<std::vector<ProjectNode>> NodeStore::ListNodes(int64_t project_id) {
  std::vector<ProjectNode> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectNodes(sql, " WHERE n.project_id = " + std::to_string(project_id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ProjectNode>> NodeStore::ListNodesOf(const std::vector<int64_t>& project_ids) {
  std::vector<ProjectNode> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    if (project_ids.empty()) {
      out = SelectNodes(sql, " JOIN projects p ON p.id = n.project_id WHERE p.deleted = 0");
      return Status::Ok();
    }
    constexpr size_t kChunk = 500;
    for (size_t from = 0; from < project_ids.size(); from += kChunk) {
      std::string in;
      for (size_t i = from; i < std::min(project_ids.size(), from + kChunk); ++i) {
        in += (in.empty() ? "" : ",") + std::to_string(project_ids[i]);
      }
      auto part = SelectNodes(sql, " WHERE n.project_id IN (" + in + ")");
      out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ProjectNode> NodeStore::GetNode(int64_t id) {
  std::optional<ProjectNode> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    out = SelectNode(sql, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!out) return NotFound("没有该节点 (no such node)");
  return *out;
}

Result<ProjectNode> NodeStore::CreateNode(const ProjectNode& n, const Actor& by) {
  ProjectNode out = n;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    long long pid = n.project_id, live = 0, exists = 0, none = 0;
    sql << kLiveProject, soci::use(pid), soci::into(live);
    if (live == 0) return NotFound("没有该项目 (no such project)");
    sql << kCountNodeName, soci::use(pid), soci::use(n.name), soci::use(none), soci::into(exists);
    if (exists) return Status(ErrorCode::kAlreadyExists, "该项目已有同名节点 (the project has a node of that name): " + n.name, "name");
    if (out.seq <= 0) {
      long long max = 0;
      sql << kMaxSeq, soci::use(pid), soci::into(max);
      out.seq = static_cast<int>(max) + 1;
    }
    out.updated_at = NowIso();
    out.updated_by = by.login;
    out.version = 1;
    out.id = InsertNode(sql, out, out.updated_at, by);
    w.History(n.project_id, by, "node", HistoryChanges(nullptr, &out));
    w.Audit(by, "create", "node", std::to_string(out.id), std::nullopt, Snapshot(out));
    w.Changed(n.project_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ProjectNode> NodeStore::UpdateNode(const ProjectNode& n, const std::string& action, const Actor& by) {
  ProjectNode out = n;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = SelectNode(sql, n.id);
    if (!before || before->project_id != n.project_id) return NotFound("没有该节点 (no such node)");
    if (before->version != n.version) return kChanged;
    long long pid = n.project_id, exists = 0, id = n.id;
    sql << kCountNodeName, soci::use(pid), soci::use(n.name), soci::use(id), soci::into(exists);
    if (exists) return Status(ErrorCode::kAlreadyExists, "该项目已有同名节点 (the project has a node of that name): " + n.name, "name");
    out.updated_at = NowIso();
    out.updated_by = by.login;
    if (!UpdateNodeRow(sql, out, out.updated_at, by)) return kChanged;
    out.version = n.version + 1;
    std::string changes = HistoryChanges(&*before, &out);
    if (!changes.empty()) w.History(n.project_id, by, "node", changes);
    w.Audit(by, action, "node", std::to_string(n.id), Snapshot(*before), Snapshot(out));
    w.Changed(n.project_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status NodeStore::DeleteNode(int64_t id, int version, const Actor& by) {
  return db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    auto before = SelectNode(sql, id);
    if (!before) return NotFound("没有该节点 (no such node)");
    long long nid = id, ver = version;
    soci::statement st = (sql.prepare << kDeleteNode, soci::use(nid), soci::use(ver));
    st.execute(true);
    if (st.get_affected_rows() != 1) return kChanged;
    w.History(before->project_id, by, "node", HistoryChanges(&*before, nullptr));
    w.Audit(by, "delete", "node", std::to_string(id), Snapshot(*before), std::nullopt);
    w.Changed(before->project_id);
    return Status::Ok();
  });
}

Result<int> NodeStore::AddNodes(const std::vector<ProjectNode>& nodes, const Actor& by) {
  int added = 0;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    std::map<int64_t, std::vector<ProjectNode>> existing;
    const std::string at = NowIso();
    for (const ProjectNode& n : nodes) {
      auto it = existing.find(n.project_id);
      if (it == existing.end()) {
        long long pid = n.project_id, live = 0;
        sql << kLiveProject, soci::use(pid), soci::into(live);
        if (live == 0) return NotFound("没有该项目 (no such project): " + std::to_string(n.project_id));
        it = existing.emplace(n.project_id, SelectNodes(sql, " WHERE n.project_id = " + std::to_string(pid))).first;
      }
      auto& list = it->second;
      if (std::any_of(list.begin(), list.end(), [&](const ProjectNode& e) { return e.name == n.name; })) continue;
      ProjectNode row = n;
      int max = 0;
      for (const auto& e : list) max = std::max(max, e.seq);
      row.seq = max + 1;
      row.updated_by = by.login;
      row.updated_at = at;
      row.id = InsertNode(sql, row, at, by);
      list.push_back(row);
      w.History(row.project_id, by, "node", HistoryChanges(nullptr, &row));
      w.Audit(by, "create", "node", std::to_string(row.id), std::nullopt, Snapshot(row));
      w.Changed(row.project_id);
      ++added;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return added;
}

Result<NodeImportSummary> NodeStore::ImportNodes(const std::vector<NodeImportRow>& rows, const Actor& by) {
  NodeImportSummary summary;
  Status s = db_.Write([&](soci::session& sql, WriteScope& w) -> Status {
    std::unordered_map<std::string, int64_t> ids;
    {
      long long id = 0;
      std::string code;
      soci::statement st = (sql.prepare << kLiveCodes, soci::into(id), soci::into(code));
      st.execute(false);
      while (st.fetch()) ids[code] = id;
    }
    // The file's rows per project, in file order.
    std::map<int64_t, std::vector<const NodeImportRow*>> by_project;
    std::vector<int64_t> order;
    for (const NodeImportRow& r : rows) {
      auto it = ids.find(r.project_code);
      if (it == ids.end()) {
        return InvalidArgument("第 " + std::to_string(r.line) + " 行：未知的项目编码「" + r.project_code + "」 (unknown project code)",
                               "项目编码");
      }
      if (!by_project.count(it->second)) order.push_back(it->second);
      by_project[it->second].push_back(&r);
    }
    const std::string at = NowIso();
    summary.rows = static_cast<int>(rows.size());
    for (int64_t pid : order) {
      std::vector<ProjectNode> existing = SelectNodes(sql, " WHERE n.project_id = " + std::to_string(pid));
      const auto& file = by_project[pid];
      // Order: the 序号 given; else nodes already there keep theirs and new ones follow in the file's order.
      std::vector<ProjectNode> result;
      std::vector<bool> seen(existing.size(), false);
      int next = 0;
      for (const ProjectNode& e : existing) next = std::max(next, e.seq);
      for (const NodeImportRow* r : file) {
        ProjectNode n;
        auto e = std::find_if(existing.begin(), existing.end(), [&](const ProjectNode& x) { return x.name == r->node.name; });
        if (e != existing.end()) {
          seen[e - existing.begin()] = true;
          n = *e;
        } else {
          n.project_id = pid;
          n.name = r->node.name;
          n.seq = ++next;
        }
        if (r->has_planned) n.planned = r->node.planned;
        if (r->has_actual) n.actual = r->node.actual;
        if (r->has_unit) n.unit = r->node.unit;
        if (r->has_person) n.person = r->node.person;
        if (r->has_note) n.note = r->node.note;
        if (r->has_seq) n.seq = r->node.seq;
        result.push_back(std::move(n));
      }
      for (size_t i = 0; i < existing.size(); ++i) {
        if (!seen[i]) result.push_back(existing[i]);
      }
      bool touched = false;
      for (ProjectNode& n : result) {
        auto e = std::find_if(existing.begin(), existing.end(), [&](const ProjectNode& x) { return x.id == n.id && n.id; });
        if (e == existing.end()) {
          n.id = InsertNode(sql, n, at, by);
          n.updated_at = at;
          n.updated_by = by.login;
          w.History(pid, by, "node", HistoryChanges(nullptr, &n));
          w.Audit(by, "import", "node", std::to_string(n.id), std::nullopt, Snapshot(n));
          ++summary.created;
          touched = true;
          continue;
        }
        std::string changes = HistoryChanges(&*e, &n);
        const bool in_file = std::any_of(file.begin(), file.end(), [&](const NodeImportRow* r) { return r->node.name == n.name; });
        if (changes.empty()) {
          if (in_file) ++summary.unchanged;
          continue;
        }
        if (!UpdateNodeRow(sql, n, at, by)) return kChanged;
        w.History(pid, by, "node", changes);
        if (in_file) {
          w.Audit(by, "import", "node", std::to_string(n.id), Snapshot(*e), Snapshot(n));
          ++summary.updated;
        }
        touched = true;
      }
      if (touched) {
        w.Changed(pid);
        summary.projects.push_back(pid);
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return summary;
}

}  // namespace kp::store
