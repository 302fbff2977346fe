// Chunk framing: round trips at the edges and every malformed chunk the peer could send.
#include <gtest/gtest.h>

#include "crypto/framing.hpp"

namespace tether::crypto {
namespace {

core::Bytes pattern_bytes(std::size_t size) {
  core::Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 31 + (i >> 16));
  return out;
}

core::Bytes first(std::uint32_t length, std::initializer_list<std::uint8_t> data = {}) {
  core::Bytes out{kChunkFirst, static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
                  static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  out.insert(out.end(), data);
  return out;
}

class FramingRoundTrip : public ::testing::TestWithParam<std::size_t> {};

TEST_P(FramingRoundTrip, SplitsFullChunksAndReassembles) {
  const std::size_t size = GetParam();
  const auto message = pattern_bytes(size);
  const auto chunks = split_message(message);
  const std::size_t expected_chunks = size <= 65514 ? 1 : 1 + (size - 65514 + 65517) / 65518;
  ASSERT_EQ(chunks.size(), expected_chunks);
  Reassembler reassembler;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    ASSERT_LE(chunks[i].size(), kMaxChunk);
    if (i + 1 < chunks.size()) EXPECT_EQ(chunks[i].size(), kMaxChunk) << "chunk " << i << " is not full";
    EXPECT_EQ(chunks[i][0], i == 0 ? kChunkFirst : kChunkContinuation);
    auto r = reassembler.push(chunks[i]);
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(r->has_value(), i + 1 == chunks.size());
    if (r->has_value()) EXPECT_EQ(**r, message);
  }
  EXPECT_FALSE(reassembler.pending());
}

INSTANTIATE_TEST_SUITE_P(Sizes, FramingRoundTrip,
                         ::testing::Values(0, 1, 65514, 65515, 65514 + 65518, 65514 + 65518 + 1, 1 << 20,
                                           kDefaultMaxMessage));

TEST(Framing, EmptyMessageIsOneHeaderOnlyChunk) {
  const auto chunks = split_message({});
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0], first(0));
  EXPECT_EQ(split_message(core::Bytes{7})[0], first(1, {7}));
}

TEST(Framing, ReassemblerHandlesMessagesBackToBack) {
  Reassembler r;
  for (std::size_t size : {3u, 0u, 70000u, 5u}) {
    const auto message = pattern_bytes(size);
    std::optional<core::Bytes> got;
    for (const auto& chunk : split_message(message)) got = r.push(chunk).value();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, message);
  }
}

TEST(Framing, SenderMayUseSmallerChunks) {
  Reassembler r;
  EXPECT_FALSE(r.push(first(3, {1}))->has_value());
  EXPECT_FALSE(r.push(core::Bytes{kChunkContinuation, 2})->has_value());
  EXPECT_EQ(r.push(core::Bytes{kChunkContinuation, 3})->value(), (core::Bytes{1, 2, 3}));
}

struct Malformed {
  const char* name;
  std::vector<core::Bytes> chunks;  // the last one is the bad one
  core::Errc code;
};

void PrintTo(const Malformed& m, std::ostream* os) { *os << m.name; }

class FramingMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(FramingMalformed, KillsTheReassembler) {
  Reassembler r(1 << 20);
  const auto& chunks = GetParam().chunks;
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) ASSERT_TRUE(r.push(chunks[i])) << i;
  auto bad = r.push(chunks.back());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, GetParam().code);
  EXPECT_TRUE(r.dead());
  EXPECT_EQ(r.push(first(1, {1})).error().code, core::Errc::dead);  // even a good chunk, from then on
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FramingMalformed,
    ::testing::Values(
        Malformed{"empty_chunk", {core::Bytes{}}, core::Errc::malformed},
        Malformed{"unknown_flags", {core::Bytes{0x02, 0, 0, 0, 0}}, core::Errc::malformed},
        Malformed{"flags_ff", {core::Bytes{0xff}}, core::Errc::malformed},
        Malformed{"first_header_1", {core::Bytes{kChunkFirst}}, core::Errc::malformed},
        Malformed{"first_header_4", {core::Bytes{kChunkFirst, 0, 0, 0}}, core::Errc::malformed},
        Malformed{"continuation_without_first", {core::Bytes{kChunkContinuation, 1}}, core::Errc::malformed},
        Malformed{"continuation_after_complete", {first(1, {1}), core::Bytes{kChunkContinuation, 1}}, core::Errc::malformed},
        Malformed{"empty_continuation", {first(2, {1}), core::Bytes{kChunkContinuation}}, core::Errc::malformed},
        Malformed{"first_while_pending", {first(2, {1}), first(1, {1})}, core::Errc::malformed},
        Malformed{"first_exceeds_length", {first(1, {1, 2})}, core::Errc::malformed},
        Malformed{"continuation_exceeds_length", {first(2, {1}), core::Bytes{kChunkContinuation, 2, 3}}, core::Errc::malformed},
        Malformed{"chunk_over_noise_size", {core::Bytes(kMaxChunk + 1, kChunkContinuation)}, core::Errc::malformed},
        Malformed{"announce_over_maximum", {first((1 << 20) + 1)}, core::Errc::too_large},
        Malformed{"announce_4_gib", {first(0xffffffff)}, core::Errc::too_large}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Framing, MaximumIsConfigurable) {
  Reassembler small(10);
  EXPECT_TRUE(small.push(first(10, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}))->has_value());
  EXPECT_EQ(small.push(first(11)).error().code, core::Errc::too_large);
  Reassembler standard;
  EXPECT_EQ(standard.max_message(), std::size_t{16} << 20);
  EXPECT_FALSE(standard.push(first(16u << 20))->has_value());
  Reassembler over;
  EXPECT_EQ(over.push(first((16u << 20) + 1)).error().code, core::Errc::too_large);
}

}  // namespace
}  // namespace tether::crypto
