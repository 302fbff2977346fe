#include "net/host_check.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace tether::net {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return ::inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return ::inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

bool valid_port(std::string_view p) {
  return !p.empty() && p.size() <= 5 && std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Letters, digits, '-' and '.', in labels that are not empty ("a..b", ".a" and "a." are not names).
bool valid_name(std::string_view n) {
  return !n.empty() && n.size() <= 253 && n.front() != '.' && n.back() != '.' && n.find("..") == std::string_view::npos &&
         std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; });
}

}  // namespace

std::string host_name(std::string_view h) {
  if (h.empty()) return {};
  if (h.front() == '[') {  // [v6] or [v6]:port
    const auto close = h.find(']');
    if (close == std::string_view::npos) return {};
    const auto rest = h.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1)))) return {};
    std::string v6 = lower(h.substr(1, close - 1));
    return is_ipv6(v6) ? "[" + v6 + "]" : std::string();
  }
  if (const auto colon = h.find(':'); colon != std::string_view::npos) {
    if (!valid_port(h.substr(colon + 1))) return {};
    h = h.substr(0, colon);
  }
  if (h.ends_with('.')) h.remove_suffix(1);  // "localhost." is "localhost"
  return valid_name(h) ? lower(h) : std::string();
}

bool host_allowed(std::string_view host_header, const HostAllowlist& allowlist) {
  const std::string host = host_name(host_header);
  if (host.empty()) return false;
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host.front() == '[' || is_ipv4(host)) return true;  // a literal address cannot be rebound
  for (const auto& entry : allowlist.extra) {
    const std::string e = lower(entry);
    if (e.empty()) continue;
    if (e.front() == '.') {
      if (host == e.substr(1) || host.ends_with(e)) return true;
    } else if (host == e) {
      return true;
    }
  }
  return false;
}

bool origin_allowed(std::string_view origin, std::string_view host_header) {
  if (origin.empty()) return true;
  const std::string o = lower(origin);
  const std::string h = lower(host_header);
  return o == "http://" + h || o == "https://" + h;
}

}  // namespace tether::net
