// Daemons this CLI is paired with as a device: $TETHER_HOME/remotes.json (0600),
// holding each host's offer details and this CLI's device key for it.
#pragma once

#include <map>
#include <string>

#include "core/home.hpp"
#include "core/result.hpp"
#include "crypto/key_rotation.hpp"

namespace tether::cli {

struct RemoteHost {
  std::string daemon_id;
  std::string noise_key;     // base64url X25519 of the daemon
  std::string relay;         // wss://… or ""
  std::string direct;        // http://host:port or ""
  std::string device_secret; // base64url X25519 secret of this CLI's device key for that host
  std::string device_id;
  std::string mode;
  std::string relay_ca;       // CA file for a self-hosted relay, or ""
};

using RemoteHosts = std::map<std::string, RemoteHost>;

std::filesystem::path remotes_file(const core::HomePaths& home);
// An absent file is an empty map. Errors: "not_private" (loose mode), "corrupt".
core::Result<RemoteHosts> load_remote_hosts(const core::HomePaths& home);
core::Result<void> save_remote_hosts(const core::HomePaths& home, const RemoteHosts& hosts);
// The host called `name`; error "unknown_host" when there is none.
core::Result<RemoteHost> remote_host_named(const core::HomePaths& home, const std::string& name);
// The daemon `name` rotated its key (its handshake answer said so): keep its new id and
// Noise key, once the statement is checked against the id this CLI paired with.
core::Result<void> adopt_rotation(const core::HomePaths& home, const std::string& name, const crypto::KeyRotation& rotation);

}  // namespace tether::cli
