#include "core/link_states.hpp"

#include "core/name_table.hpp"

namespace tether::core {
namespace {

constexpr auto kRelayStates = name_table(std::pair{RelayState::disabled, "disabled"},
                                         std::pair{RelayState::connecting, "connecting"},
                                         std::pair{RelayState::connected, "connected"});
constexpr auto kPairingStates = name_table(std::pair{PairingState::open, "open"}, std::pair{PairingState::confirming, "confirming"},
                                           std::pair{PairingState::paired, "paired"}, std::pair{PairingState::declined, "declined"},
                                           std::pair{PairingState::expired, "expired"});

}  // namespace

std::string_view to_string(RelayState state) { return kRelayStates.name(state); }
std::optional<RelayState> parse_relay_state(std::string_view name) { return kRelayStates.find(name); }
std::string_view to_string(PairingState state) { return kPairingStates.name(state); }
std::optional<PairingState> parse_pairing_state(std::string_view name) { return kPairingStates.find(name); }

}  // namespace tether::core
