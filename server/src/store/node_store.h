#pragma once
// SQL of milestone nodes and node templates (挂图作战), over the store's shared connection (db.h).
// Every write is one transaction with its project-history rows, audit entries and change-log rows.
// Thread-safety: as the Store (calls are serialised on the connection).
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace soci {
class session;
}

namespace kp::store {

class Db;

class NodeStore {
 public:
  explicit NodeStore(Db& db) : db_(db) {}

  Result<std::vector<NodeTemplate>> ListTemplates();
  Result<NodeTemplate> CreateTemplate(const NodeTemplate& t, const Actor& by);
  // Replaces name and nodes when t.version matches (else kConflict).
  Result<NodeTemplate> UpdateTemplate(const NodeTemplate& t, const Actor& by);
  Status DeleteTemplate(int64_t id, int version, const Actor& by);
  // Writes `defaults` once in the database's life (setting node_templates_seeded), so templates the
  // bureau deleted stay deleted.
  Status SeedTemplates(const std::vector<NodeTemplate>& defaults);

  Result<std::vector<ProjectNode>> ListNodes(int64_t project_id);
  // Nodes of these projects (every live project's when empty), by project and order.
  Result<std::vector<ProjectNode>> ListNodesOf(const std::vector<int64_t>& project_ids);
  Result<ProjectNode> GetNode(int64_t id);
  // A new node (name new in its project; seq 0 appends it).
  Result<ProjectNode> CreateNode(const ProjectNode& n, const Actor& by);
  // Replaces the node's fields when n.version matches. action names the change in the trails
  // (update, complete, reopen).
  Result<ProjectNode> UpdateNode(const ProjectNode& n, const std::string& action, const Actor& by);
  Status DeleteNode(int64_t id, int version, const Actor& by);
  // Adds, to each project, the nodes whose names it lacks (a template applied), in one transaction.
  // Returns how many were added.
  Result<int> AddNodes(const std::vector<ProjectNode>& nodes, const Actor& by);
  // Upserts by project code + node name, all or nothing; order as NodeImportRow says.
  Result<NodeImportSummary> ImportNodes(const std::vector<NodeImportRow>& rows, const Actor& by);

 private:
  Db& db_;
};

// Node names, dates, unit and person for the statistics: of live projects, or of the projects in
// `project_in` (a comma-separated id list) when not empty. REQUIRES: the connection's lock is held.
void LoadNodeDates(soci::session& sql, const std::string& project_in, std::vector<ProjectNode>& out);

}  // namespace kp::store
