#include "domain/milestones.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "domain/audited_setting.h"

namespace kp {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxTextBytes = 600;
constexpr size_t kMaxNoteBytes = 12000;
constexpr size_t kMaxTemplateNodes = 100;
constexpr int kMinYear = 1990, kMaxYear = 2100;

struct RuleKey {
  const char* key;
  int stats::WarningRules::*field;
};
constexpr RuleKey kRuleKeys[] = {
    {"warn_invest_yellow_points", &stats::WarningRules::invest_yellow_points},
    {"warn_invest_red_points", &stats::WarningRules::invest_red_points},
    {"warn_start_red_months", &stats::WarningRules::start_red_months},
    {"warn_node_red_days", &stats::WarningRules::node_red_days},
    {"warn_report_red_months", &stats::WarningRules::report_red_months},
    {"node_window_days", &stats::WarningRules::window_days},
};

// The rules' own keys as stored onto r (a key not stored, or not a whole number, keeps r's value).
void ReadRules(const StoredSettings& stored, stats::WarningRules& r) {
  for (const RuleKey& k : kRuleKeys) {
    auto it = stored.find(k.key);
    if (it == stored.end() || !it->second || it->second->empty()) continue;
    const std::string& v = *it->second;
    int x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec == std::errc() && p == v.data() + v.size()) r.*k.field = x;
  }
}

std::string RulesJson(const stats::WarningRules& r) {
  boost::json::object o;
  for (const RuleKey& k : kRuleKeys) o[k.key] = r.*k.field;
  return boost::json::serialize(o);
}

Status CheckDate(const std::optional<Date>& d, const char* field) {
  if (!d) return Status::Ok();
  if (!IsValidDate(*d) || d->year < kMinYear || d->year > kMaxYear) {
    return InvalidArgument("日期不存在或超出 1990-2100 (bad date): " + d->ToString(), field);
  }
  return Status::Ok();
}

}  // namespace

const std::vector<NodeTemplate>& DefaultNodeTemplates() {
  static const std::vector<NodeTemplate> kDefaults = [] {
    NodeTemplate prep;
    prep.name = "前期手续";
    prep.nodes = {"项目建议书/可研批复", "用地预审与选址", "环评批复", "节能审查", "用地批复/供地",
                  "建设工程规划许可", "施工图审查", "招标", "施工许可"};
    NodeTemplate build;
    build.name = "建设实施";
    build.nodes = {"开工", "基础完工", "主体完工/封顶", "设备安装调试", "竣工验收", "投产/投用"};
    return std::vector<NodeTemplate>{prep, build};
  }();
  return kDefaults;
}

Status Milestones::EnsureTemplates() { return nodes_.SeedTemplates(DefaultNodeTemplates()); }

Result<NodeTemplate> Milestones::SaveTemplate(const NodeTemplate& input, const Actor& by) {
  NodeTemplate t = input;
  t.name = std::string(Trim(t.name));
  if (t.name.empty()) return InvalidArgument("模板名称不能为空 (template name is required)", "name");
  if (t.name.size() > kMaxNameBytes) return InvalidArgument("模板名称过长 (template name too long)", "name");
  if (std::string why = TextProblem(t.name, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "name");
  if (t.nodes.empty()) return InvalidArgument("模板至少要有一个节点 (a template needs a node)", "nodes");
  if (t.nodes.size() > kMaxTemplateNodes) return InvalidArgument("模板节点不能超过 100 个 (too many nodes)", "nodes");
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    std::string& n = t.nodes[i];
    n = std::string(Trim(n));
    const std::string where = "第 " + std::to_string(i + 1) + " 个节点";
    if (n.empty()) return InvalidArgument(where + "名称为空 (empty node name)", "nodes");
    if (n.size() > kMaxNameBytes) return InvalidArgument(where + "名称过长 (node name too long)", "nodes");
    if (std::string why = TextProblem(n, TextShape::kSingleLine); !why.empty()) return InvalidArgument(where + "：" + why, "nodes");
    if (!seen.insert(n).second) return InvalidArgument(where + "「" + n + "」重复 (duplicate node)", "nodes");
  }
  if (t.id == 0) return nodes_.CreateTemplate(t, by);
  return nodes_.UpdateTemplate(t, by);
}

Status Milestones::DeleteTemplate(int64_t id, int version, const Actor& by) { return nodes_.DeleteTemplate(id, version, by); }

Result<TemplateApplied> Milestones::ApplyTemplate(int64_t template_id, const std::vector<int64_t>& project_ids,
                                                  const Actor& by) {
  constexpr size_t kMaxProjects = 10000;
  if (project_ids.empty()) return InvalidArgument("请选择项目 (no projects chosen)", "project_ids");
  if (project_ids.size() > kMaxProjects) return InvalidArgument("一次最多 10000 个项目 (too many projects)", "project_ids");
  auto templates = nodes_.ListTemplates();
  if (!templates.ok()) return templates.status();
  const NodeTemplate* t = nullptr;
  for (const auto& e : *templates) {
    if (e.id == template_id) t = &e;
  }
  if (!t) return Status(ErrorCode::kNotFound, "没有该模板 (no such template)", "template_id");
  TemplateApplied out;
  std::vector<ProjectNode> rows;
  for (int64_t pid : project_ids) {
    auto p = store_.GetProject(pid);
    if (!p.ok()) return Status(p.status().code(), p.status().message() + " (project " + std::to_string(pid) + ")", "project_ids");
    ++out.projects;
    const bool dated = p->planned_start && p->planned_end && *p->planned_start <= *p->planned_end;
    if (!dated) out.without_dates.push_back(p->code);
    const int k = static_cast<int>(t->nodes.size());
    for (int i = 0; i < k; ++i) {
      ProjectNode n;
      n.project_id = pid;
      n.name = t->nodes[i];
      n.unit = p->unit;
      n.person = p->person;
      if (dated) {
        const int32_t start = DayNumber(*p->planned_start), span = DayNumber(*p->planned_end) - start;
        // Node i of k falls at (i + 1)/k of the span: the last on the planned end.
        n.planned = FromDayNumber(start + static_cast<int32_t>(static_cast<int64_t>(span) * (i + 1) / k));
      }
      rows.push_back(std::move(n));
    }
  }
  int added = 0;
  Status s = reg_.WriteProjects([&](std::vector<int64_t>& touched) -> Status {
    auto n = nodes_.AddNodes(rows, by);
    if (!n.ok()) return n.status();
    added = *n;
    touched = project_ids;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  out.nodes_added = added;
  return out;
}

Result<std::vector<NodeView>> Milestones::Nodes(int64_t project_id, const Date& as_of) {
  auto rules = Rules();
  if (!rules.ok()) return rules.status();
  auto list = nodes_.ListNodes(project_id);
  if (!list.ok()) return list.status();
  std::vector<NodeView> out;
  for (ProjectNode& n : *list) {
    NodeView v;
    v.status = stats::DeriveNodeState(n.planned, n.actual, as_of, rules->window_days, rules->node_red_days);
    v.node = std::move(n);
    out.push_back(std::move(v));
  }
  return out;
}

Status Milestones::Check(const ProjectNode& n) {
  if (n.name.empty()) return InvalidArgument("节点名称不能为空 (node name is required)", "name");
  if (n.name.size() > kMaxNameBytes) return InvalidArgument("节点名称过长 (node name too long)", "name");
  if (std::string why = TextProblem(n.name, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "name");
  for (auto [value, field] : {std::pair{&n.unit, "unit"}, std::pair{&n.person, "person"}}) {
    if (value->size() > kMaxTextBytes) return InvalidArgument("内容过长 (too long)", field);
    if (std::string why = TextProblem(*value, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, field);
  }
  if (n.note.size() > kMaxNoteBytes) return InvalidArgument("备注过长 (note too long)", "note");
  if (std::string why = TextProblem(n.note, TextShape::kMultiLine); !why.empty()) return InvalidArgument(why, "note");
  if (Status s = CheckDate(n.planned, "planned"); !s.ok()) return s;
  if (Status s = CheckDate(n.actual, "actual"); !s.ok()) return s;
  if (n.actual && *n.actual > TodayBeijing()) {
    return InvalidArgument("实际完成日期不能晚于今天 (actual date in the future): " + n.actual->ToString(), "actual");
  }
  if (n.seq < 0 || n.seq > 10000) return InvalidArgument("序号应为 1-10000 (bad order)", "seq");
  return Status::Ok();
}

Result<ProjectNode> Milestones::CreateNode(const ProjectNode& input, const Actor& by) {
  ProjectNode n = input;
  n.name = std::string(Trim(n.name));
  if (Status s = Check(n); !s.ok()) return s;
  Result<ProjectNode> out = NotFound("");
  Status s = reg_.WriteProjects([&](std::vector<int64_t>& touched) -> Status {
    out = nodes_.CreateNode(n, by);
    if (!out.ok()) return out.status();
    touched.push_back(n.project_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ProjectNode> Milestones::Update(const ProjectNode& n, const std::string& action, const Actor& by) {
  if (Status s = Check(n); !s.ok()) return s;
  Result<ProjectNode> out = NotFound("");
  Status s = reg_.WriteProjects([&](std::vector<int64_t>& touched) -> Status {
    out = nodes_.UpdateNode(n, action, by);
    if (!out.ok()) return out.status();
    touched.push_back(n.project_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ProjectNode> Milestones::UpdateNode(const ProjectNode& input, const Actor& by) {
  ProjectNode n = input;
  n.name = std::string(Trim(n.name));
  return Update(n, "update", by);
}

Result<ProjectNode> Milestones::CompleteNode(int64_t id, int version, const Date& actual, const std::string& note,
                                            const Actor& by) {
  auto n = nodes_.GetNode(id);
  if (!n.ok()) return n.status();
  n->version = version;
  n->actual = actual;
  if (!note.empty()) n->note = note;
  return Update(*n, "complete", by);
}

Result<ProjectNode> Milestones::ReopenNode(int64_t id, int version, const std::string& reason, const Actor& by) {
  auto n = nodes_.GetNode(id);
  if (!n.ok()) return n.status();
  if (!n->actual) return Status(ErrorCode::kConflict, "该节点尚未完成，无需重新打开 (the node is not done)", "actual");
  n->version = version;
  n->actual.reset();
  if (!reason.empty()) n->note = reason;
  return Update(*n, "reopen", by);
}

Status Milestones::DeleteNode(int64_t id, int version, const Actor& by) {
  auto n = nodes_.GetNode(id);
  if (!n.ok()) return n.status();
  return reg_.WriteProjects([&](std::vector<int64_t>& touched) -> Status {
    if (Status s = nodes_.DeleteNode(id, version, by); !s.ok()) return s;
    touched.push_back(n->project_id);
    return Status::Ok();
  });
}

Result<ImportOutcome<NodeImportRow>> Milestones::ImportNodesFile(std::string_view bytes, const Actor& by,
                                                                 const ImportOptions& options) {
  auto codes = store_.ProjectCodes();
  if (!codes.ok()) return codes.status();
  std::unordered_set<std::string> known(codes->begin(), codes->end());
  ImportOutcome<NodeImportRow> out;
  out.parsed = ParseNodesFile(bytes, known, options.sheet);
  if (!out.ok() || options.dry_run) return out;
  auto summary = ImportNodeRows(out.parsed.rows, by);
  if (!summary.ok()) return summary.status();
  out.summary.rows = summary->rows;
  out.summary.projects_updated = static_cast<int>(summary->projects.size());
  out.node_summary = *summary;
  return out;
}

Result<NodeImportSummary> Milestones::ImportNodeRows(const std::vector<NodeImportRow>& rows, const Actor& by) {
  const Date today = TodayBeijing();
  for (const NodeImportRow& r : rows) {
    if (r.node.actual && *r.node.actual > today) {
      return InvalidArgument("第 " + std::to_string(r.line) + " 行：实际完成日期不能晚于今天 (actual date in the future)", "实际完成日期");
    }
  }
  NodeImportSummary out;
  Status s = reg_.WriteProjects([&](std::vector<int64_t>& touched) -> Status {
    auto summary = nodes_.ImportNodes(rows, by);
    if (!summary.ok()) return summary.status();
    out = *summary;
    touched = summary->projects;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<stats::WarningRules> Milestones::Rules() {
  const uint64_t gen = reg_.stats_engine().generation();
  {
    std::lock_guard lock(rules_mu_);
    if (rules_ && rules_generation_ == gen) return *rules_;
  }
  auto settings = reg_.GetSettings();
  if (!settings.ok()) return settings.status();
  stats::WarningRules r;
  r.deadline_day = settings->report_deadline_day;
  r.schedule = settings->schedule;
  StoredSettings stored;
  for (const RuleKey& k : kRuleKeys) {
    auto v = store_.GetSetting(k.key);
    if (!v.ok()) return v.status();
    stored[k.key] = *v;
  }
  ReadRules(stored, r);
  std::lock_guard lock(rules_mu_);
  rules_ = r;
  rules_generation_ = gen;
  return r;
}

Status Milestones::SaveRules(const stats::WarningRules& r, const Actor& by) {
  if (Status s = stats::ValidateWarningRules(r); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> values;
  std::vector<std::string> keys;
  for (const RuleKey& k : kRuleKeys) {
    values.emplace_back(k.key, std::to_string(r.*k.field));
    keys.emplace_back(k.key);
  }
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "warning_rules";
  return reg_.WriteProjects([&](std::vector<int64_t>&) -> Status {
    Status s = SaveAuditedSettings(store_, values, keys, RulesJson(r), e, [](const StoredSettings& stored) -> Result<std::string> {
      stats::WarningRules before;
      ReadRules(stored, before);
      return RulesJson(before);
    });
    if (!s.ok()) return s;
    reg_.stats_engine().Invalidate();
    return Status::Ok();
  });
}

Result<stats::WarningResult> Milestones::Warnings(const stats::WarningQuery& q) {
  auto rules = Rules();
  if (!rules.ok()) return rules.status();
  return reg_.stats_engine().Warnings(q, *rules);
}

}  // namespace kp
