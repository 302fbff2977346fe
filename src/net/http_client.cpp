#include "net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fmt/format.h>

#include <limits>
#include <utility>

#include "net/detail/asio_runtime.hpp"
#include "net/sse_parser.hpp"

namespace tether::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kStatusExcerpt = 512;  // bytes of a refused stream's body kept in the error
constexpr std::size_t kChunk = 16 * 1024;

// One request or stream in flight: the canceller sets `cancelled` and closes the socket.
struct Call {
  bool cancelled = false;
  std::function<void()> close_current;
  void cancel() {
    cancelled = true;
    if (close_current) close_current();
  }
};

// Points Call::close_current at a socket (or resolver) for the scope that owns it, and
// back at the enclosing scope's afterwards.
class CloseGuard {
 public:
  CloseGuard(Call& c, std::function<void()> closer) : c_(c), outer_(std::exchange(c.close_current, std::move(closer))) {}
  ~CloseGuard() { c_.close_current = std::move(outer_); }
  CloseGuard(const CloseGuard&) = delete;
  CloseGuard& operator=(const CloseGuard&) = delete;

 private:
  Call& c_;
  std::function<void()> outer_;
};

std::string host_header(const HttpClientRequest& r) {
  const std::string host = r.host.find(':') != std::string::npos ? "[" + r.host + "]" : r.host;
  return fmt::format("{}:{}", host, r.port);
}

core::Error io_error(const boost::system::error_code& ec, std::string_view what) {
  if (ec == beast::error::timeout) return core::make_error(core::Errc::timeout, fmt::format("{}: timed out", what));
  if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return core::make_error(core::Errc::too_large, fmt::format("{}: the response is larger than allowed", what));
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category() && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    return core::make_error(core::Errc::bad_response, fmt::format("{}: not an HTTP response ({})", what, ec.message()));
  }
  return core::make_error(core::Errc::io, fmt::format("{}: {}", what, ec.message()));
}

// Connects `stream` (whose deadline is already set) to the request's host and port.
asio::awaitable<boost::system::error_code> connect(beast::tcp_stream& stream, Call& call, const HttpClientRequest& r) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(r.host, ec);
  if (!ec) {
    auto [cec] = co_await stream.async_connect(tcp::endpoint(address, r.port), use_tuple);
    co_return cec;
  }
  tcp::resolver resolver(stream.get_executor());
  tcp::resolver::results_type endpoints;
  {
    CloseGuard guard(call, [&resolver] { resolver.cancel(); });
    auto [rec, results] = co_await resolver.async_resolve(r.host, std::to_string(r.port), use_tuple);
    if (rec) co_return rec;
    endpoints = std::move(results);
  }
  auto [cec, endpoint] = co_await stream.async_connect(endpoints, use_tuple);
  co_return cec;
}

http::request<http::string_body> build(const HttpClientRequest& r, bool event_stream) {
  http::request<http::string_body> req;
  const auto verb = http::string_to_verb(r.method);
  if (verb == http::verb::unknown) {
    req.method_string(r.method);
  } else {
    req.method(verb);
  }
  req.target(r.target);
  req.version(11);
  req.set(http::field::host, host_header(r));
  req.set(http::field::user_agent, "tether");
  if (event_stream) req.set(http::field::accept, "text/event-stream");
  for (const auto& [name, value] : r.headers) req.set(name, value);
  req.keep_alive(false);
  req.body() = r.body;
  req.prepare_payload();
  return req;
}

asio::awaitable<void> run_request(std::shared_ptr<Call> call, HttpClientRequest r, HttpResponseDone done) {
  const std::string what = fmt::format("{} {}", r.method, r.target);
  auto finish = [&](core::Result<HttpClientResponse> result) {
    if (!call->cancelled) done(std::move(result));
  };
  try {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    CloseGuard guard(*call, [&stream] { stream.close(); });
    stream.expires_after(r.timeout);
    if (auto ec = co_await connect(stream, *call, r)) {
      if (ec == beast::error::timeout) {
        finish(io_error(ec, what));
      } else {
        finish(core::make_error(core::Errc::connect, fmt::format("cannot connect to {}: {}", host_header(r), ec.message())));
      }
      co_return;
    }
    if (call->cancelled) co_return;
    auto req = build(r, false);
    if (auto [ec, n] = co_await http::async_write(stream, req, use_tuple); ec) {
      finish(io_error(ec, what));
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    parser.body_limit(r.max_response_bytes);
    if (auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple); ec) {
      finish(io_error(ec, what));
      co_return;
    }
    auto res = parser.release();
    finish(HttpClientResponse{static_cast<int>(res.result_int()), std::string(res[http::field::content_type]), std::move(res.body())});
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& e) {
    finish(core::make_error(core::Errc::io, fmt::format("{}: {}", what, e.what())));
  }
}

asio::awaitable<void> run_stream(std::shared_ptr<Call> call, HttpClientRequest r,
                                 std::chrono::steady_clock::duration idle_timeout, SseHandlers h) {
  const std::string what = fmt::format("{} {}", r.method, r.target);
  auto end = [&](core::Error error) {
    if (!call->cancelled && h.on_end) h.on_end(std::move(error));
  };
  try {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    CloseGuard guard(*call, [&stream] { stream.close(); });
    stream.expires_after(r.timeout);
    if (auto ec = co_await connect(stream, *call, r)) {
      end(ec == beast::error::timeout
              ? io_error(ec, what)
              : core::make_error(core::Errc::connect, fmt::format("cannot connect to {}: {}", host_header(r), ec.message())));
      co_return;
    }
    if (call->cancelled) co_return;
    auto req = build(r, true);
    if (auto [ec, n] = co_await http::async_write(stream, req, use_tuple); ec) {
      end(io_error(ec, what));
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple); ec) {
      end(io_error(ec, what));
      co_return;
    }
    if (call->cancelled) co_return;
    const int status = static_cast<int>(parser.get().result_int());
    const bool ok = status >= 200 && status < 300;
    if (ok) {
      if (h.on_open) h.on_open();
      if (call->cancelled) co_return;
    }
    // From here the deadline is the idle timeout, renewed by every read.
    auto rearm = [&] {
      if (idle_timeout.count() > 0) {
        stream.expires_after(idle_timeout);
      } else if (ok) {
        stream.expires_never();
      }
    };
    rearm();
    SseParser sse(r.max_response_bytes);
    std::string refused_body;
    char chunk[kChunk];
    for (;;) {
      if (parser.is_done()) {
        end(ok ? core::make_error(core::Errc::closed, fmt::format("{}: the server ended the stream", what))
               : core::make_error(core::Errc::status, fmt::format("{}: HTTP {}: {}", what, status, refused_body)));
        co_return;
      }
      auto& body = parser.get().body();
      body.data = chunk;
      body.size = sizeof chunk;
      auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, use_tuple);
      if (call->cancelled) co_return;
      if (ec == http::error::need_buffer) ec = {};
      const std::string_view got(chunk, sizeof chunk - parser.get().body().size);
      if (!ok) {
        refused_body.append(got.substr(0, kStatusExcerpt - std::min(kStatusExcerpt, refused_body.size())));
        if (ec || refused_body.size() >= kStatusExcerpt) {
          end(core::make_error(core::Errc::status, fmt::format("{}: HTTP {}: {}", what, status, refused_body)));
          co_return;
        }
        continue;
      }
      if (!got.empty()) {
        auto events = sse.feed(got);
        if (!events) {
          end(core::make_error(core::Errc::too_large, fmt::format("{}: {}", what, events.error().message)));
          co_return;
        }
        for (const auto& e : *events) {
          if (h.on_event) h.on_event(e.data);
          if (call->cancelled) co_return;
        }
      }
      if (ec == beast::error::timeout) {
        end(core::make_error(core::Errc::idle_timeout, fmt::format("{}: nothing received for {} s", what,
                                                                   std::chrono::duration_cast<std::chrono::seconds>(idle_timeout).count())));
        co_return;
      }
      if (ec == http::error::end_of_stream || ec == asio::error::eof) {
        end(core::make_error(core::Errc::closed, fmt::format("{}: the server ended the stream", what)));
        co_return;
      }
      if (ec) {
        end(io_error(ec, what));
        co_return;
      }
      rearm();
    }
  } catch (const std::exception& e) {
    end(core::make_error(core::Errc::io, fmt::format("{}: {}", what, e.what())));
  }
}

std::function<void()> canceller(const std::shared_ptr<Call>& call) {
  return [weak = std::weak_ptr<Call>(call)] {
    if (auto c = weak.lock()) c->cancel();
  };
}

}  // namespace

std::function<void()> http_request(Runtime& runtime, HttpClientRequest request, HttpResponseDone done) {
  auto call = std::make_shared<Call>();
  asio::co_spawn(runtime.impl().io, run_request(call, std::move(request), std::move(done)), asio::detached);
  return canceller(call);
}

std::function<void()> http_event_stream(Runtime& runtime, HttpClientRequest request,
                                        std::chrono::steady_clock::duration idle_timeout, SseHandlers handlers) {
  auto call = std::make_shared<Call>();
  asio::co_spawn(runtime.impl().io, run_stream(call, std::move(request), idle_timeout, std::move(handlers)),
                 asio::detached);
  return canceller(call);
}

}  // namespace tether::net
