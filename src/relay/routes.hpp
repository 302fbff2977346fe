// Which relay endpoint a request target names. Pure; ids and tokens are checked for
// shape here (43 base64url characters = 32 bytes), so a malformed path never reaches
// the routing table.
#pragma once

#include <string>
#include <string_view>

namespace tether::relay {

enum class RouteKind {
  healthz,      // GET /healthz
  metrics,      // GET /metrics
  daemon_link,  // GET /v1/daemon               (WebSocket)
  connect,      // GET /v1/connect/<daemon id>  (WebSocket)
  accept,       // GET /v1/accept/<token>       (WebSocket)
  static_file,  // anything outside /v1/ (served only with --web-root)
  not_found,    // malformed /v1/ paths
};

struct Route {
  RouteKind kind = RouteKind::not_found;
  std::string param;  // daemon id or accept token
};

Route route_for(std::string_view target);
bool is_websocket_route(RouteKind kind);

}  // namespace tether::relay
