// What a settled pairing does to the device's live connections: a confirmed device's
// connections get its role (and are told, `pair.changed`); a declined one's are closed.
#pragma once

#include "daemon/live_connections.hpp"
#include "daemon/pairing.hpp"

namespace tether::daemon {

void apply_pairing_outcome(const Settled& settled, LiveConnections& connections);

}  // namespace tether::daemon
