// The daemon's JSON-RPC method table, one file per group of methods:
// daemon.* (daemon_methods.cpp), device.* and audit.* (device_methods.cpp),
// pair.* (pairing_methods.cpp), session.* (session_methods.cpp), approval.* and rule.*
// (approval_methods.cpp).
#pragma once

#include <vector>

#include "daemon/daemon_state.hpp"
#include "proto/dispatcher.hpp"

namespace tether::daemon {

std::vector<proto::Method> daemon_methods(DaemonState& state);
std::vector<proto::Method> device_methods(DaemonState& state);
std::vector<proto::Method> pairing_methods(DaemonState& state);
std::vector<proto::Method> session_methods(DaemonState& state);
std::vector<proto::Method> approval_methods(DaemonState& state);

// The whole table.
std::vector<proto::Method> all_methods(DaemonState& state);

}  // namespace tether::daemon
