// Server-Sent Events (text/event-stream, WHATWG HTML "Server-sent events"): bytes in,
// events out. Pure, no I/O; used by http_client's event stream. Not a reconnecting
// EventSource: `retry` is ignored and `id` is only reported.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tether::net {

struct SseEvent {
  std::string type;  // the `event:` field; empty means "message"
  std::string data;  // the `data:` lines joined by '\n'
  std::string id;    // the last `id:` seen (it carries over to later events, as the standard says)
};

class SseParser {
 public:
  // An event whose data (or a single line) grows past `max_event_bytes` is an error.
  explicit SseParser(std::size_t max_event_bytes = 16 * 1024 * 1024) : max_event_bytes_(max_event_bytes) {}

  // Feeds the next bytes of the stream (split anywhere, even inside a CRLF) and returns
  // the events they complete. Lines end with CRLF, LF or CR; a blank line dispatches an
  // event with data; comments (":…") and unknown fields are skipped. Error "too_large":
  // the stream is unusable from then on.
  core::Result<std::vector<SseEvent>> feed(std::string_view bytes);

 private:
  bool line(std::string_view text, std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;
  std::string type_;
  std::string data_;
  std::string id_;
  bool has_data_ = false;
  bool after_cr_ = false;  // the last byte was a CR: a following LF belongs to it
  bool started_ = false;   // past a possible byte order mark
  bool failed_ = false;
};

}  // namespace tether::net
