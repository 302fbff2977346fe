// noise_peer: tether's IK channel on stdin/stdout, for the C++ <-> TypeScript interop test
// (tests/interop/). A test tool, not part of tether; it speaks this small script:
//
//   noise_peer initiator <own static secret hex> <responder public hex>
//   noise_peer responder <own static secret hex> [<expected initiator public hex>]
//
// Every frame either way is a 4-byte big-endian length then that many bytes (<= 65535).
// 1. Handshake: the initiator sends message 1 (payload "hello"), the responder message 2
//    (payload "welcome"). Then the peer sends one application message "sas=<6 digits>".
// 2. Each frame after that is one Noise transport message carrying one framing chunk
//    (crypto/framing.hpp). Each complete application message is [op][data]:
//      'E' echo: reply with data as one application message (split into chunks as needed);
//      'F' reply with data but flip one bit in the first frame's tag;
//      'R' reply with data, then send the last frame a second time (a replay);
//      'T' reply with data but cut the last byte off the first frame (a truncation).
// 3. Exit codes: 0 on end of input between frames ("closed" on stderr, with counts);
//    2 when the handshake fails; 3 when the channel dies ("dead <code>" on stderr): a
//    transport message failed, a chunk was malformed, a frame was too long or cut short.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/encoding.hpp"
#include "crypto/framing.hpp"
#include "crypto/identity.hpp"
#include "crypto/ik_handshake.hpp"

namespace {

using tether::core::Bytes;
namespace crypto = tether::crypto;

enum class Read { frame, eof, broken };

Read read_frame(Bytes& out) {
  unsigned char header[4];
  const std::size_t got = std::fread(header, 1, 4, stdin);
  if (got == 0) return Read::eof;
  if (got < 4) return Read::broken;
  const std::size_t length = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                             (std::size_t{header[2]} << 8) | header[3];
  if (length > crypto::CipherState::kMaxMessage) return Read::broken;
  out.resize(length);
  return std::fread(out.data(), 1, length, stdin) == length ? Read::frame : Read::broken;
}

void write_frame(const Bytes& frame) {
  const auto n = static_cast<std::uint32_t>(frame.size());
  const unsigned char header[4] = {static_cast<unsigned char>(n >> 24), static_cast<unsigned char>(n >> 16),
                                   static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
  std::fwrite(header, 1, 4, stdout);
  std::fwrite(frame.data(), 1, frame.size(), stdout);
  std::fflush(stdout);
}

int die(int code, std::string_view what) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(what.size()), what.data());
  return code;
}

std::optional<crypto::Key32> key_arg(const char* hex) {
  auto bytes = tether::core::hex_decode(hex);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  crypto::Key32 key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

// Sends one application message, tampered as the op asks.
bool send_message(crypto::Channel& channel, char op, std::span<const std::uint8_t> data) {
  std::vector<Bytes> frames;
  for (const auto& chunk : crypto::split_message(data)) {
    auto sealed = channel.encrypt(chunk);
    if (!sealed) return false;
    frames.push_back(std::move(sealed).value());
  }
  if (op == 'F') frames.front().back() ^= 0x01;
  if (op == 'T') frames.front().pop_back();
  if (op == 'R') frames.push_back(frames.back());
  for (const auto& frame : frames) write_frame(frame);
  return true;
}

tether::core::Result<crypto::Channel> handshake(crypto::IkHandshake& hs, bool initiator) {
  const std::string_view hello = "hello";
  const std::string_view welcome = "welcome";
  Bytes frame;
  if (initiator) {
    auto m1 = hs.write_message(Bytes(hello.begin(), hello.end()));
    if (!m1) return m1.error();
    write_frame(*m1);
    if (read_frame(frame) != Read::frame) return tether::core::make_error(tether::core::Errc::eof, "no handshake message 2");
    auto payload = hs.read_message(frame);
    if (!payload) return payload.error();
  } else {
    if (read_frame(frame) != Read::frame) return tether::core::make_error(tether::core::Errc::eof, "no handshake message 1");
    auto payload = hs.read_message(frame);
    if (!payload) return payload.error();
    auto m2 = hs.write_message(Bytes(welcome.begin(), welcome.end()));
    if (!m2) return m2.error();
    write_frame(*m2);
  }
  return hs.finish();
}

}  // namespace

int main(int argc, char** argv) {
  if (!crypto::init()) return die(2, "libsodium failed to start");
  const std::string_view role = argc > 1 ? argv[1] : "";
  const bool initiator = role == "initiator";
  if ((role != "initiator" && role != "responder") || argc < 3 || (initiator && argc != 4) || argc > 4) {
    return die(64, "usage: noise_peer initiator <secret hex> <responder public hex>\n"
                   "       noise_peer responder <secret hex> [<initiator public hex>]");
  }
  const auto secret = key_arg(argv[2]);
  const auto other = argc == 4 ? key_arg(argv[3]) : std::nullopt;
  if (!secret || (argc == 4 && !other)) return die(64, "keys are 32 bytes of hex");
  auto own = crypto::KeyPair::from_secret(*secret).value();

  crypto::PeerCheck expected;
  if (!initiator && other) expected = [k = *other](const crypto::Key32& peer) { return peer == k; };
  auto hs = initiator ? crypto::IkHandshake::initiator(std::move(own), *other)
                      : crypto::IkHandshake::responder(std::move(own), std::move(expected));
  if (!hs) return die(2, "handshake failed: " + std::string(tether::core::to_string(hs.error().code)));
  auto channel = handshake(*hs, initiator);
  if (!channel) return die(2, "handshake failed: " + std::string(tether::core::to_string(channel.error().code)));

  const std::string sas = "sas=" + channel->sas();
  if (!send_message(*channel, 'E', Bytes(sas.begin(), sas.end()))) return die(3, "dead encrypt");

  crypto::Reassembler reassembler;
  std::size_t received = 0;
  std::size_t sent = 0;
  Bytes frame;
  for (;;) {
    switch (read_frame(frame)) {
      case Read::eof:
        return die(0, "closed received=" + std::to_string(received) + " sent=" + std::to_string(sent));
      case Read::broken:
        return die(3, "dead broken_frame");
      case Read::frame:
        break;
    }
    auto chunk = channel->decrypt(frame);
    if (!chunk) return die(3, "dead " + std::string(tether::core::to_string(chunk.error().code)));
    auto message = reassembler.push(*chunk);
    if (!message) return die(3, "dead " + std::string(tether::core::to_string(message.error().code)));
    if (!message->has_value()) continue;
    ++received;
    const Bytes& m = **message;
    if (m.empty()) return die(3, "dead empty_command");
    if (!send_message(*channel, static_cast<char>(m[0]), std::span(m).subspan(1))) return die(3, "dead encrypt");
    ++sent;
  }
}
