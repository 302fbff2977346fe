// Loads the daemon's identity from $TETHER_HOME/daemon.key, or creates it
// atomically (0600) when absent. A loose or corrupt key file is an error and
// is never replaced.
//
// A key rotation (`tether key rotate`) keeps the identity before it in
// daemon.previous.key and the old key's signed statement in key-rotation.txt, both 0600,
// until the rotation's deadline: until then the daemon answers devices on both keys and
// tells those on the old one about the new one. Past the deadline the two files go.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>

#include "core/home.hpp"
#include "core/result.hpp"
#include "crypto/identity.hpp"
#include "crypto/key_rotation.hpp"

namespace tether::daemon {

// Error codes: "not_private", "corrupt_key", "io".
core::Result<crypto::Identity> load_or_create_identity(const std::filesystem::path& key_file);

struct Identities {
  crypto::Identity current;
  std::optional<crypto::Identity> previous;  // with `rotation`, until its deadline
  std::optional<crypto::KeyRotation> rotation;
  std::optional<crypto::KeyRotation> retired;  // a rotation whose deadline passed at this load
};

// The current identity (created when absent) and any rotation under way. A rotation whose
// files disagree with daemon.key is corrupt (error "corrupt_key"), except the one left by
// a `tether key rotate` that stopped before it replaced daemon.key: that one is dropped.
core::Result<Identities> load_identities(const core::HomePaths& home, std::chrono::system_clock::time_point now);

// Makes a new identity: the old one goes to daemon.previous.key, its signed statement to
// key-rotation.txt, the new one to daemon.key (in that order, each written atomically).
// Error "exists" while an earlier rotation is under way. The daemon must not be running.
core::Result<crypto::KeyRotation> rotate_identity(const core::HomePaths& home, std::chrono::seconds grace,
                                                  std::chrono::system_clock::time_point now);

}  // namespace tether::daemon
