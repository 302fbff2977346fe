// The relay's counters and their Prometheus text rendering. Labels come from fixed
// sets chosen in code — never ids, keys, tokens, addresses or payload. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace tether::relay {

// Values read at scrape time.
struct Gauges {
  std::size_t connections = 0;  // open TCP connections
  std::size_t links = 0;        // linked daemons
  std::size_t pending_connects = 0;
  std::size_t spliced_pairs = 0;
};

class Metrics {
 public:
  enum class Direction { client_to_daemon, daemon_to_client };

  void relayed(Direction d, std::size_t bytes);
  void linked() { ++links_total_; }
  void spliced() { ++splices_total_; }
  // Why a WebSocket ended, e.g. "closed_by_peer", "daemon_not_linked", "write_queue_full".
  void closed(std::string_view reason) { ++closes_[std::string(reason)]; }
  // Which limit refused or cut something, e.g. "max_frame", "connections_per_ip".
  void limit_hit(std::string_view limit) { ++limit_hits_[std::string(limit)]; }
  void http_response(int status) { ++responses_[status]; }

  std::uint64_t closes(std::string_view reason) const;
  std::uint64_t limit_hits(std::string_view limit) const;

  std::string render(const Gauges& gauges) const;

 private:
  std::uint64_t bytes_[2] = {0, 0};
  std::uint64_t frames_[2] = {0, 0};
  std::uint64_t links_total_ = 0;
  std::uint64_t splices_total_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> closes_;
  std::map<std::string, std::uint64_t, std::less<>> limit_hits_;
  std::map<int, std::uint64_t> responses_;
};

}  // namespace tether::relay
