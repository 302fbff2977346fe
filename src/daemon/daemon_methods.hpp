// The daemon.* methods of the JSON-RPC table: daemon.info, daemon.shutdown.
#pragma once

#include <vector>

#include "daemon/daemon_state.hpp"
#include "proto/dispatcher.hpp"

namespace tether::daemon {

std::vector<proto::Method> daemon_methods(DaemonState& state);

}  // namespace tether::daemon
