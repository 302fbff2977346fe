// Everything `tether relay` can be told, with its defaults (docs/cli.md lists the flags).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::relay {

struct ListenAddress {
  std::string address;
  std::uint16_t port = 0;
};

// "127.0.0.1:8443", "0.0.0.0:443", "[::1]:8443"; port 0 picks a free port.
// Error code "bad_listen".
core::Result<ListenAddress> parse_listen_address(std::string_view text);

struct RelayOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;
  std::optional<std::filesystem::path> cert_file;  // PEM chain; with key_file: TLS
  std::optional<std::filesystem::path> key_file;
  bool insecure_http = false;  // plain HTTP, for a relay behind a TLS-terminating proxy
  std::optional<std::filesystem::path> web_root;

  std::size_t max_frame_bytes = 1024 * 1024;
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_ip = 64;
  std::size_t max_pending_per_daemon = 16;
  // Daemon links: any fresh key links, so they have bounds of their own (a link leaves
  // the per-address connection count once authenticated).
  std::size_t max_links = 2500;
  std::size_t max_links_per_ip = 16;
  double rate_bytes_per_second = 8.0 * 1024 * 1024;  // per spliced socket, each direction; 0: unlimited
  double burst_bytes = 16.0 * 1024 * 1024;
  std::chrono::steady_clock::duration idle_timeout = std::chrono::seconds(60);
  std::size_t write_queue_bytes = 4 * 1024 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::steady_clock::duration header_timeout = std::chrono::seconds(10);
  std::chrono::steady_clock::duration accept_timeout = std::chrono::seconds(10);
};

}  // namespace tether::relay
