// What the daemon's method handlers share: identity, store, clock, and the
// hooks back into the running daemon. Built once in daemon.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "core/home.hpp"
#include "crypto/identity.hpp"
#include "daemon/device_connections.hpp"
#include "daemon/pairing.hpp"
#include "daemon/outlets.hpp"
#include "daemon/relay_link.hpp"
#include "daemon/session_manager.hpp"
#include "daemon/subscriptions.hpp"
#include "store/store.hpp"

namespace tether::daemon {

struct DaemonState {
  core::HomePaths home;
  crypto::Identity identity;
  std::unique_ptr<store::Store> store;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::function<std::size_t()> connection_count;
  std::function<void()> request_shutdown;
  std::unique_ptr<PairingService> pairing;
  DeviceConnections device_connections;
  // Where a new device should connect, for pairing offers (empty when not configured).
  std::string relay_url;
  std::string direct_origin;
  std::string app_url;  // --app-url, without a trailing '/'; empty: the relay's or direct origin
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  std::function<RelayLinkStatus()> relay_status;
  // Connections that take notifications, who follows which session, and the sessions
  // (declared in this order: destroyed in reverse).
  Outlets outlets;
  std::unique_ptr<Subscriptions> subscriptions;
  std::unique_ptr<SessionManager> sessions;
};

}  // namespace tether::daemon
