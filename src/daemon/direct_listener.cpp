#include "daemon/direct_listener.hpp"

#include "link/close_codes.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/utf8.hpp"
#include "daemon/served_socket.hpp"
#include "net/connection_limiter.hpp"
#include "net/http_server.hpp"
#include "net/open_files.hpp"
#include "net/static_files.hpp"

namespace tether::daemon {
namespace {

net::HttpResponse plain(int status, std::string body) { return net::text_response(status, std::move(body)); }

bool is_loopback(const std::string& address) {
  in_addr a4{};
  if (::inet_pton(AF_INET, address.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  return address == "::1" || address == "localhost";
}

}  // namespace

struct DirectListener::Impl {
  Impl(net::Runtime& rt, DirectOptions o)
      : runtime(rt), options(std::move(o)), handshaking(options.max_handshakes, options.max_handshakes_per_address) {}

  net::Runtime& runtime;
  DirectOptions options;
  HandlerFactory factory;
  std::optional<net::StaticFiles> files;
  std::unique_ptr<net::HttpServer> server;
  std::map<std::uint64_t, std::weak_ptr<net::WebSocket>> sockets;
  // Connections whose handshake has not been answered, and the deadlines (cancellers) of
  // those among them that are WebSockets already.
  net::ConnectionLimiter handshaking;
  std::unordered_map<std::uint64_t, std::function<void()>> deadlines;
  bool stopping = false;
  std::function<void()> on_stopped;

  std::optional<net::HttpResponse> on_connect(std::uint64_t id, const std::string& address) {
    if (stopping) return plain(503, "stopping\n");
    switch (handshaking.admit(id, address)) {
      case net::ConnectionLimiter::Admission::admitted:
        return std::nullopt;
      case net::ConnectionLimiter::Admission::address_full:
        spdlog::debug("direct: refused a connection from {}: {} not through their handshake from there", address,
                      handshaking.count_for(address));
        return plain(429, "too many connections from your address\n");
      case net::ConnectionLimiter::Admission::total_full: {
        spdlog::debug("direct: refused a connection from {}: {} not through their handshake", address, handshaking.total());
        auto r = plain(503, "too many connections\n");
        r.headers.emplace_back("Retry-After", "10");
        return r;
      }
    }
    return std::nullopt;
  }

  // The connection's handshake was answered, or it ended: it leaves the caps.
  void handshake_over(std::uint64_t id) {
    handshaking.release(id);
    if (auto it = deadlines.find(id); it != deadlines.end()) {
      auto cancel = std::move(it->second);
      deadlines.erase(it);
      cancel();
    }
  }

  void start_deadline(std::weak_ptr<Impl> weak, const std::shared_ptr<net::WebSocket>& ws) {
    const auto id = ws->id();
    std::weak_ptr<net::WebSocket> weak_ws = ws;
    deadlines[id] = runtime.after(options.handshake_timeout, [weak, weak_ws, id] {
      auto self = weak.lock();
      if (!self) return;
      self->deadlines.erase(id);
      if (auto w = weak_ws.lock()) {
        spdlog::debug("direct: closing a connection from {}: no handshake within the timeout", w->remote_address());
        w->abort();
      }
    });
  }

  void maybe_stopped() {
    if (!stopping || !sockets.empty() || !on_stopped) return;
    auto done = std::move(on_stopped);
    on_stopped = nullptr;
    done();
  }

  std::optional<net::HttpResponse> check(const net::HttpRequest& req) const {
    if (!net::host_allowed(req.host, options.hosts)) {
      spdlog::warn("direct: refused a request from {} for Host \"{}\"", req.remote_address, core::cut_utf8(req.host, 100));
      return plain(403, "Host not allowed\n");
    }
    return std::nullopt;
  }

  net::HttpResponse on_request(const net::HttpRequest& req) const {
    if (auto refused = check(req)) return *refused;
    if (req.method != "GET" && req.method != "HEAD") return plain(405, "method not allowed\n");
    if (req.target == "/healthz") return plain(200, "ok\n");
    if (!files) return plain(404, "the web app is not served here (start the daemon with --web-root)\n");
    return files->respond(req.target);
  }

  std::optional<net::HttpResponse> on_upgrade(const net::HttpRequest& req) const {
    if (auto refused = check(req)) return refused;
    if (!net::origin_allowed(req.origin, req.host)) {
      spdlog::warn("direct: refused a cross-origin upgrade from {} (Origin \"{}\")", req.remote_address, core::cut_utf8(req.origin, 100));
      return plain(403, "cross-origin request refused\n");
    }
    if (req.target != "/v1/direct") return plain(404, "not found\n");
    return std::nullopt;
  }
};

core::Result<std::unique_ptr<DirectListener>> DirectListener::start(net::Runtime& runtime, DirectOptions options) {
  auto impl = std::make_shared<Impl>(runtime, std::move(options));
  if (impl->options.web_root) {
    auto files = net::StaticFiles::open(*impl->options.web_root);
    if (!files) return core::make_error(core::Errc::not_found, fmt::format("--web-root {} is not a directory", impl->options.web_root->string()));
    impl->files.emplace(std::move(*files));
  }
  if (!is_loopback(impl->options.address)) {
    spdlog::warn("direct: listening on {} beyond loopback; every connection still needs a paired device key",
                 impl->options.address);
  }
  net::HttpServerOptions http;
  http.address = impl->options.address;
  http.port = impl->options.port;
  http.max_connections = impl->options.max_connections;
  std::weak_ptr<Impl> weak = impl;
  net::HttpHandlers h;
  h.on_connect = [weak](std::uint64_t id, const std::string& address) -> std::optional<net::HttpResponse> {
    auto self = weak.lock();
    return self ? self->on_connect(id, address) : plain(503, "stopping\n");
  };
  h.on_disconnect = [weak](std::uint64_t id) {
    if (auto self = weak.lock()) self->handshake_over(id);
  };
  h.on_request = [weak](const net::HttpRequest& req) {
    auto self = weak.lock();
    return self ? self->on_request(req) : plain(503, "stopping\n");
  };
  h.on_upgrade = [weak](const net::HttpRequest& req) -> std::optional<net::HttpResponse> {
    auto self = weak.lock();
    if (!self || self->stopping) return plain(503, "stopping\n");
    return self->on_upgrade(req);
  };
  h.on_websocket = [weak](const std::shared_ptr<net::WebSocket>& ws, const net::HttpRequest&) {
    auto self = weak.lock();
    if (!self) return ws->abort();
    const auto id = ws->id();
    self->sockets[id] = ws;
    self->start_deadline(weak, ws);
    serve_websocket(
        ws, self->factory,
        [weak, id] {
          if (auto s = weak.lock()) {
            s->handshake_over(id);
            s->sockets.erase(id);
            s->maybe_stopped();
          }
        },
        [weak, id] {
          if (auto s = weak.lock()) s->handshake_over(id);
        });
  };
  auto server = net::HttpServer::listen(runtime, std::move(http), std::move(h));
  if (!server) return server.error();
  impl->server = std::move(*server);
  spdlog::info("direct: listening on {}:{}", impl->options.address, impl->server->port());
  return std::unique_ptr<DirectListener>(new DirectListener(impl));
}

DirectListener::~DirectListener() = default;

void DirectListener::serve(HandlerFactory handlers) { impl_->factory = std::move(handlers); }

std::uint16_t DirectListener::port() const { return impl_->server->port(); }

std::string DirectListener::origin() const {
  const auto& a = impl_->options.address;
  const std::string host = a.find(':') != std::string::npos ? "[" + a + "]" : (a == "0.0.0.0" ? "127.0.0.1" : a);
  return fmt::format("http://{}:{}", host, port());
}

std::size_t DirectListener::connections() const { return impl_->sockets.size(); }

void DirectListener::shutdown(std::function<void()> done) {
  impl_->stopping = true;
  impl_->on_stopped = std::move(done);
  impl_->server->shutdown();
  for (auto& [id, cancel] : std::exchange(impl_->deadlines, {})) cancel();
  auto sockets = impl_->sockets;
  for (auto& [id, weak] : sockets) {
    if (auto ws = weak.lock()) ws->close(link::close_code::kDaemonStopping, "daemon stopping");
  }
  impl_->maybe_stopped();
}

void fit_connection_caps(DirectOptions& options, std::optional<std::size_t> open_file_limit) {
  options.max_connections = net::connection_budget(open_file_limit, kDescriptorReserve, options.max_connections);
  options.max_handshakes = std::min(options.max_handshakes, std::max<std::size_t>(1, options.max_connections / 2));
}

core::Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return core::make_error(core::Errc::bad_listen, "--listen takes HOST:PORT, e.g. 127.0.0.1:7777");
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto p = text.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || ptr != p.data() + p.size() || port > 65535) {
    return core::make_error(core::Errc::bad_listen, "--listen port must be a number from 0 to 65535");
  }
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

}  // namespace tether::daemon
