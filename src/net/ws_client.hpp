// Outbound WebSocket connections (ws:// or wss://). TLS always verifies the server's
// certificate chain and host name, against the system CAs or a given CA file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "net/runtime.hpp"
#include "net/websocket.hpp"

namespace tether::net {

struct WsClientOptions {
  bool tls = true;
  std::string host;
  std::uint16_t port = 443;
  std::string target = "/";  // path and query
  std::optional<std::filesystem::path> ca_file;  // else the system's trusted CAs
  std::chrono::steady_clock::duration connect_timeout = std::chrono::seconds(15);
  WsLimits limits;
};

using WsConnectDone = std::function<void(core::Result<std::shared_ptr<WebSocket>>)>;

// Resolves, connects, verifies TLS and completes the WebSocket handshake, then calls
// `done` on the runtime's thread: with the open socket (set its handlers inside `done`;
// reading starts after it returns), or with an error (codes "resolve", "connect", "tls",
// "handshake", "cancelled"). The returned function cancels an attempt still under way.
std::function<void()> connect_websocket(Runtime& runtime, WsClientOptions options, WsConnectDone done);

}  // namespace tether::net
