#pragma once
// Backup and restore of the whole database, while servers keep serving.
// SQLite: the online backup API (one read transaction: a consistent copy, writers go on in WAL).
// PostgreSQL: pg_dump in custom format (one snapshot) and pg_restore; the tools are taken from
// the newest /usr/lib/postgresql/*/bin, else from PATH.
#include <string>

#include "common/status.h"

namespace kp::store {

// Writes a consistent copy of the database at `url` to `file` (replaced atomically when done).
Status BackupDatabase(const std::string& url, const std::string& file);

// Restores `file` (made by BackupDatabase for the same backend) into the database at `url`, which
// must be empty: absent (SQLite), or without a row in any table (a migrated empty schema is fine).
// kConflict when it is not empty; kInvalidArgument when the file is not a backup of this backend.
Status RestoreDatabase(const std::string& file, const std::string& url);

}  // namespace kp::store
