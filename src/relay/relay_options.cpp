#include "relay/relay_options.hpp"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

namespace tether::relay {

core::Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto bad = [&] {
    return core::make_error(core::Errc::bad_listen, fmt::format("--listen \"{}\": expected ADDRESS:PORT, e.g. 127.0.0.1:8443 or [::1]:8443", text));
  };
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad();
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  const bool bracketed = host.starts_with('[') && host.ends_with(']');
  if (bracketed) host = host.substr(1, host.size() - 2);
  const std::string h(host);
  in_addr v4{};
  in6_addr v6{};
  const bool ok = bracketed ? ::inet_pton(AF_INET6, h.c_str(), &v6) == 1 : ::inet_pton(AF_INET, h.c_str(), &v4) == 1;
  if (!ok) return bad();
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value > 65535) return bad();
  return ListenAddress{h, static_cast<std::uint16_t>(value)};
}

}  // namespace tether::relay
