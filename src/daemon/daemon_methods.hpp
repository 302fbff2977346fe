// The daemon's JSON-RPC method table, one file per group of methods:
// daemon.* (daemon_methods.cpp), device.* and audit.* (device_methods.cpp),
// pair.* (pairing_methods.cpp), session.* (session_methods.cpp), approval.* and rule.*
// (approval_methods.cpp). Each group is given the services it uses, by reference; they
// outlive the dispatcher built from the table.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "crypto/identity.hpp"
#include "crypto/key_rotation.hpp"
#include "daemon/clock.hpp"
#include "daemon/live_connections.hpp"
#include "daemon/pairing.hpp"
#include "daemon/relay_link.hpp"
#include "daemon/session_manager.hpp"
#include "proto/dispatcher.hpp"
#include "store/store.hpp"

namespace tether::daemon {

// Where a new device can reach this daemon, for pairing offers (each empty when not configured).
struct Endpoints {
  std::string relay_url;
  std::string direct_origin;
  std::string app_url;  // --app-url, without a trailing '/'; empty: the relay's or direct origin
};

// What daemon.info reports and daemon.shutdown does.
struct DaemonInfo {
  const crypto::Identity& identity;
  const core::HomePaths& home;
  std::chrono::steady_clock::time_point started;
  const RelayLink* relay = nullptr;  // null: no relay configured
  // Starts a clean stop; runs after the reply that asked for it is queued.
  std::function<void()> request_shutdown;
  const crypto::KeyRotation* rotation = nullptr;  // a key rotation under way
};

std::vector<proto::Method> daemon_methods(DaemonInfo info, Endpoints endpoints, store::Store& store,
                                          const LiveConnections& connections, const SessionManager& sessions);
std::vector<proto::Method> device_methods(store::Store& store, LiveConnections& connections, Clock now);
std::vector<proto::Method> pairing_methods(PairingService& pairing, LiveConnections& connections,
                                           const crypto::Identity& identity, Endpoints endpoints,
                                           Clock now);
std::vector<proto::Method> session_methods(SessionManager& sessions, store::Store& store, LiveConnections& connections);
std::vector<proto::Method> approval_methods(SessionManager& sessions, store::Store& store, LiveConnections& connections,
                                            Clock now);

// Everything the whole table is built from.
struct MethodServices {
  DaemonInfo info;
  Endpoints endpoints;
  store::Store& store;
  PairingService& pairing;
  LiveConnections& connections;
  SessionManager& sessions;
  Clock now;
};

std::vector<proto::Method> all_methods(const MethodServices& services);

}  // namespace tether::daemon
