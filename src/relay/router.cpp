#include "relay/router.hpp"

namespace tether::relay {

std::optional<ConnId> Router::link(const std::string& daemon_id, ConnId link) {
  auto [it, inserted] = links_.try_emplace(daemon_id, link);
  if (inserted) return std::nullopt;
  const ConnId old = it->second;
  it->second = link;
  return old == link ? std::nullopt : std::optional<ConnId>(old);
}

void Router::unlink(const std::string& daemon_id, ConnId link) {
  auto it = links_.find(daemon_id);
  if (it != links_.end() && it->second == link) links_.erase(it);
}

std::optional<ConnId> Router::link_of(const std::string& daemon_id) const {
  auto it = links_.find(daemon_id);
  if (it == links_.end()) return std::nullopt;
  return it->second;
}

std::size_t Router::pending_for(const std::string& daemon_id) const {
  auto it = pending_per_daemon_.find(daemon_id);
  return it == pending_per_daemon_.end() ? 0 : it->second;
}

core::Result<ConnId> Router::begin_connect(const std::string& daemon_id, ConnId client, std::string token,
                                           Clock::time_point now) {
  auto link = links_.find(daemon_id);
  if (link == links_.end()) return core::make_error(core::Errc::not_linked, "daemon not linked");
  if (pending_for(daemon_id) >= max_pending_per_daemon_) {
    return core::make_error(core::Errc::too_many_pending, "too many pending connections for this daemon");
  }
  PendingConnect p{token, daemon_id, client, now + accept_timeout_};
  deadlines_.emplace(p.deadline, token);
  token_of_client_[client] = token;
  ++pending_per_daemon_[daemon_id];
  pending_.emplace(std::move(token), std::move(p));
  return link->second;
}

void Router::erase_pending(std::unordered_map<std::string, PendingConnect>::iterator it) {
  const PendingConnect& p = it->second;
  auto range = deadlines_.equal_range(p.deadline);
  for (auto d = range.first; d != range.second; ++d) {
    if (d->second == p.token) {
      deadlines_.erase(d);
      break;
    }
  }
  token_of_client_.erase(p.client);
  if (auto c = pending_per_daemon_.find(p.daemon_id); c != pending_per_daemon_.end() && --c->second == 0) {
    pending_per_daemon_.erase(c);
  }
  pending_.erase(it);
}

std::optional<PendingConnect> Router::take_accept(const std::string& token, Clock::time_point now) {
  auto it = pending_.find(token);
  if (it == pending_.end() || now >= it->second.deadline) return std::nullopt;
  PendingConnect p = it->second;
  erase_pending(it);
  return p;
}

void Router::cancel_client(ConnId client) {
  auto t = token_of_client_.find(client);
  if (t == token_of_client_.end()) return;
  auto it = pending_.find(t->second);
  if (it != pending_.end()) erase_pending(it);
}

std::vector<PendingConnect> Router::expire(Clock::time_point now) {
  std::vector<PendingConnect> out;
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    auto it = pending_.find(deadlines_.begin()->second);
    if (it == pending_.end()) {  // cannot happen: erase_pending keeps both in step
      deadlines_.erase(deadlines_.begin());
      continue;
    }
    out.push_back(it->second);
    erase_pending(it);
  }
  return out;
}

}  // namespace tether::relay
