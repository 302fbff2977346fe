// Loads the daemon's identity from $TETHER_HOME/daemon.key, or creates it
// atomically (0600) when absent. A loose or corrupt key file is an error and
// is never replaced.
#pragma once

#include <filesystem>

#include "core/result.hpp"
#include "crypto/identity.hpp"

namespace tether::daemon {

// Error codes: "not_private", "corrupt_key", "io".
core::Result<crypto::Identity> load_or_create_identity(const std::filesystem::path& key_file);

}  // namespace tether::daemon
