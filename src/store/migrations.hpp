// The schema, as a list of forward migrations. Version N is reached by running
// migrations 1..N in order; the version lives in PRAGMA user_version.
#pragma once

#include "core/result.hpp"
#include "store/database.hpp"

namespace tether::store {

int latest_schema_version();

// Brings `db` from its current version up to `target` (default: latest), each
// step in its own transaction. A database newer than this build is refused.
core::Result<void> migrate(Database& db, int target = -1);

}  // namespace tether::store
