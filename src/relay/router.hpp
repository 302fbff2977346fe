// The relay's routing table: which connection is each daemon's link, and the pending
// connects waiting for their daemon to accept (one-time tokens with deadlines).
// Pure: connections are ids, time is passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace tether::relay {

using ConnId = std::uint64_t;
using Clock = std::chrono::steady_clock;

struct PendingConnect {
  std::string token;
  std::string daemon_id;
  ConnId client = 0;
  Clock::time_point deadline;
};

class Router {
 public:
  Router(std::size_t max_pending_per_daemon, Clock::duration accept_timeout)
      : max_pending_per_daemon_(max_pending_per_daemon), accept_timeout_(accept_timeout) {}

  // Makes `link` the daemon's link; returns the link it replaces, if any.
  std::optional<ConnId> link(const std::string& daemon_id, ConnId link);
  // Forgets the daemon's link if it is still `link` (a replaced link changes nothing).
  void unlink(const std::string& daemon_id, ConnId link);
  std::optional<ConnId> link_of(const std::string& daemon_id) const;

  // Registers a client's connect under `token`; returns the daemon's link to tell.
  // Error codes: "not_linked", "too_many_pending".
  core::Result<ConnId> begin_connect(const std::string& daemon_id, ConnId client, std::string token, Clock::time_point now);
  // Removes and returns the pending connect for `token` unless it is unknown or past its deadline.
  std::optional<PendingConnect> take_accept(const std::string& token, Clock::time_point now);
  // The client went away before being accepted.
  void cancel_client(ConnId client);
  // Removes and returns every pending connect whose deadline has passed.
  std::vector<PendingConnect> expire(Clock::time_point now);

  std::size_t link_count() const { return links_.size(); }
  std::size_t pending_count() const { return pending_.size(); }
  std::size_t pending_for(const std::string& daemon_id) const;

 private:
  void erase_pending(std::unordered_map<std::string, PendingConnect>::iterator it);

  std::size_t max_pending_per_daemon_;
  Clock::duration accept_timeout_;
  std::unordered_map<std::string, ConnId> links_;             // daemon id -> link
  std::unordered_map<std::string, PendingConnect> pending_;   // token -> connect
  std::unordered_map<ConnId, std::string> token_of_client_;   // client -> token
  std::unordered_map<std::string, std::size_t> pending_per_daemon_;
  std::multimap<Clock::time_point, std::string> deadlines_;   // deadline -> token
};

}  // namespace tether::relay
