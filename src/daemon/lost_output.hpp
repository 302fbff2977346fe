// Events the store could not commit (a full disk, a failing store), counted per session
// until a commit works again: that commit carries, ahead of the session's next events, one
// `output_lost` event per session saying how many events and bytes were lost, between
// when and when, and why, so the log shows the gap its seqs cannot. Holds counts, never
// the lost events. Pure: batches, times and reasons in, events out.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/event_store.hpp"

namespace tether::daemon {

class LostOutput {
 public:
  static constexpr std::string_view kKind = "output_lost";

  struct Loss {
    std::int64_t events = 0;
    std::int64_t bytes = 0;  // the lost events' data, as the JSON text the store would have held
    store::TimePoint from;   // the first lost event's time
    store::TimePoint to;     // the last one's
    std::string reason;      // the store's last error
  };

  // `batch`, of events from `when`, could not be committed: `reason`.
  void add(std::span<const store::NewEvent> batch, store::TimePoint when, std::string_view reason);
  // One `output_lost` event per session that lost any, for the next commit to carry first.
  std::vector<store::NewEvent> events() const;
  // That commit worked: the losses are told.
  void clear() { sessions_.clear(); }

  bool empty() const { return sessions_.empty(); }
  bool has(std::string_view session_id) const { return sessions_.contains(session_id); }
  // All sessions' losses in one: since when storing fails, and how much is lost so far.
  Loss total() const;

 private:
  std::map<std::string, Loss, std::less<>> sessions_;
};

}  // namespace tether::daemon
