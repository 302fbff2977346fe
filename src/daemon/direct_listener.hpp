// Direct mode: the daemon's own HTTP listener (default 127.0.0.1:7777) with the
// Noise endpoint /v1/direct and, with --web-root, the web app. Every request's
// Host is checked (DNS rebinding) and a browser's Origin must match it. Anyone who
// reaches the port can connect, so connections that have not had their handshake
// answered are capped per source address and in total, and get a deadline; all
// connections together are capped below the open-file limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "daemon/connection_handler.hpp"
#include "net/host_check.hpp"
#include "net/runtime.hpp"

namespace tether::daemon {

struct DirectOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 7777;  // 0: any free port
  net::HostAllowlist hosts;
  std::optional<std::filesystem::path> web_root;
  // Sockets at once, whatever their phase; past it a connection is closed unanswered.
  std::size_t max_connections = 1024;
  // Connections whose handshake (HTTP upgrade, Noise message 1, message 2) is not done yet,
  // or that only make HTTP requests: past the total → 503, past one address's → 429.
  std::size_t max_handshakes = 256;
  std::size_t max_handshakes_per_address = 32;
  // From the WebSocket upgrade to message 2; then the connection is closed.
  std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10);
};

class DirectListener {
 public:
  // Binds the listener (its origin is known from here on). Error codes: "listen",
  // "not_found" (web root). Until serve(), a connection to /v1/direct is closed with 4503.
  static core::Result<std::unique_ptr<DirectListener>> start(net::Runtime& runtime, DirectOptions options);
  // Serves every connection to /v1/direct with a handler from `handlers`.
  void serve(HandlerFactory handlers);
  ~DirectListener();
  std::uint16_t port() const;
  // http://<address>:<port>, the origin offers point at.
  std::string origin() const;
  std::size_t connections() const;
  // Stops accepting and closes every connection; `done` runs when the last has ended.
  void shutdown(std::function<void()> done);

  struct Impl;

 private:
  explicit DirectListener(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// Descriptors the direct listener leaves to the rest of the daemon: the local socket and
// its clients, the store, the log, the relay link and its data sockets, the agents' pipes.
inline constexpr std::size_t kDescriptorReserve = 128;

// Lowers max_connections to what `open_file_limit` allows with kDescriptorReserve kept
// (net::connection_budget), and max_handshakes to half of max_connections, so that
// connections without a handshake never take every place. Pure.
void fit_connection_caps(DirectOptions& options, std::optional<std::size_t> open_file_limit);

// "host:port" → DirectOptions address/port; error "bad_listen".
core::Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

}  // namespace tether::daemon
