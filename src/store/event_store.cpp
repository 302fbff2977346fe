#include "store/event_store.hpp"

#include <fmt/format.h>

namespace tether::store {

std::int64_t to_unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint from_unix_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

core::Result<std::int64_t> EventStore::insert(std::string_view session_id, std::string_view kind, std::string_view data,
                                              TimePoint now) {
  // The counter and the event change in the caller's transaction: together or not at all, so seq has no gap.
  auto counter = db_.prepare(
      "INSERT INTO event_seqs (session_id, last_seq) VALUES (?1, 1) "
      "ON CONFLICT (session_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
  if (!counter) return counter.error();
  counter->bind(1, session_id);
  auto row = counter->step();
  if (!row) return row.error();
  if (!*row) return core::make_error(core::Errc::store, "seq counter returned no row");
  const std::int64_t seq = counter->column_int(0);
  if (auto done = counter->step(); !done) return done.error();

  auto st = db_.prepare("INSERT INTO events (session_id, seq, time, kind, data) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return st.error();
  st->bind(1, session_id).bind(2, seq).bind(3, to_unix_ms(now)).bind(4, kind).bind(5, data);
  if (auto r = st->run(); !r) return r.error();
  return seq;
}

core::Result<void> EventStore::add_to_count(std::int64_t delta) {
  auto st = db_.prepare("UPDATE event_count SET n = n + ?1");
  if (!st) return st.error();
  st->bind(1, delta);
  return st->run();
}

core::Result<std::int64_t> EventStore::append(std::string_view session_id, std::string_view kind, std::string_view data,
                                              TimePoint now) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto seq = insert(session_id, kind, data, now);
  if (!seq) return seq.error();
  if (auto r = add_to_count(1); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  return seq;
}

core::Result<std::vector<std::int64_t>> EventStore::append_batch(std::span<const NewEvent> events, TimePoint now) {
  std::vector<std::int64_t> seqs;
  seqs.reserve(events.size());
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  for (const auto& e : events) {
    auto seq = insert(e.session_id, e.kind, e.data, now);
    if (!seq) return seq.error();
    seqs.push_back(*seq);
  }
  if (auto r = add_to_count(static_cast<std::int64_t>(seqs.size())); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  return seqs;
}

core::Result<std::vector<Event>> EventStore::read(std::string_view session_id, std::int64_t since_seq, std::size_t limit) {
  auto st = db_.prepare(
      "SELECT seq, time, kind, data FROM events WHERE session_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  if (!st) return st.error();
  st->bind(1, session_id).bind(2, since_seq).bind(3, static_cast<std::int64_t>(limit));
  std::vector<Event> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(Event{std::string(session_id), st->column_int(0), from_unix_ms(st->column_int(1)), st->column_text(2),
                        st->column_text(3)});
  }
  return out;
}

core::Result<std::int64_t> EventStore::last_seq(std::string_view session_id) {
  auto st = db_.prepare("SELECT COALESCE((SELECT last_seq FROM event_seqs WHERE session_id = ?1), 0)");
  if (!st) return st.error();
  st->bind(1, session_id);
  auto row = st->step();
  if (!row) return row.error();
  return st->column_int(0);
}

core::Result<std::int64_t> EventStore::prune_before(TimePoint cutoff, std::size_t limit) {
  // A deletion lost to a power cut is redone by the next prune, so it needs no fsync of its
  // own: synchronous=NORMAL for this commit only. The next FULL commit (an event's) syncs
  // the log up to and including it, so the order of what is on disk never changes.
  auto level = db_.query_int("PRAGMA synchronous");
  if (!level) return level.error();
  if (auto r = db_.exec("PRAGMA synchronous = NORMAL"); !r) return r.error();
  const auto deleted = [&]() -> core::Result<std::int64_t> {
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    // Oldest first through events_by_time, each row then deleted by its key.
    auto st = db_.prepare(
        "DELETE FROM events WHERE (session_id, seq) IN "
        "(SELECT session_id, seq FROM events WHERE time < ?1 ORDER BY time LIMIT ?2)");
    if (!st) return st.error();
    st->bind(1, to_unix_ms(cutoff)).bind(2, static_cast<std::int64_t>(limit));
    if (auto r = st->run(); !r) return r.error();
    auto n = db_.query_int("SELECT changes()");
    if (!n) return n.error();
    if (auto r = add_to_count(-*n); !r) return r.error();
    if (auto c = tx->commit(); !c) return c.error();
    return n;
  }();
  if (auto r = db_.exec(fmt::format("PRAGMA synchronous = {}", *level)); !r) return r.error();
  return deleted;
}

}  // namespace tether::store
