#pragma once
// The wall chart (作战图) as a print-ready workbook: one row per project, one column per node
// (planned and actual dates), each cell filled with the node's state colour, projects grouped by
// level with a subtotal row per group — the bureau's paper chart, as of a date.
#include <string>

#include "common/status.h"
#include "domain/milestones.h"

namespace kp {

// REQUIRES: path ends in .xlsx (the PDF is not made yet: refused with a clear error).
Status ExportWallChart(Milestones& milestones, const stats::WarningQuery& q, const std::string& path);

}  // namespace kp
