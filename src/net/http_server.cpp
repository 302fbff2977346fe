#include "net/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <unordered_map>

#include "net/detail/accept_loop.hpp"
#include "net/detail/asio_runtime.hpp"
#include "net/detail/plain_ws_session.hpp"
#include "net/detail/request_head.hpp"
#include "net/detail/ws_session.hpp"
#include "net/ws_frame.hpp"

namespace tether::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace detail {
std::uint64_t next_connection_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}
}  // namespace detail

const char* to_string(HttpEvent event) {
  switch (event) {
    case HttpEvent::header_timeout: return "header_timeout";
    case HttpEvent::header_too_large: return "header_too_large";
    case HttpEvent::bad_request: return "bad_request";
    case HttpEvent::tls_handshake_failed: return "tls_handshake_failed";
    case HttpEvent::websocket_handshake_failed: return "websocket_handshake_failed";
    case HttpEvent::over_capacity: return "over_capacity";
  }
  return "unknown";
}

const char* to_string(WsEndCause cause) {
  switch (cause) {
    case WsEndCause::closed_by_peer: return "closed_by_peer";
    case WsEndCause::closed_by_us: return "closed_by_us";
    case WsEndCause::message_too_big: return "message_too_big";
    case WsEndCause::idle_timeout: return "idle_timeout";
    case WsEndCause::write_queue_full: return "write_queue_full";
    case WsEndCause::protocol_error: return "protocol_error";
    case WsEndCause::connection_lost: return "connection_lost";
    case WsEndCause::aborted: return "aborted";
  }
  return "unknown";
}

namespace {

// One accepted socket, counted in the server's `held` until the last holder (HTTP
// coroutine or WebSocket session) lets go; then on_disconnect, for a connection that was
// served. It reaches the server weakly rather than holding a copy of the handler: one
// lives as long as each connection, so it is kept small.
class ConnectionSlot {
 public:
  ConnectionSlot(std::weak_ptr<HttpServer::Impl> server, std::uint64_t id) : server_(std::move(server)), id_(id) {}
  ~ConnectionSlot();
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  void served() { served_ = true; }

 private:
  std::weak_ptr<HttpServer::Impl> server_;
  std::uint64_t id_;
  bool served_ = false;
};

template <class Stream>
asio::awaitable<boost::system::error_code> write_response(Stream& stream, const HttpResponse& r, bool head,
                                                          unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.body() = r.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head) res.body().clear();  // Content-Length stays that of the full body
  auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
  co_return ec;
}

HttpResponse plain(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.close = true;
  return r;
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, HttpServerOptions o, HttpHandlers h)
      : io(io_context), acceptor(io_context), options(std::move(o)), handlers(std::move(h)) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> handle(tcp::socket socket, std::uint64_t id, std::shared_ptr<ConnectionSlot> slot);
  template <class Stream>
  asio::awaitable<void> serve(Stream stream, std::uint64_t id, std::string remote,
                              std::optional<HttpResponse> refusal, std::shared_ptr<ConnectionSlot> slot);
  template <class Stream>
  asio::awaitable<void> linger_close(Stream& stream);
  template <class Request, class Phase>
  asio::awaitable<void> upgrade_plain(beast::tcp_stream stream, beast::flat_buffer& buffer, const Request& request,
                                      const HttpRequest& req, Phase& phase, std::shared_ptr<ConnectionSlot> slot);
  void event(HttpEvent e) {
    if (handlers.on_event) handlers.on_event(e);
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  HttpServerOptions options;
  HttpHandlers handlers;
  std::shared_ptr<ssl::context> tls;
  // Connections still in their HTTP phase, to end them on shutdown.
  std::unordered_map<std::uint64_t, beast::tcp_stream*> http_connections;
  std::size_t held = 0;  // accepted sockets not yet closed (ConnectionSlot)
  bool shutting_down = false;
};

namespace {
ConnectionSlot::~ConnectionSlot() {
  auto server = server_.lock();
  if (!server) return;
  --server->held;
  if (served_ && server->handlers.on_disconnect) server->handlers.on_disconnect(id_);
}

// Registers a stream as "in its HTTP phase" for the duration of a scope.
class HttpPhase {
 public:
  HttpPhase(HttpServer::Impl& server, std::uint64_t id, beast::tcp_stream& s) : server_(server), id_(id) {
    server_.http_connections[id_] = &s;
  }
  ~HttpPhase() { release(); }
  void release() {
    if (id_ != 0) server_.http_connections.erase(id_);
    id_ = 0;
  }
  HttpPhase(const HttpPhase&) = delete;
  HttpPhase& operator=(const HttpPhase&) = delete;

 private:
  HttpServer::Impl& server_;
  std::uint64_t id_;
};
}  // namespace

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  auto self = shared_from_this();
  co_await detail::accept_loop(acceptor, shutting_down, [this](tcp::socket socket) {
    boost::system::error_code ignored;
    if (options.max_connections != 0 && held >= options.max_connections) {
      socket.close(ignored);
      event(HttpEvent::over_capacity);
      return;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    const std::uint64_t id = detail::next_connection_id();
    ++held;
    auto slot = std::make_shared<ConnectionSlot>(weak_from_this(), id);
    asio::co_spawn(io, handle(std::move(socket), id, std::move(slot)), [id](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("connection {}: {}", id, ex.what());
      }
    });
  });
}

asio::awaitable<void> HttpServer::Impl::handle(tcp::socket socket, std::uint64_t id, std::shared_ptr<ConnectionSlot> slot) {
  auto self = shared_from_this();
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) co_return;  // already gone
  std::string remote = endpoint.address().to_string();
  std::optional<HttpResponse> refusal;
  if (handlers.on_connect) refusal = handlers.on_connect(id, remote);
  if (!refusal) slot->served();

  beast::tcp_stream tcp_stream(std::move(socket));
  if (!tls) {
    co_await serve(std::move(tcp_stream), id, std::move(remote), std::move(refusal), std::move(slot));
    co_return;
  }
  detail::TlsStream stream(std::move(tcp_stream), *tls);
  {
    HttpPhase phase(*this, id, beast::get_lowest_layer(stream));
    beast::get_lowest_layer(stream).expires_after(options.header_timeout);
    auto [hs] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
    if (hs) {
      event(hs == beast::error::timeout ? HttpEvent::header_timeout : HttpEvent::tls_handshake_failed);
      spdlog::debug("connection {}: TLS handshake failed: {}", id, hs.message());
      co_return;
    }
  }
  co_await serve(std::move(stream), id, std::move(remote), std::move(refusal), std::move(slot));
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::serve(Stream stream, std::uint64_t id, std::string remote,
                                              std::optional<HttpResponse> refusal, std::shared_ptr<ConnectionSlot> slot) {
  auto& lowest = beast::get_lowest_layer(stream);
  HttpPhase phase(*this, id, lowest);
  if (refusal) {
    lowest.expires_after(options.write_timeout);
    refusal->close = true;
    if (!co_await write_response(stream, *refusal, false, 11, false)) co_await linger_close(stream);
    co_return;
  }
  beast::flat_buffer buffer;
  for (;;) {
    detail::HeadParser parser;
    detail::limit_head(parser, options.max_header_bytes);
    lowest.expires_after(options.header_timeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) {
      co_return;
    }
    if (ec == beast::error::timeout) {
      event(HttpEvent::header_timeout);  // the socket is already closed: no answer
      co_return;
    }
    auto request = parser.release();
    HeadOutcome checked = ec ? HeadOutcome(detail::refuse_unparsed(ec)) : detail::check_head(request);
    if (const auto* refused = std::get_if<HeadRefusal>(&checked)) {
      event(refused->event);
      lowest.expires_after(options.write_timeout);
      const auto r = plain(refused->status, refused->body);
      if (!co_await write_response(stream, r, false, ec ? 11 : request.version(), false)) co_await linger_close(stream);
      co_return;
    }
    HttpRequest req = std::move(std::get<RequestHead>(checked).request);
    req.connection_id = id;
    req.remote_address = remote;

    if (req.websocket) {
      std::optional<HttpResponse> refused;
      if (handlers.on_upgrade) refused = handlers.on_upgrade(req);
      if (refused || !handlers.on_websocket) {
        lowest.expires_after(options.write_timeout);
        auto r = refused ? *refused : plain(404, "not found\n");
        r.close = true;
        if (!co_await write_response(stream, r, false, request.version(), false)) co_await linger_close(stream);
        co_return;
      }
      if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        co_await upgrade_plain(std::move(stream), buffer, request, req, phase, std::move(slot));
        co_return;
      }
      phase.release();
      auto session =
          std::make_shared<detail::WsSession<Stream>>(std::move(stream), id, remote, options.websocket, std::move(slot));
      if (auto hs = co_await session->accept(std::move(request))) {
        event(HttpEvent::websocket_handshake_failed);
        spdlog::debug("connection {}: WebSocket handshake failed: {}", id, hs.message());
        co_return;
      }
      std::shared_ptr<WebSocket> ws = session;
      handlers.on_websocket(ws, req);
      session->start();
      co_return;
    }

    HttpResponse res = handlers.on_request ? handlers.on_request(req) : plain(404, "not found\n");
    const bool keep_alive = request.keep_alive() && !res.close && !shutting_down;
    lowest.expires_after(options.write_timeout);
    const auto wec = co_await write_response(stream, res, request.method() == http::verb::head, request.version(),
                                             keep_alive);
    if (wec) co_return;
    if (!keep_alive) {
      co_await linger_close(stream);
      co_return;
    }
  }
}

// A WebSocket over plain TCP: answered here and served by PlainWsSession, which reads
// many frames per system call and writes what is queued in one (see its header).
template <class Request, class Phase>
asio::awaitable<void> HttpServer::Impl::upgrade_plain(beast::tcp_stream stream, beast::flat_buffer& buffer,
                                                      const Request& request, const HttpRequest& req, Phase& phase,
                                                      std::shared_ptr<ConnectionSlot> slot) {
  stream.expires_after(options.write_timeout);
  if (request[http::field::sec_websocket_version] != "13") {
    event(HttpEvent::websocket_handshake_failed);
    auto r = plain(426, "only WebSocket version 13 is supported\n");
    r.headers.emplace_back("Sec-WebSocket-Version", "13");
    if (!co_await write_response(stream, r, false, request.version(), false)) co_await linger_close(stream);
    co_return;
  }
  const std::string answer = fmt::format(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: {}\r\n\r\n",
      ws_accept_key(request[http::field::sec_websocket_key]));
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(answer), use_tuple);
  if (ec) {
    event(HttpEvent::websocket_handshake_failed);
    co_return;
  }
  phase.release();
  stream.expires_never();
  // Frames the client sent right behind its request were read with it: they go first.
  const auto early = buffer.cdata();
  auto session = std::make_shared<detail::PlainWsSession>(
      stream.release_socket(), req.connection_id, req.remote_address, options.websocket,
      std::string(static_cast<const char*>(early.data()), early.size()), std::move(slot));
  std::shared_ptr<WebSocket> ws = session;
  handlers.on_websocket(ws, req);
  session->start();
}

// Half-closes, then reads and drops what the client still sends (briefly, boundedly),
// so the kernel does not answer unread input with a reset that could destroy our answer.
template <class Stream>
asio::awaitable<void> HttpServer::Impl::linger_close(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  boost::system::error_code ec;
  lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  lowest.expires_after(std::chrono::seconds(1));
  char sink[4096];
  for (std::size_t total = 0; total < 64 * 1024;) {
    auto [rec, n] = co_await lowest.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
    total += n;
  }
}

core::Result<std::unique_ptr<HttpServer>> HttpServer::listen(Runtime& runtime, HttpServerOptions options,
                                                             HttpHandlers handlers) {
  auto impl = std::make_shared<Impl>(runtime.impl().io, std::move(options), std::move(handlers));
  boost::system::error_code ec;
  if (impl->options.tls) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    const auto& files = *impl->options.tls;
    if (!ec) ctx->use_certificate_chain_file(files.cert_chain.string(), ec);
    if (ec) return core::make_error(core::Errc::tls, fmt::format("cannot load certificate {}: {}", files.cert_chain.string(), ec.message()));
    ctx->use_private_key_file(files.private_key.string(), ssl::context::pem, ec);
    if (ec) return core::make_error(core::Errc::tls, fmt::format("cannot load private key {}: {}", files.private_key.string(), ec.message()));
    impl->tls = std::move(ctx);
  }
  const auto address = asio::ip::make_address(impl->options.address, ec);
  if (ec) return core::make_error(core::Errc::listen, fmt::format("bad listen address {}: {}", impl->options.address, ec.message()));
  const tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::make_error(core::Errc::listen, fmt::format("cannot listen on {}:{}: {}", impl->options.address,
                                                            impl->options.port, ec.message()));
  }
  asio::co_spawn(impl->io, impl->accept_loop(), asio::detached);
  return std::unique_ptr<HttpServer>(new HttpServer(impl));
}

HttpServer::~HttpServer() {
  if (!impl_->shutting_down) shutdown();
}

std::size_t HttpServer::connections() const { return impl_->held; }

std::uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::shutdown() {
  impl_->shutting_down = true;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  for (auto& [id, stream] : impl_->http_connections) stream->socket().close(ec);
}

}  // namespace tether::net
