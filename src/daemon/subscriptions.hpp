// Who follows which session: `session.subscribe(since)` replays the committed events
// after `since` from the store, page by page, then switches to the live stream — with
// no gap and no duplicate, because the switch happens on the loop thread between two
// appends. A subscriber that falls too far behind is dropped and told to resubscribe
// from its last seq (`session.overflow`); it never slows the agent or anyone else.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "daemon/outlets.hpp"
#include "net/runtime.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {

struct SubscriptionLimits {
  std::size_t page_events = 512;                  // events read from the store per replay step
  std::size_t replay_pause_bytes = 1024 * 1024;   // replay waits while more than this is queued
  std::size_t max_queued_bytes = 2 * 1024 * 1024;  // live: more than this queued → overflow
};

class Subscriptions {
 public:
  Subscriptions(net::Runtime& runtime, store::EventStore& events, Outlets& outlets, SubscriptionLimits limits = {});
  ~Subscriptions();

  // Starts (or restarts) `connection`'s subscription to `session` after `since`. The
  // replay begins once the caller's reply is queued. Returns the session's last seq now.
  core::Result<std::int64_t> subscribe(std::uint64_t connection, const std::string& session, std::int64_t since);
  bool unsubscribe(std::uint64_t connection, const std::string& session);
  void drop_connection(std::uint64_t connection);
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
  struct Sub {
    std::int64_t next_seq = 1;  // the next seq this subscriber must get
    bool live = false;
    std::uint64_t generation = 0;  // a resubscribe abandons the replay of the previous one
  };
  using Key = std::pair<std::string, std::uint64_t>;  // session, connection

  void replay_step(const Key& key, std::uint64_t generation);
  void overflow(const Key& key, Sub& sub, Outlet& outlet);

  net::Runtime& runtime_;
  store::EventStore& events_;
  Outlets& outlets_;
  SubscriptionLimits limits_;
  std::map<Key, Sub> subs_;
  std::set<std::uint64_t> feeds_[2];  // by Feed
  std::uint64_t next_generation_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The `session.event` notification for one event (its data is embedded as stored).
std::string event_notification(const store::Event& event);

}  // namespace tether::daemon
