// WsFrameReader and the frame writers: masked client frames of every length form,
// fragments, control frames between fragments, input split at every byte, and each way
// a hostile or broken peer can break RFC 6455 (reserved bits, unmasked, unknown opcodes,
// long or fragmented control frames, non-minimal lengths, oversized messages announced
// by their header, bad close codes, bad UTF-8), plus the handshake's accept key.
#include "net/ws_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::net {
namespace {

using Kind = WsInput::Kind;

// A client frame: masked with a fixed key, length in the form RFC 6455 asks for unless
// `long_form` forces the 64-bit one.
std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true, bool mask = true,
                         std::uint8_t rsv = 0, bool long_form = false) {
  std::string f;
  f.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode));
  const std::uint8_t m = mask ? 0x80 : 0;
  const std::uint64_t n = payload.size();
  if (n < 126 && !long_form) {
    f.push_back(static_cast<char>(m | n));
  } else if (n <= 0xFFFF && !long_form) {
    f.push_back(static_cast<char>(m | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n));
  } else {
    f.push_back(static_cast<char>(m | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>(n >> (8 * i)));
  }
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (mask) f.append(reinterpret_cast<const char*>(key), 4);
  std::string body(payload);
  if (mask) ws_unmask(body.data(), body.size(), key);
  return f + body;
}

// Everything the reader finds in `bytes`, fed whole; stops after an error.
std::vector<WsInput> read_all(WsFrameReader& r, std::string_view bytes, std::size_t* left = nullptr) {
  std::vector<WsInput> out;
  std::size_t off = 0;
  for (;;) {
    std::size_t used = 0;
    WsInput in = r.next(bytes.substr(off), used);
    off += used;
    if (in.kind == Kind::need_more) break;
    const bool error = in.kind == Kind::error;
    if (in.kind != Kind::fragment) out.push_back(std::move(in));
    if (error) break;
  }
  if (left) *left = bytes.size() - off;
  return out;
}

WsInput only(WsFrameReader& r, std::string_view bytes) {
  auto all = read_all(r, bytes);
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? WsInput{} : all.front();
}

void expect_error(std::string_view bytes, std::uint16_t code, WsEndCause cause = WsEndCause::protocol_error,
                  std::size_t max = 1 << 20) {
  WsFrameReader r(max);
  WsInput in = only(r, bytes);
  EXPECT_EQ(in.kind, Kind::error) << in.data;
  EXPECT_EQ(in.code, code) << in.data;
  EXPECT_EQ(in.cause, cause);
  EXPECT_FALSE(in.data.empty());
}

TEST(WsFrameReader, ReadsBinaryAndTextMessagesOfEveryLengthForm) {
  for (std::size_t n : {0u, 1u, 125u, 126u, 1000u, 65535u, 65536u, 200000u}) {
    std::string payload(n, '\0');
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<char>(i * 7);
    WsFrameReader r(1 << 20);
    WsInput in = only(r, client_frame(2, payload));
    EXPECT_EQ(in.kind, Kind::message);
    EXPECT_TRUE(in.binary);
    EXPECT_EQ(in.data, payload) << n;
  }
  WsFrameReader r(1 << 20);
  WsInput in = only(r, client_frame(1, "héllo"));
  EXPECT_EQ(in.kind, Kind::message);
  EXPECT_FALSE(in.binary);
  EXPECT_EQ(in.data, "héllo");
}

TEST(WsFrameReader, InputSplitAtEveryByteGivesTheSameMessages) {
  const std::string stream = client_frame(2, std::string(300, 'a')) + client_frame(9, "p") +
                             client_frame(1, "one", false) + client_frame(10, "") + client_frame(0, " two") +
                             client_frame(2, "x");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    WsFrameReader r(1 << 20);
    std::size_t left = 0;
    auto first = read_all(r, std::string_view(stream).substr(0, cut), &left);
    const std::string rest = stream.substr(cut - left);
    auto second = read_all(r, rest, &left);
    EXPECT_EQ(left, 0u);
    first.insert(first.end(), second.begin(), second.end());
    ASSERT_EQ(first.size(), 5u) << cut;
    EXPECT_EQ(first[0].data, std::string(300, 'a'));
    EXPECT_EQ(first[1].kind, Kind::ping);
    EXPECT_EQ(first[1].data, "p");
    EXPECT_EQ(first[2].kind, Kind::pong);
    EXPECT_EQ(first[3].kind, Kind::message);
    EXPECT_FALSE(first[3].binary);
    EXPECT_EQ(first[3].data, "one two");
    EXPECT_EQ(first[4].data, "x");
  }
}

TEST(WsFrameReader, AnIncompleteFrameTakesNothingAndSaysHowBigItIs) {
  WsFrameReader r(1 << 20);
  const std::string f = client_frame(2, std::string(70000, 'z'));
  std::size_t used = 7;
  EXPECT_EQ(r.next(std::string_view(f).substr(0, 1), used).kind, Kind::need_more);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(r.pending_frame_size(), 0u);
  EXPECT_EQ(r.next(std::string_view(f).substr(0, 5000), used).kind, Kind::need_more);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(r.pending_frame_size(), f.size());
  EXPECT_EQ(r.next(f, used).kind, Kind::message);
  EXPECT_EQ(used, f.size());
}

TEST(WsFrameReader, CloseFramesGiveTheCodeAndReason) {
  WsFrameReader r(1 << 20);
  WsInput in = only(r, client_frame(8, std::string("\x0f\xa0", 2) + "bye"));
  EXPECT_EQ(in.kind, Kind::close);
  EXPECT_EQ(in.code, 4000);
  EXPECT_EQ(in.data, "bye");
  WsFrameReader r2(1 << 20);
  in = only(r2, client_frame(8, ""));
  EXPECT_EQ(in.kind, Kind::close);
  EXPECT_EQ(in.code, 1005);
}

TEST(WsFrameReader, BrokenFramesAreProtocolErrors) {
  expect_error(client_frame(2, "x", true, true, 4), 1002);       // RSV1 without permessage-deflate
  expect_error(client_frame(2, "x", true, false), 1002);         // unmasked
  expect_error(client_frame(3, "x"), 1002);                      // reserved data opcode
  expect_error(client_frame(11, "x"), 1002);                     // reserved control opcode
  expect_error(client_frame(9, "x", false), 1002);               // fragmented ping
  expect_error(client_frame(9, std::string(126, 'p')), 1002);    // control frame over 125 bytes
  expect_error(client_frame(0, "x"), 1002);                      // continuation with no message
  expect_error(client_frame(1, "a", false) + client_frame(2, "b"), 1002);  // new message inside one
  expect_error(client_frame(2, "short", true, true, 0, true), 1002);       // 64-bit length for 5 bytes
  std::string f = client_frame(2, std::string(10, 'x'));
  f[1] = static_cast<char>(0x80 | 126);  // 16-bit length form holding 10
  f.insert(2, std::string("\x00\x0a", 2));
  expect_error(f, 1002);
  std::string huge("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10);  // top bit of the 64-bit length
  expect_error(huge, 1002);
  expect_error(client_frame(8, "x"), 1002);                               // one-byte close payload
  expect_error(client_frame(8, std::string("\x03\xed", 2)), 1002);        // close code 1005 on the wire
  expect_error(client_frame(8, std::string("\x03\xe8\xff", 3)), 1007);    // close reason not UTF-8
  expect_error(client_frame(1, "\xc0\xaf"), 1007);                        // overlong text
  expect_error(client_frame(1, "\xed\xa0\x80"), 1007);                    // surrogate
  expect_error(client_frame(1, "\xe2\x82", false) + client_frame(0, "x"), 1007);  // cut inside a character
}

TEST(WsFrameReader, AnOversizedMessageIsRefusedFromItsHeader) {
  // Only the header is given: the reader does not wait for a payload it would refuse.
  const std::string f = client_frame(2, std::string(2000, 'x'));
  expect_error(std::string_view(f).substr(0, 8), 1009, WsEndCause::message_too_big, 1000);
  // Fragments count together.
  expect_error(client_frame(2, std::string(600, 'a'), false) + client_frame(0, std::string(600, 'b')), 1009,
               WsEndCause::message_too_big, 1000);
  WsFrameReader r(1000);
  EXPECT_EQ(only(r, client_frame(2, std::string(1000, 'k'))).kind, Kind::message);
}

TEST(WsFrameReader, ControlFramesMayComeBetweenFragments) {
  WsFrameReader r(1 << 20);
  auto all = read_all(r, client_frame(2, "ab", false) + client_frame(9, "!") + client_frame(0, "cd", false) +
                             client_frame(0, "ef"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, Kind::ping);
  EXPECT_EQ(all[1].kind, Kind::message);
  EXPECT_TRUE(all[1].binary);
  EXPECT_EQ(all[1].data, "abcdef");
}

TEST(WsFrameWriter, WritesUnmaskedFinalFramesInTheShortestLengthForm) {
  for (std::size_t n : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    append_ws_frame(out, WsOpcode::binary, std::string(n, 'q'));
    const std::size_t header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ASSERT_EQ(out.size(), header + n);
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x82);
    EXPECT_EQ(static_cast<unsigned char>(out[1]) & 0x80, 0);
    const unsigned len7 = static_cast<unsigned char>(out[1]);
    EXPECT_EQ(len7, n < 126 ? n : n <= 0xFFFF ? 126u : 127u);
  }
}

TEST(WsFrameWriter, ClosePayloadKeepsTheCodeAndCutsTheReasonAtACharacter) {
  const std::string p = ws_close_payload(4404, std::string(200, 'e') + "é");
  ASSERT_EQ(p.size(), 125u);
  EXPECT_EQ(static_cast<unsigned char>(p[0]) * 256 + static_cast<unsigned char>(p[1]), 4404);
  const std::string q = ws_close_payload(1000, std::string(122, 'a') + "é");  // é would end at byte 126
  EXPECT_EQ(q.size(), 124u);
}

TEST(WsFrameWriter, CloseCodesAPeerMaySend) {
  for (std::uint16_t ok : {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999}) EXPECT_TRUE(ws_close_code_valid(ok)) << ok;
  for (std::uint16_t bad : {0, 999, 1004, 1005, 1006, 1015, 2999, 5000}) EXPECT_FALSE(ws_close_code_valid(bad)) << bad;
}

TEST(WsHandshake, AcceptKeyIsTheOneInRfc6455) {
  EXPECT_EQ(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

}  // namespace
}  // namespace tether::net
