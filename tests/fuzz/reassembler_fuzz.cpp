// libFuzzer: the chunk reassembler fed arbitrary chunks (first byte even), and the
// split/reassemble round trip on messages of fuzzed size (first byte odd).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/framing.hpp"

namespace {

constexpr std::size_t kMax = 256 << 10;  // keeps a fuzzed announce from allocating 16 MiB per run

// Chunks as [2-byte big-endian length][bytes], the length clamped to what is left.
void push_chunks(std::span<const std::uint8_t> in) {
  tether::crypto::Reassembler reassembler(kMax);
  while (in.size() >= 2) {
    std::size_t length = (std::size_t{in[0]} << 8) | in[1];
    in = in.subspan(2);
    length = std::min(length, in.size());
    auto result = reassembler.push(in.first(length));
    in = in.subspan(length);
    if (!result) {
      if (!reassembler.dead() || reassembler.push({}).error().code != tether::core::Errc::dead) __builtin_trap();
      return;
    }
    if (result->has_value() && (*result)->size() > kMax) __builtin_trap();
  }
}

// A message of in[0..3) mod (3 chunks + a bit) bytes: the rest of the input, repeated.
void round_trip(std::span<const std::uint8_t> in) {
  if (in.size() < 4) return;
  const std::size_t size = ((std::size_t{in[0]} << 16) | (std::size_t{in[1]} << 8) | in[2]) % (65514 + 2 * 65518 + 7);
  const auto fill = in.subspan(3);
  tether::core::Bytes message(fill.begin(), fill.end());  // fill is not empty: in.size() >= 4
  while (message.size() < size) {  // doubling, so a 200 KB message costs a few copies
    const std::size_t old = message.size();
    const std::size_t n = std::min(old, size - old);
    message.resize(old + n);
    std::copy_n(message.begin(), n, message.begin() + static_cast<std::ptrdiff_t>(old));
  }
  message.resize(size);
  tether::crypto::Reassembler reassembler(kMax);
  const auto chunks = tether::crypto::split_message(message);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (chunks[i].size() > tether::crypto::kMaxChunk) __builtin_trap();
    auto result = reassembler.push(chunks[i]);
    if (!result || result->has_value() != (i + 1 == chunks.size())) __builtin_trap();
    if (result->has_value() && **result != message) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> in(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    push_chunks(in);
  } else {
    round_trip(in);
  }
  return 0;
}
