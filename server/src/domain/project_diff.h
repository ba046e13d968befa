#pragma once
#include <string>

#include "domain/model.h"

namespace kp {

// The changed fields between two versions of a project as a JSON object
// {"field": [before, after], ...}; money in 万元 text, dates as YYYY-MM-DD. `before` null means
// a creation (every non-empty field), `after` null a deletion. Empty string when nothing changed.
std::string ProjectChangesJson(const Project* before, const Project* after);
// Every field of a project as a JSON object (for the audit log's before/after).
std::string ProjectSnapshotJson(const Project& p);

}  // namespace kp
