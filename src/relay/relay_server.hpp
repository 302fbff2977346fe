// The relay: authenticates daemon links, routes client connects to them, splices
// each accepted pair frame by frame, and serves /healthz, /metrics and (optionally)
// the web app. Sockets come from net::HttpServer; the decisions from the pure parts
// (Router, ConnectionLimiter, LinkLimiter, TokenBucket, link_auth, routes, Metrics).
#pragma once

#include <functional>
#include <memory>

#include "core/result.hpp"
#include "net/runtime.hpp"
#include "relay/relay_options.hpp"

namespace tether::relay {

class RelayServer {
 public:
  // Error codes: "tls", "listen", "web_root".
  static core::Result<std::unique_ptr<RelayServer>> start(net::Runtime& runtime, RelayOptions options);
  ~RelayServer();
  RelayServer(const RelayServer&) = delete;
  RelayServer& operator=(const RelayServer&) = delete;

  std::uint16_t port() const;
  // Stops accepting and closes every WebSocket (1001); `done` runs when the last has ended.
  void shutdown(std::function<void()> done);

  struct Impl;

 private:
  explicit RelayServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace tether::relay
