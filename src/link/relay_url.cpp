#include "link/relay_url.hpp"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

namespace tether::link {
namespace {

core::Error bad(std::string_view text, std::string_view why) {
  return core::make_error(core::Errc::bad_url, fmt::format("relay URL \"{}\": {}", text, why));
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host == "::1") return true;
  in_addr v4{};
  const std::string h(host);
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

core::Result<RelayUrl> parse_relay_url(std::string_view text) {
  RelayUrl url;
  url.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("wss://")) {
    url.tls = true;
    rest.remove_prefix(6);
  } else if (rest.starts_with("ws://")) {
    url.tls = false;
    rest.remove_prefix(5);
  } else {
    return bad(text, "must start with wss:// (or ws:// for a relay on this machine)");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad(text, "user information is not allowed");
  if (path.find_first_of("?#") != std::string_view::npos) return bad(text, "no query or fragment allowed");
  while (path.ends_with('/')) path.remove_suffix(1);
  url.prefix = std::string(path);

  std::string_view host;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad(text, "unclosed [ in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return bad(text, "bad port");
      port = after.substr(1);
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1) return bad(text, "bad IPv6 address");
  } else {
    const std::size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (!valid_host(host)) return bad(text, "bad host name");
  }
  url.host = std::string(host);
  url.port = url.tls ? 443 : 80;
  if (!port.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) return bad(text, "bad port");
    url.port = static_cast<std::uint16_t>(value);
  }
  if (!url.tls && !is_loopback_host(url.host)) {
    return bad(text, "ws:// (no TLS) is only allowed for a relay on this machine (localhost, 127.0.0.1, ::1); use wss://");
  }
  return url;
}

}  // namespace tether::link
