// Chunk framing: application messages of any size up to a maximum, split into chunks that
// each fit one Noise transport message, and reassembled. Pure. Wire format: docs/protocol.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace tether::crypto {

inline constexpr std::size_t kMaxChunk = 65535 - 16;  // a Noise transport plaintext
inline constexpr std::uint8_t kChunkContinuation = 0x00;
inline constexpr std::uint8_t kChunkFirst = 0x01;  // followed by a 4-byte big-endian total length
inline constexpr std::size_t kFirstHeaderSize = 5;
inline constexpr std::size_t kContinuationHeaderSize = 1;
inline constexpr std::size_t kDefaultMaxMessage = std::size_t{16} << 20;  // 16 MiB

// Every chunk but the last is full (65514 data bytes after FIRST, 65518 after CONTINUATION).
// An empty message is one FIRST chunk with length 0. Precondition: size < 2^32.
std::vector<core::Bytes> split_message(std::span<const std::uint8_t> message);

class Reassembler {
 public:
  explicit Reassembler(std::size_t max_message = kDefaultMaxMessage) : max_message_(max_message) {}

  // A whole message when `chunk` completes one, nullopt while more chunks are due.
  // Errors: "malformed" (bad flags, unexpected FIRST or CONTINUATION, empty continuation,
  // short header, more data than announced), "too_large" (announced length over the
  // maximum). After an error the reassembler is dead and every push returns "dead".
  core::Result<std::optional<core::Bytes>> push(std::span<const std::uint8_t> chunk);

  bool dead() const { return dead_; }
  bool pending() const { return pending_; }
  std::size_t max_message() const { return max_message_; }

 private:
  core::Error fail(core::Errc code, std::string message);

  std::size_t max_message_;
  core::Bytes buffer_;
  std::size_t expected_ = 0;
  bool pending_ = false;
  bool dead_ = false;
};

}  // namespace tether::crypto
