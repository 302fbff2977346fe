// LiveConnections' subscriptions: replay then live per session, and the feeds.
#include "daemon/live_connections.hpp"

#include <algorithm>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "proto/jsonrpc.hpp"

namespace tether::daemon {

namespace json = boost::json;

namespace {

// `s` as a JSON string: quoted as is when nothing in it needs escaping (ids and kinds).
void append_json_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
  });
  if (!plain) {
    out += json::serialize(json::string(s));
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

}  // namespace

std::string event_notification(const store::Event& e) {
  // Built by hand so the stored JSON is not parsed again for every subscriber; a replay
  // builds one per stored event, so no format string either.
  std::string out;
  out.reserve(e.data.size() + e.session_id.size() + e.kind.size() + 112);
  out += R"({"jsonrpc":"2.0","method":"session.event","params":{"session":)";
  append_json_string(out, e.session_id);
  out += R"(,"seq":)";
  out += fmt::format_int(e.seq).c_str();
  out += R"(,"time":)";
  out += fmt::format_int(store::to_unix_ms(e.time)).c_str();
  out += R"(,"kind":)";
  append_json_string(out, e.kind);
  out += R"(,"data":)";
  out += e.data.empty() ? std::string_view("{}") : std::string_view(e.data);
  out += "}}";
  return out;
}

core::Result<std::int64_t> LiveConnections::subscribe(std::uint64_t connection, const std::string& session, std::int64_t since) {
  if (!find(connection)) return core::make_error(core::Errc::not_streaming, "this connection cannot receive events");
  auto last = events_.last_seq(session);
  if (!last) return last.error();
  const Key key{session, connection};
  Sub& sub = subs_[key];
  // A since beyond the log (a confused client) gets what comes next, not a silent stall.
  sub.next_seq = std::clamp<std::int64_t>(since, 0, *last) + 1;
  sub.live = false;
  sub.generation = next_generation_++;
  runtime_.post([this, alive = alive_, key, generation = sub.generation] {
    if (*alive) replay_step(key, generation);
  });
  return *last;
}

bool LiveConnections::unsubscribe(std::uint64_t connection, const std::string& session) {
  return subs_.erase(Key{session, connection}) > 0;
}

bool LiveConnections::subscribe_feed(std::uint64_t connection, Feed feed) {
  if (!find(connection)) return false;
  feeds_[static_cast<int>(feed)].insert(connection);
  return true;
}

void LiveConnections::publish_feed(Feed feed, const json::object& params) {
  const bool inbox = feed == Feed::inbox;
  const std::string line = proto::make_notification(inbox ? "approval.changed" : "session.changed", params);
  auto& members = feeds_[static_cast<int>(feed)];
  for (auto it = members.begin(); it != members.end();) {
    const auto conn = find(*it);
    if (!conn || conn->queued_bytes() + line.size() > limits_.max_queued_bytes) {
      if (conn) {
        conn->push(proto::make_notification(inbox ? "approval.overflow" : "session.list_overflow",
                                              json::object{{"reason", "too far behind; subscribe again"}}));
      }
      it = members.erase(it);
      continue;
    }
    conn->push(line);
    ++it;
  }
}

std::size_t LiveConnections::count(const std::string& session) const {
  std::size_t n = 0;
  for (auto it = subs_.lower_bound(Key{session, 0}); it != subs_.end() && it->first.first == session; ++it) ++n;
  return n;
}

void LiveConnections::replay_step(const Key& key, std::uint64_t generation) {
  const auto it = subs_.find(key);
  if (it == subs_.end() || it->second.generation != generation || it->second.live) return;
  Sub& sub = it->second;
  const auto conn = find(key.second);
  if (!conn) {
    subs_.erase(it);
    return;
  }
  auto again = [this, alive = alive_, key, generation](std::chrono::milliseconds delay) {
    auto step = [this, alive, key, generation] {
      if (*alive) replay_step(key, generation);
    };
    if (delay.count() == 0) runtime_.post(step);
    else runtime_.after(delay, step);
  };
  if (conn->queued_bytes() > limits_.replay_pause_bytes) return again(std::chrono::milliseconds(1));
  auto page = events_.read(key.first, sub.next_seq - 1, limits_.page_events);
  if (!page) {
    spdlog::error("replay of session {}: {}", key.first, page.error().message);
    conn->push(proto::make_notification("session.overflow", json::object{{"session", key.first},
                                                                           {"last_seq", sub.next_seq - 1},
                                                                           {"reason", "the store could not be read"}}));
    subs_.erase(it);
    return;
  }
  for (const auto& e : *page) {
    conn->push(event_notification(e));
    sub.next_seq = e.seq + 1;
  }
  // A short page means the store had nothing more: everything after this is live. No
  // append can run between that read and this line (one thread), so nothing is missed.
  if (page->size() < limits_.page_events) {
    sub.live = true;
    return;
  }
  again(std::chrono::milliseconds(0));
}

void LiveConnections::overflow(const Key& key, Sub& sub, Connection& conn) {
  spdlog::info("subscriber {} of session {} is {} bytes behind; dropping it", key.second, key.first, conn.queued_bytes());
  conn.push(proto::make_notification("session.overflow", json::object{{"session", key.first},
                                                                       {"last_seq", sub.next_seq - 1},
                                                                       {"reason", "too far behind; subscribe again with since=last_seq"}}));
  subs_.erase(key);
}

void LiveConnections::publish(const store::Event& event) {
  std::string line;
  for (auto it = subs_.lower_bound(Key{event.session_id, 0}); it != subs_.end() && it->first.first == event.session_id;) {
    auto current = it++;
    Sub& sub = current->second;
    if (!sub.live || event.seq != sub.next_seq) continue;  // still replaying: the replay reads it from the store
    const auto conn = find(current->first.second);
    if (!conn) {
      subs_.erase(current);
      continue;
    }
    if (line.empty()) line = event_notification(event);
    if (conn->queued_bytes() + line.size() > limits_.max_queued_bytes) {
      overflow(current->first, sub, *conn);
      continue;
    }
    conn->push(line);
    sub.next_seq = event.seq + 1;
  }
}

}  // namespace tether::daemon
