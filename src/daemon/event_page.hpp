// One page of session.events: the events after `since`, at most `limit` of them and at
// most kEventsPageBytes of JSON, so that any page fits what every transport carries (the
// local socket's 16 MiB queue, a WebSocket's 4 MiB). Not the stream (subscriptions.hpp).
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {

// A page stops before the event that would take its events past this many bytes of JSON.
inline constexpr std::size_t kEventsPageBytes = std::size_t{1} << 20;  // 1 MiB
// An event larger than the page bound comes alone; one larger than this cannot be sent
// (half the WebSocket write queue, leaving room for what is queued besides).
inline constexpr std::size_t kMaxEventReplyBytes = std::size_t{2} << 20;  // 2 MiB

// {"session", "events": [{seq, time, kind, data}], "more", "since"}: `more` when events
// after the page exist, `since` the seq to ask from next (the last one in the page, or the
// `since` asked for when the page is empty). Error too_large when the first event after
// `since` is over kMaxEventReplyBytes, naming its seq.
core::Result<boost::json::object> events_page(store::EventStore& events, std::string_view session, std::int64_t since,
                                              std::size_t limit);

}  // namespace tether::daemon
