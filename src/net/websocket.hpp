// A WebSocket connection (server or client side) as the rest of tether sees it:
// queued sends with a byte bound, close with a code, read pausing, and why it ended.
// No Boost here. Behind it: for TLS, a Beast session (src/net/detail/ws_session.hpp); for
// plain TCP, tether's own framing over an Asio socket (src/net/detail/plain_ws_session.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace tether::net {

// Why a connection ended. The first cause observed wins.
enum class WsEndCause {
  closed_by_peer,    // the peer sent a close frame (code/reason are the peer's)
  closed_by_us,      // close() was called and the close handshake finished or timed out
  message_too_big,   // a message over max_message_bytes arrived; closed with 1009
  idle_timeout,      // no frame (not even a pong) within idle_timeout
  write_queue_full,  // a send would have passed max_queued_bytes: the slow consumer is cut off
  protocol_error,    // a frame that breaks RFC 6455 (unmasked, bad opcode, bad UTF-8 text, ...)
  connection_lost,   // the TCP connection ended without a close frame
  aborted,           // abort() was called
};

const char* to_string(WsEndCause cause);

struct WsEnd {
  WsEndCause cause = WsEndCause::connection_lost;
  std::uint16_t code = 1006;  // the close code received (closed_by_peer) or sent (closed_by_us, message_too_big)
  std::string reason;
};

struct WsLimits {
  std::size_t max_message_bytes = 1024 * 1024;
  std::size_t max_queued_bytes = 4 * 1024 * 1024;  // one message of any allowed size always fits
  // Zero disables it. Otherwise a ping goes out after half of it without input, and the
  // connection ends when the other half passes without any frame. (Plain-TCP server
  // sockets check it, and the closing deadline below, twice a second.)
  std::chrono::steady_clock::duration idle_timeout = std::chrono::seconds(60);
  // How long a WebSocket handshake, and the close (queue drain + close handshake), may take.
  std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10);
};

class WebSocket;

struct WsHandlers {
  std::function<void(WebSocket&, std::string&& data, bool binary)> on_message;
  // Called once, after the connection has fully ended; no handler runs after it.
  std::function<void(WebSocket&, const WsEnd&)> on_end;
};

class WebSocket {
 public:
  virtual ~WebSocket() = default;
  // Unique in the process; for server connections the same id the TCP connection had.
  virtual std::uint64_t id() const = 0;
  virtual const std::string& remote_address() const = 0;
  // Set before the first message can arrive (in the callback that hands over the socket).
  virtual void set_handlers(WsHandlers handlers) = 0;
  // Queues one message (one frame: no auto-fragmentation). false when the connection is
  // ending, or when the message would pass max_queued_bytes — then the connection is
  // aborted with WsEndCause::write_queue_full.
  virtual bool send(std::string data, bool binary) = 0;
  // Writes what is queued, then the close frame; aborts if that takes longer than
  // handshake_timeout. Messages that arrive meanwhile are dropped.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Ends the connection at once (TCP close, no close frame).
  virtual void abort() = 0;
  // While paused no message is delivered and nothing more is read from the socket: what
  // waits inside is what was already read (one message over TLS; the rest of one 64 KiB
  // read, or the frame it began, over plain TCP), so a paused peer is held back by TCP.
  virtual void pause_reading() = 0;
  virtual void resume_reading() = 0;
  virtual std::size_t queued_bytes() const = 0;
};

}  // namespace tether::net
