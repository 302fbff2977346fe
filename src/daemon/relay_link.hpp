// The daemon's outbound link to a relay: one authenticated WebSocket to /v1/daemon,
// kept up with backoff and jitter; each accept the relay sends opens a data socket
// whose frames go to a ConnectionHandler (connection_handler.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/home.hpp"
#include "core/link_states.hpp"
#include "daemon/connection_handler.hpp"
#include "core/result.hpp"
#include "crypto/identity.hpp"
#include "net/runtime.hpp"
#include "link/relay_url.hpp"

namespace tether::daemon {


struct RelayLinkSettings {
  tether::link::RelayUrl url;
  std::optional<std::filesystem::path> ca_file;
  std::chrono::steady_clock::duration backoff_max = std::chrono::seconds(30);
};

// The relay settings from $TETHER_HOME/config.json, overridden by flags; nullopt when no
// relay is configured. Error codes "bad_config" and "bad_url" (the daemon refuses to start).
core::Result<std::optional<RelayLinkSettings>> load_relay_settings(const core::HomePaths& home,
                                                                  const std::optional<std::string>& url_flag,
                                                                  const std::optional<std::string>& ca_flag,
                                                                  std::optional<double> backoff_max_flag);

struct RelayLinkStatus {
  using State = core::RelayState;
  State state = State::disabled;
  std::string url;
  std::chrono::system_clock::time_point since;  // when `state` was entered
  std::string last_error;                       // why the last attempt or link ended
  std::size_t data_connections = 0;
};

class RelayLink {
 public:
  RelayLink(net::Runtime& runtime, const crypto::Identity& identity, RelayLinkSettings settings);
  ~RelayLink();
  RelayLink(const RelayLink&) = delete;
  RelayLink& operator=(const RelayLink&) = delete;

  // Connects, and keeps connecting; every data connection the relay opens is served by
  // a handler from `handlers`.
  void start(HandlerFactory handlers);
  // Closes the link and every data connection, cancels retries; `done` runs when all have ended.
  void shutdown(std::function<void()> done);
  RelayLinkStatus status() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tether::daemon
