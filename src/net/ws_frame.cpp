#include "net/ws_frame.hpp"

#include <openssl/evp.h>

#include <cstring>

#include "core/encoding.hpp"
#include "core/utf8.hpp"

namespace tether::net {
namespace {

constexpr std::size_t kMaxControlPayload = 125;

WsInput failure(WsEndCause cause, std::uint16_t code, std::string why) {
  WsInput in;
  in.kind = WsInput::Kind::error;
  in.cause = cause;
  in.code = code;
  in.data = std::move(why);
  return in;
}

WsInput protocol_error(std::string why) { return failure(WsEndCause::protocol_error, 1002, std::move(why)); }

bool is_control(std::uint8_t opcode) { return opcode >= 8; }

bool known_opcode(std::uint8_t opcode) {
  return opcode <= 2 || (opcode >= 8 && opcode <= 10);
}

std::uint64_t read_be(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

bool ws_close_code_valid(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

void ws_unmask(char* data, std::size_t size, const unsigned char key[4]) {
  std::uint32_t k32;
  std::memcpy(&k32, key, 4);
  const std::uint64_t k64 = (static_cast<std::uint64_t>(k32) << 32) | k32;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    w ^= k64;
    std::memcpy(data + i, &w, 8);
  }
  for (; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i % 4]);
}

WsInput WsFrameReader::next(std::string_view bytes, std::size_t& used) {
  used = 0;
  pending_frame_ = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 2) return {};
  const bool fin = (p[0] & 0x80) != 0;
  const std::uint8_t opcode = p[0] & 0x0F;
  if ((p[0] & 0x70) != 0) return protocol_error("reserved bits set (no extension was agreed)");
  if (!known_opcode(opcode)) return protocol_error("unknown opcode");
  if ((p[1] & 0x80) == 0) return protocol_error("unmasked frame from a client");
  const std::uint8_t len7 = p[1] & 0x7F;
  if (is_control(opcode) && (!fin || len7 > kMaxControlPayload)) {
    return protocol_error("fragmented or oversized control frame");
  }
  std::size_t header = 2;
  std::uint64_t length = len7;
  if (len7 == 126) {
    header = 4;
    if (bytes.size() < header) return {};
    length = read_be(p + 2, 2);
    if (length < 126) return protocol_error("length not in its shortest form");
  } else if (len7 == 127) {
    header = 10;
    if (bytes.size() < header) return {};
    length = read_be(p + 2, 8);
    if (length >> 63) return protocol_error("length with its top bit set");
    if (length <= 0xFFFF) return protocol_error("length not in its shortest form");
  }
  if (!is_control(opcode)) {
    if (opcode == 0 && !in_message_) return protocol_error("continuation frame outside a message");
    if (opcode != 0 && in_message_) return protocol_error("new message inside a fragmented one");
    const std::uint64_t so_far = in_message_ ? fragments_.size() : 0;
    if (length > max_message_ || so_far + length > max_message_) {
      return failure(WsEndCause::message_too_big, 1009, "message too big");
    }
  }
  const std::size_t total = header + 4 + static_cast<std::size_t>(length);
  if (bytes.size() < total) {
    pending_frame_ = total;
    return {};
  }
  used = total;
  const unsigned char* key = p + header;
  std::string payload(bytes.substr(header + 4, static_cast<std::size_t>(length)));
  ws_unmask(payload.data(), payload.size(), key);

  WsInput in;
  switch (static_cast<WsOpcode>(opcode)) {
    case WsOpcode::ping:
      in.kind = WsInput::Kind::ping;
      in.data = std::move(payload);
      return in;
    case WsOpcode::pong:
      in.kind = WsInput::Kind::pong;
      return in;
    case WsOpcode::close: {
      in.kind = WsInput::Kind::close;
      if (payload.empty()) {
        in.code = 1005;
        return in;
      }
      if (payload.size() == 1) return protocol_error("close frame with a one-byte payload");
      in.code = static_cast<std::uint16_t>(read_be(reinterpret_cast<const unsigned char*>(payload.data()), 2));
      if (!ws_close_code_valid(in.code)) return protocol_error("invalid close code");
      in.data = payload.substr(2);
      if (!core::utf8_valid(in.data)) return failure(WsEndCause::protocol_error, 1007, "close reason is not UTF-8");
      return in;
    }
    case WsOpcode::continuation:
    case WsOpcode::text:
    case WsOpcode::binary:
      break;
  }
  if (opcode != 0) message_binary_ = opcode == static_cast<std::uint8_t>(WsOpcode::binary);
  if (!fin) {
    in_message_ = true;
    fragments_ += payload;
    in.kind = WsInput::Kind::fragment;
    return in;
  }
  if (in_message_) {
    fragments_ += payload;
    payload = std::move(fragments_);
    fragments_ = std::string();
    in_message_ = false;
  }
  if (!message_binary_ && !core::utf8_valid(payload)) {
    return failure(WsEndCause::protocol_error, 1007, "text message is not UTF-8");
  }
  in.kind = WsInput::Kind::message;
  in.binary = message_binary_;
  in.data = std::move(payload);
  return in;
}

void append_ws_frame(std::string& out, WsOpcode opcode, std::string_view payload) {
  unsigned char head[10];
  std::size_t n = 2;
  head[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(opcode));
  const std::uint64_t len = payload.size();
  if (len < 126) {
    head[1] = static_cast<unsigned char>(len);
  } else if (len <= 0xFFFF) {
    head[1] = 126;
    head[2] = static_cast<unsigned char>(len >> 8);
    head[3] = static_cast<unsigned char>(len);
    n = 4;
  } else {
    head[1] = 127;
    for (int i = 0; i < 8; ++i) head[2 + i] = static_cast<unsigned char>(len >> (56 - 8 * i));
    n = 10;
  }
  out.append(reinterpret_cast<const char*>(head), n);
  out.append(payload);
}

std::string ws_close_payload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(core::cut_utf8(reason, kMaxControlPayload - 2));
  return out;
}

}  // namespace tether::net

namespace tether::net {

std::string ws_accept_key(std::string_view client_key) {
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(client_key);
  input += kGuid;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr);
  // Standard base64 with padding, from the project's base64url.
  std::string out = core::base64url_encode(std::span<const std::uint8_t>(digest, size));
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

}  // namespace tether::net
