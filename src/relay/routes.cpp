#include "relay/routes.hpp"

#include "core/encoding.hpp"

namespace tether::relay {
namespace {

bool is_key_shaped(std::string_view s) {
  if (s.size() != 43) return false;
  auto bytes = core::base64url_decode(s);
  return bytes && bytes->size() == 32;
}

Route keyed(RouteKind kind, std::string_view rest) {
  if (!is_key_shaped(rest)) return {};
  return Route{kind, std::string(rest)};
}

}  // namespace

Route route_for(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz") return {RouteKind::healthz, {}};
  if (path == "/metrics") return {RouteKind::metrics, {}};
  if (path == "/v1/daemon") return {RouteKind::daemon_link, {}};
  constexpr std::string_view kConnect = "/v1/connect/";
  constexpr std::string_view kAccept = "/v1/accept/";
  if (path.starts_with(kConnect)) return keyed(RouteKind::connect, path.substr(kConnect.size()));
  if (path.starts_with(kAccept)) return keyed(RouteKind::accept, path.substr(kAccept.size()));
  if (path == "/v1" || path.starts_with("/v1/")) return {};
  if (!path.starts_with('/')) return {};
  return {RouteKind::static_file, {}};
}

bool is_websocket_route(RouteKind kind) {
  return kind == RouteKind::daemon_link || kind == RouteKind::connect || kind == RouteKind::accept;
}

}  // namespace tether::relay
