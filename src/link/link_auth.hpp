// Proving a daemon id to the relay: the daemon signs the relay's fresh challenge
// (make_hello); the relay checks the answer against the nonce it sent (verify_hello).
#pragma once

#include <span>
#include <string>

#include "core/result.hpp"
#include "crypto/identity.hpp"
#include "link/wire.hpp"

namespace tether::link {

Hello make_hello(const crypto::Identity& identity, std::span<const std::uint8_t> nonce);

// The daemon id (the canonical base64url public key) when the signature is valid for
// this nonce. Error codes: "bad_daemon_id", "bad_signature".
core::Result<std::string> verify_hello(const Hello& hello, std::span<const std::uint8_t> nonce);

}  // namespace tether::link
