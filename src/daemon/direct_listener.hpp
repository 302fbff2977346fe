// Direct mode: the daemon's own HTTP listener (default 127.0.0.1:7777) with the
// Noise endpoint /v1/direct and, with --web-root, the web app. Every request's
// Host is checked (DNS rebinding) and a browser's Origin must match it.
#pragma once

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

// "host:port" → DirectOptions address/port; error "bad_listen".
core::Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

}  // namespace tether::daemon
