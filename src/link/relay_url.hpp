// The relay address a daemon links to: wss://host[:port][/prefix], or ws:// for a
// loopback host only (a relay on the same machine). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::link {

struct RelayUrl {
  bool tls = true;
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 443;
  std::string prefix;  // "" or "/path" (no trailing slash), for a relay behind a proxy path
  std::string text;    // as given, for display

  std::string target(std::string_view path) const { return prefix + std::string(path); }
};

// localhost, *.localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(std::string_view host);

// Error code "bad_url" with a message that says what to write instead.
core::Result<RelayUrl> parse_relay_url(std::string_view text);

}  // namespace tether::link
