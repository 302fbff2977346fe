// The WebSocket close codes tether sends — the relay's, and the daemon's to a device — in
// one place (docs/protocol.md lists them). Not the codes' meaning to a peer: that is docs.
#pragma once

#include <cstdint>

namespace tether::link::close_code {

inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;          // relay shutting down; or the spliced peer vanished
inline constexpr std::uint16_t kUnsupportedData = 1003;    // a text frame on a spliced connection
inline constexpr std::uint16_t kMessageTooBig = 1009;      // a frame over --max-frame
inline constexpr std::uint16_t kRelayFull = 1013;          // link: --max-links reached (RFC 6455 "try again later")
inline constexpr std::uint16_t kBadMessage = 4400;         // link: malformed or unexpected message
inline constexpr std::uint16_t kAuthFailed = 4401;         // link: bad daemon id or signature
inline constexpr std::uint16_t kDaemonNotLinked = 4404;    // connect: no link for that daemon id
inline constexpr std::uint16_t kTimeout = 4408;            // connect: no accept in time; link: no hello in time
inline constexpr std::uint16_t kLinkReplaced = 4409;       // link: a newer link for the same daemon id
inline constexpr std::uint16_t kUnknownToken = 4410;       // accept: unknown, used or expired token
inline constexpr std::uint16_t kTooManyPending = 4429;     // connect: too many pending connects for the daemon
inline constexpr std::uint16_t kTooManyLinks = 4429;       // link: --max-links-per-ip reached for its source address

// The daemon to a device, on its data socket (relayed or direct).
inline constexpr std::uint16_t kDeviceRefused = 4401;      // unknown or revoked key, failed pairing: nothing more is said
inline constexpr std::uint16_t kDeviceRevoked = 4403;      // the device was revoked while connected
inline constexpr std::uint16_t kDaemonStopping = 4501;     // the daemon is stopping (not the relay, not the network)
inline constexpr std::uint16_t kNotServing = 4503;         // a daemon without a connection handler

}  // namespace tether::link::close_code
