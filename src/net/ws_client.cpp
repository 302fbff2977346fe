#include "net/ws_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include "net/detail/asio_runtime.hpp"
#include "net/detail/ws_session.hpp"

namespace tether::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// What cancel() must close while an attempt runs; each stage points it at its socket.
struct Attempt {
  bool cancelled = false;
  std::function<void()> close_current;
  void cancel() {
    cancelled = true;
    if (close_current) close_current();
  }
};

// Clears Attempt::close_current when the stage that set it ends.
class StageGuard {
 public:
  StageGuard(Attempt& a, std::function<void()> closer) : a_(a) { a_.close_current = std::move(closer); }
  ~StageGuard() { a_.close_current = nullptr; }
  StageGuard(const StageGuard&) = delete;
  StageGuard& operator=(const StageGuard&) = delete;

 private:
  Attempt& a_;
};

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string host_header(const WsClientOptions& o) {
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  const bool default_port = (o.tls && o.port == 443) || (!o.tls && o.port == 80);
  return default_port ? host : fmt::format("{}:{}", host, o.port);
}

core::Result<std::shared_ptr<ssl::context>> client_context(const WsClientOptions& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (o.ca_file) {
    ctx->load_verify_file(o.ca_file->string(), ec);
    if (ec) return core::make_error(core::Errc::tls, fmt::format("cannot load CA file {}: {}", o.ca_file->string(), ec.message()));
  } else {
    ctx->set_default_verify_paths(ec);
    if (ec) return core::make_error(core::Errc::tls, fmt::format("cannot load the system CA certificates: {}", ec.message()));
  }
  ctx->set_verify_mode(ssl::verify_peer);  // never skipped
  return ctx;
}

asio::awaitable<void> run_attempt(std::shared_ptr<Attempt> attempt, WsClientOptions o, WsConnectDone done) {
  auto executor = co_await asio::this_coro::executor;
  auto fail = [&](core::Errc code, std::string message) {
    done(core::make_error(attempt->cancelled ? core::Errc::cancelled : code, std::move(message)));
  };
  try {
    tcp::resolver resolver(executor);
    tcp::resolver::results_type endpoints;
    {
      StageGuard stage(*attempt, [&resolver] { resolver.cancel(); });
      auto [ec, results] = co_await resolver.async_resolve(o.host, std::to_string(o.port), use_tuple);
      if (ec || attempt->cancelled) {
        fail(core::Errc::resolve, fmt::format("cannot resolve {}: {}", o.host, ec.message()));
        co_return;
      }
      endpoints = std::move(results);
    }
    beast::tcp_stream tcp_stream(executor);
    tcp::endpoint peer;
    {
      StageGuard stage(*attempt, [&tcp_stream] { tcp_stream.close(); });
      tcp_stream.expires_after(o.connect_timeout);
      auto [ec, ep] = co_await tcp_stream.async_connect(endpoints, use_tuple);
      if (ec || attempt->cancelled) {
        fail(core::Errc::connect, fmt::format("cannot connect to {}:{}: {}", o.host, o.port, ec.message()));
        co_return;
      }
      peer = ep;
    }
    boost::system::error_code ignored;
    tcp_stream.socket().set_option(tcp::no_delay(true), ignored);
    const std::uint64_t id = detail::next_connection_id();
    const std::string remote = peer.address().to_string();

    if (!o.tls) {
      auto session = std::make_shared<detail::WsSession<detail::PlainStream>>(std::move(tcp_stream), id, remote,
                                                                            o.limits, nullptr);
      StageGuard stage(*attempt, [&session] { session->abort(); });
      if (auto ec = co_await session->handshake(host_header(o), o.target); ec || attempt->cancelled) {
        fail(core::Errc::handshake, fmt::format("WebSocket handshake with {} failed: {}", o.host, ec.message()));
        co_return;
      }
      done(std::shared_ptr<WebSocket>(session));
      session->start();
      co_return;
    }

    auto ctx = client_context(o);
    if (!ctx) {
      fail(core::Errc::tls, ctx.error().message);
      co_return;
    }
    detail::TlsStream stream(std::move(tcp_stream), **ctx);
    if (!is_ip_literal(o.host)) SSL_set_tlsext_host_name(stream.native_handle(), o.host.c_str());
    stream.set_verify_callback(ssl::host_name_verification(o.host));
    {
      StageGuard stage(*attempt, [&stream] { beast::get_lowest_layer(stream).close(); });
      beast::get_lowest_layer(stream).expires_after(o.connect_timeout);
      auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
      if (ec || attempt->cancelled) {
        const long verify = SSL_get_verify_result(stream.native_handle());
        std::string why = verify != X509_V_OK ? fmt::format("certificate not trusted: {}", X509_verify_cert_error_string(verify))
                                              : ec.message();
        fail(core::Errc::tls, fmt::format("TLS handshake with {} failed: {}", o.host, why));
        co_return;
      }
    }
    auto session = std::make_shared<detail::WsSession<detail::TlsStream>>(std::move(stream), id, remote, o.limits,
                                                                        std::move(ctx).value());
    StageGuard stage(*attempt, [&session] { session->abort(); });
    if (auto ec = co_await session->handshake(host_header(o), o.target); ec || attempt->cancelled) {
      fail(core::Errc::handshake, fmt::format("WebSocket handshake with {} failed: {}", o.host, ec.message()));
      co_return;
    }
    done(std::shared_ptr<WebSocket>(session));
    session->start();
  } catch (const std::exception& e) {
    fail(core::Errc::connect, e.what());
  }
}

}  // namespace

std::function<void()> connect_websocket(Runtime& runtime, WsClientOptions options, WsConnectDone done) {
  auto attempt = std::make_shared<Attempt>();
  asio::co_spawn(runtime.impl().io, run_attempt(attempt, std::move(options), std::move(done)), asio::detached);
  return [weak = std::weak_ptr<Attempt>(attempt)] {
    if (auto a = weak.lock()) a->cancel();
  };
}

}  // namespace tether::net
