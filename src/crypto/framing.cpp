#include "crypto/framing.hpp"

#include <algorithm>
#include <utility>

namespace tether::crypto {

std::vector<core::Bytes> split_message(std::span<const std::uint8_t> message) {
  const auto total = static_cast<std::uint32_t>(message.size());
  std::vector<core::Bytes> chunks;
  chunks.reserve(message.size() / (kMaxChunk - kContinuationHeaderSize) + 1);
  std::size_t offset = 0;
  do {
    const bool first = offset == 0;
    const std::size_t header = first ? kFirstHeaderSize : kContinuationHeaderSize;
    const std::size_t take = std::min(kMaxChunk - header, message.size() - offset);
    core::Bytes chunk;
    chunk.reserve(header + take);
    chunk.push_back(first ? kChunkFirst : kChunkContinuation);
    if (first) {
      for (int shift = 24; shift >= 0; shift -= 8) chunk.push_back(static_cast<std::uint8_t>(total >> shift));
    }
    const auto from = message.begin() + static_cast<std::ptrdiff_t>(offset);
    chunk.insert(chunk.end(), from, from + static_cast<std::ptrdiff_t>(take));
    chunks.push_back(std::move(chunk));
    offset += take;
  } while (offset < message.size());
  return chunks;
}

core::Error Reassembler::fail(core::Errc code, std::string message) {
  dead_ = true;
  pending_ = false;
  buffer_ = {};
  return core::make_error(code, std::move(message));
}

core::Result<std::optional<core::Bytes>> Reassembler::push(std::span<const std::uint8_t> chunk) {
  if (dead_) return core::make_error(core::Errc::dead, "the reassembler failed before");
  if (chunk.empty()) return fail(core::Errc::malformed, "an empty chunk has no header");
  if (chunk.size() > kMaxChunk) return fail(core::Errc::malformed, "a chunk is larger than a Noise message");
  std::span<const std::uint8_t> data;
  if (chunk[0] == kChunkFirst) {
    if (pending_) return fail(core::Errc::malformed, "a new message started before the previous one ended");
    if (chunk.size() < kFirstHeaderSize) return fail(core::Errc::malformed, "the first chunk is shorter than its header");
    std::size_t length = 0;
    for (std::size_t i = 1; i < kFirstHeaderSize; ++i) length = (length << 8) | chunk[i];
    if (length > max_message_) return fail(core::Errc::too_large, "the announced message is larger than the maximum");
    expected_ = length;
    buffer_.clear();
    buffer_.reserve(length);
    pending_ = true;
    data = chunk.subspan(kFirstHeaderSize);
  } else if (chunk[0] == kChunkContinuation) {
    if (!pending_) return fail(core::Errc::malformed, "a continuation chunk without a message in progress");
    data = chunk.subspan(kContinuationHeaderSize);
    if (data.empty()) return fail(core::Errc::malformed, "a continuation chunk carries no data");
  } else {
    return fail(core::Errc::malformed, "unknown chunk flags");
  }
  if (data.size() > expected_ - buffer_.size()) return fail(core::Errc::malformed, "the chunk exceeds the announced length");
  buffer_.insert(buffer_.end(), data.begin(), data.end());
  if (buffer_.size() < expected_) return std::optional<core::Bytes>{};
  pending_ = false;
  return std::optional<core::Bytes>(std::exchange(buffer_, {}));
}

}  // namespace tether::crypto
