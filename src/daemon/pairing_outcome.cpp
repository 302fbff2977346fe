#include "daemon/pairing_outcome.hpp"

#include <boost/json/object.hpp>

#include "daemon/device_role.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::daemon {

void apply_pairing_outcome(const Settled& settled, LiveConnections& connections) {
  if (settled.state == core::PairingState::declined) {
    connections.revoke_device(settled.device_id);
  } else if (settled.state == core::PairingState::paired) {
    connections.set_device_role(settled.device_id, device_role(settled.mode).value_or(proto::Role::read_only));
    connections.push_device(settled.device_id,
                            proto::make_notification("pair.changed", boost::json::object{{"state", "paired"}, {"mode", settled.mode}}));
  }
}

}  // namespace tether::daemon
