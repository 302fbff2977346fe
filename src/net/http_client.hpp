// A small HTTP/1.1 client for services on the loopback interface (an agent's local API):
// one request and its response, or a Server-Sent Events stream. Plain TCP only — no TLS,
// proxies, redirects or connection reuse. Boost.Asio/Beast stay in http_client.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "net/runtime.hpp"

namespace tether::net {

struct HttpClientRequest {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string method = "GET";
  std::string target = "/";  // path and query
  std::vector<std::pair<std::string, std::string>> headers;  // Host and Content-Length are set here
  std::string body;  // sent with Content-Length (POST/PUT/PATCH always carry one, maybe 0)
  // A request: the whole exchange. A stream: connecting and receiving the response headers.
  std::chrono::steady_clock::duration timeout = std::chrono::seconds(10);
  std::size_t max_response_bytes = 8 * 1024 * 1024;  // a request's body; a stream's single event
};

struct HttpClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Error codes of both calls: "resolve", "connect", "timeout", "io" (the connection broke),
// "too_large", "bad_response" (not HTTP/1.x).
using HttpResponseDone = std::function<void(core::Result<HttpClientResponse>)>;

// Sends the request and calls `done` once, on the runtime's thread, with the response
// (any status) or an error. The returned function cancels it: `done` is then never called.
std::function<void()> http_request(Runtime& runtime, HttpClientRequest request, HttpResponseDone done);

struct SseHandlers {
  // The server answered 2xx; events follow.
  std::function<void()> on_open;
  // The data of each event (its `data:` lines joined by '\n'), in order.
  std::function<void(std::string_view data)> on_event;
  // Once, when the stream ends for any reason but a cancel: the server closed it (code
  // "closed"), answered with a non-2xx status ("status"; the message holds the status and
  // the start of the body), sent nothing for `idle_timeout` ("idle_timeout"), or an error
  // above.
  std::function<void(core::Error)> on_end;
};

// GET (or `request.method`) with Accept: text/event-stream, then every event until the
// stream ends or the returned function cancels it (after which no handler runs, even one
// already due). `idle_timeout` zero: the stream may stay silent for ever.
std::function<void()> http_event_stream(Runtime& runtime, HttpClientRequest request,
                                        std::chrono::steady_clock::duration idle_timeout, SseHandlers handlers);

}  // namespace tether::net
