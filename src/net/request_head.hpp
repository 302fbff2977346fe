// What the HTTP server makes of the head of a request it reads: the request its handlers
// see, or the answer that refuses it (unparsable, too large, Host missing or twice, a bad
// Sec-WebSocket-Key). Pure: bytes in, outcome out; Beast does the parsing behind it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "net/http_server.hpp"

namespace tether::net {

// Not answered by a handler: the status, body and event the server refuses with, then closes.
struct HeadRefusal {
  int status = 400;
  std::string body;
  HttpEvent event = HttpEvent::bad_request;
};

struct RequestHead {
  HttpRequest request;  // connection_id and remote_address are the caller's to fill in
  unsigned version = 11;  // 10 or 11
  bool keep_alive = false;
  bool head = false;  // a HEAD request: answered without a body
};

// The bytes so far do not hold a whole request head.
struct HeadIncomplete {};

using HeadOutcome = std::variant<HeadIncomplete, RequestHead, HeadRefusal>;

// Reads one request from the start of `bytes` as the server does (headers up to
// `max_header_bytes`; a request that announces a body is refused); `used` is how many
// bytes it took.
HeadOutcome parse_request_head(std::string_view bytes, std::size_t max_header_bytes, std::size_t& used);

// RFC 6455 4.1: the key is 16 random bytes in base64 — 24 characters, "==" at the end.
bool valid_websocket_key(std::string_view key);

}  // namespace tether::net
