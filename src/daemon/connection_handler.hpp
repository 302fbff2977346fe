// What serves one remote connection, whichever transport brought it (relay data
// socket or direct listener): binary frames in, frames out, through a FrameSink.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tether::daemon {

// Where a handler's frames go out (one binary WebSocket frame each).
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void send(std::string frame) = 0;
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Bytes queued and not yet written.
  virtual std::size_t queued_bytes() const = 0;
};

// One remote client's connection: binary frames in, frames out (RemoteSession is the
// real one: Noise and the dispatcher).
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // The frames to send back, in order. An error closes the connection (1008, its message).
  virtual core::Result<std::vector<std::string>> on_frame(std::string_view frame) = 0;
  virtual void on_close() {}
  // The peer's handshake was answered: from here on it is a device's connection, no longer
  // an unauthenticated one (the direct listener stops counting it against the handshake caps).
  virtual bool handshake_answered() const { return false; }
};

// Makes the handler of a new data connection; `sink` outlives the handler. An empty
// factory means the daemon serves no connections: each is closed with 4503.
using HandlerFactory = std::function<std::shared_ptr<ConnectionHandler>(FrameSink& sink)>;

// Sends every frame back unchanged. For tests only.
HandlerFactory echo_handler_factory();

}  // namespace tether::daemon
