#pragma once
// The wall chart (作战图) as a print-ready workbook: one row per project, one column per node
// (planned and actual dates), each cell filled with the node's state colour, projects grouped by
// level with a subtotal row per group — the bureau's paper chart, as of a date.
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/milestones.h"

namespace kp {

// The chart's content as of a date: the projects counted (colour filter applied), ordered by level
// then code, each with its nodes and their states; the node columns in the default templates' order.
struct WallChartNode {
  ProjectNode node;
  stats::NodeStatus status;
};
struct WallChartRow {
  const stats::ProjectColour* project = nullptr;  // points into result.projects
  std::vector<WallChartNode> nodes;
};
struct WallChart {
  stats::WarningResult result;  // colours and counts (all colours, even when a colour is filtered)
  stats::WarningRules rules;
  std::vector<std::string> columns;
  std::vector<WallChartRow> rows;
};
Result<WallChart> BuildWallChart(Milestones& milestones, const stats::WarningQuery& q);

// REQUIRES: path ends in .xlsx (the PDF is not made yet: refused with a clear error).
Status ExportWallChart(Milestones& milestones, const stats::WarningQuery& q, const std::string& path);

}  // namespace kp
