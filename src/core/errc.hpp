// Errc: the machine-readable error codes a core::Error carries, and their wire names.
// The names are sent as JSON-RPC error.data.code and printed in logs; each enumerator
// is spelled as its wire name. Not the JSON-RPC numeric codes (proto/jsonrpc.hpp).
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

namespace tether::core {

// The one list of codes, X(name) each, in alphabetical order.
#define TETHER_CORE_ERRC_LIST(X) \
  X(already_resolved) \
  X(already_running) \
  X(already_used) \
  X(bad_base64url) \
  X(bad_config) \
  X(bad_daemon_id) \
  X(bad_hex) \
  X(bad_key) \
  X(bad_link) \
  X(bad_listen) \
  X(bad_mac) \
  X(bad_message) \
  X(bad_response) \
  X(bad_secret) \
  X(bad_signature) \
  X(bad_url) \
  X(busy) \
  X(cancelled) \
  X(closed) \
  X(connect) \
  X(cooling_off) \
  X(corrupt) \
  X(corrupt_key) \
  X(crypto) \
  X(daemon_not_running) \
  X(dead) \
  X(eof) \
  X(exists) \
  X(forbidden) \
  X(framing) \
  X(handshake) \
  X(idle) \
  X(idle_timeout) \
  X(internal) \
  X(invalid) \
  X(invalid_params) \
  X(io) \
  X(key_in_use) \
  X(listen) \
  X(malformed) \
  X(missing_key) \
  X(noise) \
  X(nonce_exhausted) \
  X(not_found) \
  X(not_linked) \
  X(not_private) \
  X(not_running) \
  X(not_streaming) \
  X(path_too_long) \
  X(permission_denied) \
  X(provider_missing) \
  X(qr) \
  X(refused) \
  X(resolve) \
  X(revoked) \
  X(rpc_error) \
  X(schema_too_new) \
  X(spawn) \
  X(status) \
  X(stopping) \
  X(store) \
  X(timeout) \
  X(tls) \
  X(too_large) \
  X(too_many_pending) \
  X(unknown_host) \
  X(unknown_peer) \
  X(unreachable) \
  X(unsupported) \
  X(unsupported_protocol) \
  X(web_root) \
  X(wrong_length) \
  X(wrong_state)

enum class Errc {
#define TETHER_CORE_ERRC_ENUMERATOR(name) name,
  TETHER_CORE_ERRC_LIST(TETHER_CORE_ERRC_ENUMERATOR)
#undef TETHER_CORE_ERRC_ENUMERATOR
};

// The wire name of a code ("not_found" for Errc::not_found).
std::string_view to_string(Errc code);

// The code with this wire name, or nothing for a name tether does not know.
std::optional<Errc> errc_from_string(std::string_view name);

// Writes the wire name (for test output).
std::ostream& operator<<(std::ostream& os, Errc code);

}  // namespace tether::core
