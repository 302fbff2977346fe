// Every live connection the daemon can send to besides its replies — the local API's
// and the remote devices' — in one registry: whose device it is (revoking a device
// closes its connections, a mode change reaches them at once), what it follows, and
// the one way out for notifications.
//
// Following a session: `subscribe(since)` replays the committed events after `since`
// from the store, page by page, then switches to the live stream — with no gap and no
// duplicate, because the switch happens on the loop thread between two appends. A
// subscriber that falls too far behind is dropped and told to resubscribe from its last
// seq (`session.overflow`); it never slows the agent or anyone else.
//
// Registry part in live_connections.cpp, subscriptions and feeds in subscriptions.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "net/runtime.hpp"
#include "proto/dispatcher.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {

// One connection that can be sent notifications.
class Connection {
 public:
  virtual ~Connection() = default;
  // Queues one JSON-RPC notification line.
  virtual void push(std::string line) = 0;
  // Bytes queued and not yet written: how far behind this peer is.
  virtual std::size_t queued_bytes() const = 0;
  // A device's connection: close it, its device was revoked. Local connections have no device.
  virtual void revoke() {}
  // A device's connection: its requests get `role` from now on.
  virtual void set_role(proto::Role) {}
};

// Remote connection ids live above this bit, local ones below: one id space for both.
inline constexpr std::uint64_t kRemoteConnectionBit = std::uint64_t{1} << 62;

struct SubscriptionLimits {
  std::size_t page_events = 512;                  // events read from the store per replay step
  std::size_t replay_pause_bytes = 1024 * 1024;   // replay waits while more than this is queued
  std::size_t max_queued_bytes = 2 * 1024 * 1024;  // live: more than this queued → overflow
};

class LiveConnections {
 public:
  LiveConnections(net::Runtime& runtime, store::EventStore& events, SubscriptionLimits limits = {});
  ~LiveConnections();
  LiveConnections(const LiveConnections&) = delete;
  LiveConnections& operator=(const LiveConnections&) = delete;

  // Registers a connection (device_id empty for a local one). The registry holds it
  // weakly: its owner (the transport) calls leave() when it ends.
  void join(std::uint64_t connection, std::string device_id, std::weak_ptr<Connection> conn);
  // The same for a device whose handshake has been answered but who has not yet spoken on
  // the channel (anyone can replay a recorded first message): revocations and mode changes
  // reach it, device_count leaves it out until confirm().
  void join_unconfirmed(std::uint64_t connection, std::string device_id, std::weak_ptr<Connection> conn);
  void confirm(std::uint64_t connection);
  // Forgets the connection and everything it followed.
  void leave(std::uint64_t connection);
  std::size_t local_count() const;
  // Confirmed connections of the device.
  std::size_t device_count(std::string_view device_id) const;
  void revoke_device(std::string_view device_id);
  void set_device_role(std::string_view device_id, proto::Role role);
  // One notification to every connection of the device.
  void push_device(std::string_view device_id, const std::string& line);

  // Starts (or restarts) `connection`'s subscription to `session` after `since`. The
  // replay begins once the caller's reply is queued. Returns the session's last seq now.
  core::Result<std::int64_t> subscribe(std::uint64_t connection, const std::string& session, std::int64_t since);
  bool unsubscribe(std::uint64_t connection, const std::string& session);
  // A just-committed event: to every live subscriber of its session.
  void publish(const store::Event& event);
  std::size_t count(const std::string& session) const;

  // Feeds across sessions: the inbox (`approval.changed` for every question asked or
  // answered) and the session list (`session.changed` for every session whose summary
  // changed). A connection too far behind is dropped from a feed and told so
  // (`approval.overflow`, `session.list_overflow`); it subscribes again for a fresh snapshot.
  enum class Feed { inbox, sessions };
  bool subscribe_feed(std::uint64_t connection, Feed feed);
  void publish_feed(Feed feed, const boost::json::object& params);

 private:
  struct Member {
    std::string device_id;
    std::weak_ptr<Connection> conn;
    bool confirmed = true;
  };
  struct Sub {
    std::int64_t next_seq = 1;  // the next seq this subscriber must get
    bool live = false;
    std::uint64_t generation = 0;  // a resubscribe abandons the replay of the previous one
  };
  using Key = std::pair<std::string, std::uint64_t>;  // session, connection

  // The connection, while it is registered and alive; null otherwise.
  std::shared_ptr<Connection> find(std::uint64_t connection) const;
  void replay_step(const Key& key, std::uint64_t generation);
  void overflow(const Key& key, Sub& sub, Connection& conn);
  template <class F>
  void for_device(std::string_view device_id, F&& f);

  net::Runtime& runtime_;
  store::EventStore& events_;
  SubscriptionLimits limits_;
  std::unordered_map<std::uint64_t, Member> members_;
  std::map<Key, Sub> subs_;
  std::set<std::uint64_t> feeds_[2];  // by Feed
  std::uint64_t next_generation_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The `session.event` notification for one event (its data is embedded as stored).
std::string event_notification(const store::Event& event);

}  // namespace tether::daemon
