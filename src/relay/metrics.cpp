#include "relay/metrics.hpp"

#include <fmt/format.h>

namespace tether::relay {

void Metrics::relayed(Direction d, std::size_t bytes) {
  const auto i = static_cast<std::size_t>(d);
  bytes_[i] += bytes;
  ++frames_[i];
}

std::uint64_t Metrics::closes(std::string_view reason) const {
  auto it = closes_.find(reason);
  return it == closes_.end() ? 0 : it->second;
}

std::uint64_t Metrics::limit_hits(std::string_view limit) const {
  auto it = limit_hits_.find(limit);
  return it == limit_hits_.end() ? 0 : it->second;
}

std::string Metrics::render(const Gauges& g) const {
  std::string out;
  auto family = [&out](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  family("tether_relay_connections", "gauge", "Open TCP connections.");
  out += fmt::format("tether_relay_connections {}\n", g.connections);
  family("tether_relay_links", "gauge", "Daemons linked now.");
  out += fmt::format("tether_relay_links {}\n", g.links);
  family("tether_relay_pending_connects", "gauge", "Client connects waiting for their daemon to accept.");
  out += fmt::format("tether_relay_pending_connects {}\n", g.pending_connects);
  family("tether_relay_spliced_pairs", "gauge", "Client/daemon socket pairs spliced now.");
  out += fmt::format("tether_relay_spliced_pairs {}\n", g.spliced_pairs);
  family("tether_relay_links_total", "counter", "Daemon links authenticated.");
  out += fmt::format("tether_relay_links_total {}\n", links_total_);
  family("tether_relay_splices_total", "counter", "Socket pairs spliced.");
  out += fmt::format("tether_relay_splices_total {}\n", splices_total_);
  family("tether_relay_bytes_relayed_total", "counter", "Payload bytes relayed, by direction.");
  out += fmt::format("tether_relay_bytes_relayed_total{{direction=\"client_to_daemon\"}} {}\n", bytes_[0]);
  out += fmt::format("tether_relay_bytes_relayed_total{{direction=\"daemon_to_client\"}} {}\n", bytes_[1]);
  family("tether_relay_frames_relayed_total", "counter", "Frames relayed, by direction.");
  out += fmt::format("tether_relay_frames_relayed_total{{direction=\"client_to_daemon\"}} {}\n", frames_[0]);
  out += fmt::format("tether_relay_frames_relayed_total{{direction=\"daemon_to_client\"}} {}\n", frames_[1]);
  family("tether_relay_closes_total", "counter", "WebSocket connections ended, by reason.");
  for (const auto& [reason, n] : closes_) out += fmt::format("tether_relay_closes_total{{reason=\"{}\"}} {}\n", reason, n);
  family("tether_relay_limit_hits_total", "counter", "Requests, connections or frames refused or cut by a limit.");
  for (const auto& [limit, n] : limit_hits_) {
    out += fmt::format("tether_relay_limit_hits_total{{limit=\"{}\"}} {}\n", limit, n);
  }
  family("tether_relay_http_responses_total", "counter", "Plain HTTP responses, by status.");
  for (const auto& [status, n] : responses_) {
    out += fmt::format("tether_relay_http_responses_total{{status=\"{}\"}} {}\n", status, n);
  }
  return out;
}

}  // namespace tether::relay
