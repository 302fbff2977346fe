// RFC 6455 frames as a server endpoint sees them, pure: bytes in, one input event
// out at a time; frames out are written unmasked with FIN set. No socket here — the
// plain WebSocket session (detail/plain_ws_session.hpp) feeds it what it reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/websocket.hpp"

namespace tether::net {

enum class WsOpcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// One thing the reader found at the front of its input.
struct WsInput {
  enum class Kind {
    need_more,  // the frame at the front is incomplete: nothing consumed
    fragment,   // a non-final data frame (or continuation) was taken in: nothing to deliver yet
    message,    // a complete data message: `data`, `binary`
    ping,       // `data` is the payload to echo in a pong
    pong,
    close,  // the peer's close frame: `code` (1005 when it carried none) and `data` (the reason)
    error,  // the stream breaks RFC 6455 or the size limit: `cause`, `code` to close with, `data` says why
  };
  Kind kind = Kind::need_more;
  bool binary = false;
  std::string data;
  std::uint16_t code = 0;
  WsEndCause cause = WsEndCause::protocol_error;
};

class WsFrameReader {
 public:
  // `max_message_bytes` bounds a message's payload across all its fragments; a frame
  // that would pass it is refused from its header, before its payload is waited for.
  explicit WsFrameReader(std::size_t max_message_bytes) : max_message_(max_message_bytes) {}

  // Reads one event from the front of `bytes` and sets `used` to the bytes it took (none
  // for need_more). After an error the stream is dead: call no more.
  WsInput next(std::string_view bytes, std::size_t& used);

  // After need_more: the size of the whole frame at the front, if its header is complete
  // (0 if not yet known), so the caller can gather exactly that much.
  std::size_t pending_frame_size() const { return pending_frame_; }

 private:
  std::size_t max_message_;
  std::size_t pending_frame_ = 0;
  bool in_message_ = false;  // a fragmented message has begun
  bool message_binary_ = false;
  std::string fragments_;
};

// Appends one unmasked, final frame (server to client).
void append_ws_frame(std::string& out, WsOpcode opcode, std::string_view payload);
// The payload of a close frame: the code (big-endian) and the reason cut to fit in 125 bytes.
std::string ws_close_payload(std::uint16_t code, std::string_view reason);
// Whether a peer may send this close code (RFC 6455 §7.4 and the IANA registry).
bool ws_close_code_valid(std::uint16_t code);
// The Sec-WebSocket-Accept value answering a client's Sec-WebSocket-Key (RFC 6455 §4.2.2).
std::string ws_accept_key(std::string_view client_key);
// XORs `data` with the 4-byte masking key, starting at key position 0.
void ws_unmask(char* data, std::size_t size, const unsigned char key[4]);

}  // namespace tether::net
