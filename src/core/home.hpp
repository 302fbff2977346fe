// Where tether keeps its state: --home, else $TETHER_HOME, else ~/.tether,
// and the names of the files inside it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tether::core {

struct HomePaths {
  std::filesystem::path dir;
  std::filesystem::path daemon_key() const { return dir / "daemon.key"; }
  // While a key rotation is under way: the identity before it, and the signed rotation.
  std::filesystem::path previous_daemon_key() const { return dir / "daemon.previous.key"; }
  std::filesystem::path key_rotation() const { return dir / "key-rotation.txt"; }
  std::filesystem::path socket() const { return dir / "tether.sock"; }
  std::filesystem::path database() const { return dir / "tether.db"; }
  std::filesystem::path log_file() const { return dir / "daemon.log"; }
  std::filesystem::path lock_file() const { return dir / "daemon.lock"; }
};

// `flag` is the command's own --home value if given; else the one given before the command
// (`tether --home DIR status`, set_home_before_command); else $TETHER_HOME; else ~/.tether.
HomePaths resolve_home(const std::optional<std::string>& flag);

// The home with no --home at all: $TETHER_HOME, else ~/.tether.
HomePaths default_home();

// Records the --home given before the command, for resolve_home (main's parse, once).
void set_home_before_command(std::string dir);

}  // namespace tether::core
