// RelayState and PairingState: where the daemon's relay link and a pairing offer stand, as
// daemon.info and pair.status report them, with their one conversion to and from the wire name.
#pragma once

#include <optional>
#include <string_view>

namespace tether::core {

enum class RelayState { disabled, connecting, connected };

std::string_view to_string(RelayState state);
std::optional<RelayState> parse_relay_state(std::string_view name);

// open: waiting for a device; confirming: a device did the handshake and the SAS waits to be
// confirmed by both ends; paired: both said the codes match; declined: one end said they
// differ, or the device left or ran out of time before confirming (the device is revoked);
// expired: no device came in time.
enum class PairingState { open, confirming, paired, declined, expired };

std::string_view to_string(PairingState state);
std::optional<PairingState> parse_pairing_state(std::string_view name);

}  // namespace tether::core
