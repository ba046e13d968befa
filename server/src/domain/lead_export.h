#pragma once
// The 招商 lead list as a print-ready .xlsx (GET /api/leads/export, `keyproject export leads`).
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/lead_model.h"

namespace kp {

Status ExportLeadList(const std::vector<Lead>& leads, const Date& as_of, const std::string& path);

}  // namespace kp
