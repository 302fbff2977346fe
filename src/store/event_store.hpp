// Per-session event logs with a gap-free seq. An append is durable (committed,
// synchronous=FULL) before it returns its seq.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace tether::store {

using TimePoint = std::chrono::system_clock::time_point;

struct Event {
  std::string session_id;
  std::int64_t seq = 0;
  TimePoint time;
  std::string kind;
  std::string data;  // JSON text
};

struct NewEvent {
  std::string session_id;
  std::string kind;
  std::string data;
};

class EventStore {
 public:
  explicit EventStore(Database& db) : db_(db) {}

  core::Result<std::int64_t> append(std::string_view session_id, std::string_view kind, std::string_view data, TimePoint now);
  // One transaction, one fsync, for all of them; returns their seqs in order.
  core::Result<std::vector<std::int64_t>> append_batch(std::span<const NewEvent> events, TimePoint now);
  // Events with seq > since_seq, oldest first, at most `limit`.
  core::Result<std::vector<Event>> read(std::string_view session_id, std::int64_t since_seq, std::size_t limit);
  core::Result<std::int64_t> last_seq(std::string_view session_id);
  // Deletes the oldest events older than `cutoff`, at most `limit` of them, in one
  // transaction; returns how many (fewer than `limit`: none older are left).
  core::Result<std::int64_t> prune_before(TimePoint cutoff, std::size_t limit = kAll);

  static constexpr std::size_t kAll = static_cast<std::size_t>(INT64_MAX);

 private:
  core::Result<std::int64_t> insert(std::string_view session_id, std::string_view kind, std::string_view data, TimePoint now);
  // `event_count` (what Store::counts reports) moves with every append and prune, in the
  // caller's transaction.
  core::Result<void> add_to_count(std::int64_t delta);
  Database& db_;
};

std::int64_t to_unix_ms(TimePoint t);
TimePoint from_unix_ms(std::int64_t ms);

}  // namespace tether::store
