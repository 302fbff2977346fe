#include "daemon/lost_output.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace tether::daemon {

void LostOutput::add(std::span<const store::NewEvent> batch, store::TimePoint when, std::string_view reason) {
  for (const auto& e : batch) {
    auto [it, first] = sessions_.try_emplace(e.session_id);
    Loss& loss = it->second;
    if (first) loss.from = when;
    loss.from = std::min(loss.from, when);
    loss.to = std::max(loss.to, when);
    loss.events += 1;
    loss.bytes += static_cast<std::int64_t>(e.data.size());
    loss.reason = std::string(reason);
  }
}

std::vector<store::NewEvent> LostOutput::events() const {
  std::vector<store::NewEvent> out;
  out.reserve(sessions_.size());
  for (const auto& [session_id, loss] : sessions_) {
    const boost::json::object data{{"events", loss.events},
                                   {"bytes", loss.bytes},
                                   {"from", store::to_unix_ms(loss.from)},
                                   {"to", store::to_unix_ms(loss.to)},
                                   {"reason", loss.reason}};
    out.push_back(store::NewEvent{session_id, std::string(kKind), boost::json::serialize(data)});
  }
  return out;
}

LostOutput::Loss LostOutput::total() const {
  Loss sum;
  bool first = true;
  for (const auto& [session_id, loss] : sessions_) {
    sum.from = first ? loss.from : std::min(sum.from, loss.from);
    sum.to = first ? loss.to : std::max(sum.to, loss.to);
    if (first || loss.to >= sum.to) sum.reason = loss.reason;
    first = false;
    sum.events += loss.events;
    sum.bytes += loss.bytes;
  }
  return sum;
}

}  // namespace tether::daemon
