// The direct listener's defence against DNS rebinding and cross-site pages: the
// Host header must name this machine (or a configured name), and a browser's
// Origin must match it. Pure string checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tether::net {

struct HostAllowlist {
  // Beyond the built-ins (localhost, *.localhost, literal IPv4/IPv6): exact names, or
  // entries starting with '.' that match the domain and every subdomain.
  std::vector<std::string> extra;
};

// The host part of a Host header ("name", "name:port", "[v6]:port"), lowercased; empty when malformed.
std::string host_name(std::string_view host_header);

bool host_allowed(std::string_view host_header, const HostAllowlist& allowlist);

// An upgrade with no Origin (a non-browser client) passes; otherwise the Origin must be
// http(s)://<the same host[:port] as the Host header>.
bool origin_allowed(std::string_view origin, std::string_view host_header);

}  // namespace tether::net
