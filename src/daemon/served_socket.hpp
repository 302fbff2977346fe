// Puts a ConnectionHandler on one WebSocket: binary frames in, the handler's
// frames out, its error closes the socket (1008), the socket's end tells it.
// Both transports (relay data sockets, the direct listener) use it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "daemon/connection_handler.hpp"
#include "net/websocket.hpp"

namespace tether::daemon {

// WebSocket close code when the daemon serves no connections (no handler factory).

// Serves `ws` until it ends; then `on_end` runs (and nothing of it is kept).
// `on_handshake_answered` runs once, after the frame whose answer finished the handler's
// handshake (ConnectionHandler::handshake_answered).
void serve_websocket(const std::shared_ptr<net::WebSocket>& ws, const HandlerFactory& factory,
                     std::function<void()> on_end = {}, std::function<void()> on_handshake_answered = {});

}  // namespace tether::daemon
