#pragma once
// The 预警 list as a print-ready workbook: one row per project (the list of /api/warnings, its colour
// filter applied), the colour cell filled, the warnings' sentences in one cell, the rule thresholds in
// the subtitle, and a 合计 row with the colour counts (of every counted project).
#include <string>

#include "common/status.h"
#include "domain/milestones.h"

namespace kp {

// REQUIRES: path ends with .xlsx (else kInvalidArgument naming `output`).
Status ExportWarnings(Milestones& milestones, const stats::WarningQuery& q, const std::string& path);

}  // namespace kp
