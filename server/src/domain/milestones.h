#pragma once
// 挂图作战: node templates, the nodes of projects, and the warning colours computed from them.
// Validates, writes through the node store under the register's write lock, and keeps the
// statistics cache (which holds node dates for the colours) in step.
// Thread-safety: every method may be called concurrently.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/import_parser.h"
#include "domain/model.h"
#include "domain/register.h"
#include "stats/stats_engine.h"
#include "stats/warnings.h"
#include "store/node_store.h"

namespace kp {

// The templates a new database starts with (PRACTICES.md §1): 前期 and 建设.
const std::vector<NodeTemplate>& DefaultNodeTemplates();

// A node with its state as of a date (never stored).
struct NodeView {
  ProjectNode node;
  stats::NodeStatus status;
};

// How a template's planned dates were spread over a project.
struct TemplateApplied {
  int projects = 0;
  int nodes_added = 0;
  std::vector<std::string> without_dates;  // codes of projects lacking planned start/end: nodes added undated
};

class Milestones {
 public:
  Milestones(store::Store& store, Register& reg) : nodes_(store.db()), store_(store), reg_(reg) {}

  // Seeds DefaultNodeTemplates() once in the database's life.
  Status EnsureTemplates();
  Result<std::vector<NodeTemplate>> Templates() { return nodes_.ListTemplates(); }
  Result<NodeTemplate> SaveTemplate(const NodeTemplate& t, const Actor& by);  // id 0 creates
  Status DeleteTemplate(int64_t id, int version, const Actor& by);
  // Adds the template's nodes each project lacks, planned dates spread evenly from the project's
  // planned start to its planned end (the last node on the end date).
  Result<TemplateApplied> ApplyTemplate(int64_t template_id, const std::vector<int64_t>& project_ids, const Actor& by);

  Result<std::vector<NodeView>> Nodes(int64_t project_id, const Date& as_of);
  Result<ProjectNode> GetNode(int64_t id) { return nodes_.GetNode(id); }
  Result<ProjectNode> CreateNode(const ProjectNode& n, const Actor& by);
  // Replaces the editable fields (name, seq, planned, unit, person, note; actual too).
  Result<ProjectNode> UpdateNode(const ProjectNode& n, const Actor& by);
  // Marks done on `actual` (not after today) with a note.
  Result<ProjectNode> CompleteNode(int64_t id, int version, const Date& actual, const std::string& note, const Actor& by);
  Result<ProjectNode> ReopenNode(int64_t id, int version, const std::string& reason, const Actor& by);
  Status DeleteNode(int64_t id, int version, const Actor& by);

  Result<ImportOutcome<NodeImportRow>> ImportNodesFile(std::string_view bytes, const Actor& by,
                                                       const ImportOptions& options = {});
  Result<NodeImportSummary> ImportNodeRows(const std::vector<NodeImportRow>& rows, const Actor& by);

  // The rules in force (settings), cached until the statistics change.
  Result<stats::WarningRules> Rules();
  Status SaveRules(const stats::WarningRules& r, const Actor& by);
  Result<stats::WarningResult> Warnings(const stats::WarningQuery& q);

  store::NodeStore& node_store() { return nodes_; }

 private:
  Status Check(const ProjectNode& n);
  Result<ProjectNode> Update(const ProjectNode& n, const std::string& action, const Actor& by);

  store::NodeStore nodes_;
  store::Store& store_;
  Register& reg_;
  std::mutex rules_mu_;
  std::optional<stats::WarningRules> rules_;
  uint64_t rules_generation_ = 0;
};

}  // namespace kp
