#include "relay/relay_server.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <unordered_map>

#include "core/encoding.hpp"
#include "net/connection_limiter.hpp"
#include "net/http_server.hpp"
#include "link/close_codes.hpp"
#include "link/link_auth.hpp"
#include "relay/link_limiter.hpp"
#include "relay/metrics.hpp"
#include "link/random.hpp"
#include "relay/router.hpp"
#include "relay/routes.hpp"
#include "net/static_files.hpp"
#include "relay/token_bucket.hpp"
#include "link/wire.hpp"

namespace tether::relay {
namespace {

constexpr auto kSweepEvery = std::chrono::milliseconds(250);

enum class Role {
  link_pending,    // /v1/daemon, challenge sent, no valid hello yet
  link,            // an authenticated daemon link
  client_pending,  // /v1/connect, waiting for the daemon's accept (reading paused)
  client,          // spliced, client side
  daemon_side,     // spliced, the daemon's data socket (/v1/accept)
  refused,         // being closed with a code
};

struct LinkState {
  std::string daemon_id;  // once linked
  core::Bytes nonce;      // the challenge, until answered
};

// One per socket, so kept small: a relay holds two for every idle pair.
struct Conn {
  std::shared_ptr<net::WebSocket> ws;
  Role role = Role::refused;
  std::unique_ptr<LinkState> link;  // link_pending and link only
  ConnId peer = 0;                   // spliced only
  std::optional<TokenBucket> bucket;
  std::function<void()> cancel_timer;  // the hello deadline, or a throttle's resume
  std::string_view close_key;          // why we closed it, for metrics (a literal)
};

net::HttpResponse text(int status, std::string body) { return net::text_response(status, std::move(body)); }

// Whether a close code may be sent on as it is (RFC 6455 §7.4).
bool sendable(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1013) || (code >= 3000 && code <= 4999);
}

}  // namespace

struct RelayServer::Impl : std::enable_shared_from_this<RelayServer::Impl> {
  Impl(net::Runtime& rt, RelayOptions o)
      : runtime(rt),
        options(std::move(o)),
        router(options.max_pending_per_daemon, options.accept_timeout),
        limiter(options.max_connections, options.max_connections_per_ip),
        links(options.max_links, options.max_links_per_ip) {}
  ~Impl() {
    for (auto& [id, c] : conns) {
      if (c.ws) c.ws->set_handlers({});
    }
  }

  net::HttpHandlers http_handlers();
  std::optional<net::HttpResponse> on_connect(ConnId id, const std::string& address);
  net::HttpResponse on_request(const net::HttpRequest& req);
  std::optional<net::HttpResponse> on_upgrade(const net::HttpRequest& req);
  void on_websocket(const std::shared_ptr<net::WebSocket>& ws, const net::HttpRequest& req);
  void on_event(net::HttpEvent e);
  void on_message(ConnId id, std::string&& data, bool binary);
  void on_end(ConnId id, const net::WsEnd& end);

  void start_link(ConnId id);
  void start_connect(ConnId id, const std::string& daemon_id);
  void start_accept(ConnId id, const std::string& token);
  void link_hello(ConnId id, Conn& c, const std::string& data, bool binary);
  bool admit_link(ConnId id, Conn& c, const std::string& daemon_id);
  void forward(ConnId id, Conn& c, std::string&& data, bool binary);
  void close(ConnId id, std::uint16_t code, std::string reason, std::string_view key);
  void sweep();
  void maybe_drained();

  net::Runtime& runtime;
  RelayOptions options;
  std::unique_ptr<net::HttpServer> server;
  std::optional<net::StaticFiles> static_files;
  Router router;
  net::ConnectionLimiter limiter;
  LinkLimiter links;
  Metrics metrics;
  std::unordered_map<ConnId, Conn> conns;
  std::size_t spliced_pairs = 0;
  bool shutting_down = false;
  std::function<void()> on_drained;
};

net::HttpHandlers RelayServer::Impl::http_handlers() {
  // The sockets may outlive the relay object by a moment at exit: reach it weakly.
  std::weak_ptr<Impl> weak = weak_from_this();
  net::HttpHandlers h;
  h.on_connect = [weak](std::uint64_t id, const std::string& address) -> std::optional<net::HttpResponse> {
    auto self = weak.lock();
    return self ? self->on_connect(id, address) : text(503, "relay stopping\n");
  };
  h.on_disconnect = [weak](std::uint64_t id) {
    if (auto self = weak.lock()) self->limiter.release(id);
  };
  h.on_request = [weak](const net::HttpRequest& req) {
    auto self = weak.lock();
    return self ? self->on_request(req) : text(503, "relay stopping\n");
  };
  h.on_upgrade = [weak](const net::HttpRequest& req) -> std::optional<net::HttpResponse> {
    auto self = weak.lock();
    return self ? self->on_upgrade(req) : text(503, "relay stopping\n");
  };
  h.on_websocket = [weak](const std::shared_ptr<net::WebSocket>& ws, const net::HttpRequest& req) {
    if (auto self = weak.lock()) {
      self->on_websocket(ws, req);
    } else {
      ws->abort();
    }
  };
  h.on_event = [weak](net::HttpEvent e) {
    if (auto self = weak.lock()) self->on_event(e);
  };
  return h;
}

std::optional<net::HttpResponse> RelayServer::Impl::on_connect(ConnId id, const std::string& address) {
  if (shutting_down) return text(503, "relay stopping\n");
  switch (limiter.admit(id, address)) {
    case net::ConnectionLimiter::Admission::admitted:
      return std::nullopt;
    case net::ConnectionLimiter::Admission::address_full:
      metrics.limit_hit("connections_per_ip");
      metrics.http_response(429);
      return text(429, "too many connections from your address\n");
    case net::ConnectionLimiter::Admission::total_full: {
      metrics.limit_hit("connections_total");
      metrics.http_response(503);
      auto r = text(503, "relay full\n");
      r.headers.emplace_back("Retry-After", "10");
      return r;
    }
  }
  return std::nullopt;
}

net::HttpResponse RelayServer::Impl::on_request(const net::HttpRequest& req) {
  const Route route = route_for(req.target);
  net::HttpResponse res;
  if (req.method != "GET" && req.method != "HEAD") {
    res = text(405, "method not allowed\n");
    res.headers.emplace_back("Allow", "GET, HEAD");
  } else {
    switch (route.kind) {
      case RouteKind::healthz:
        res = text(200, "ok\n");
        break;
      case RouteKind::metrics:
        res = text(200, metrics.render(Gauges{limiter.total(), router.link_count(), router.pending_count(), spliced_pairs}));
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        break;
      case RouteKind::daemon_link:
      case RouteKind::connect:
      case RouteKind::accept:
        res = text(426, "this endpoint needs a WebSocket upgrade\n");
        res.headers.emplace_back("Upgrade", "websocket");
        break;
      case RouteKind::static_file: {
        if (!static_files) {
          res = text(404, "not found\n");
          break;
        }
        res = static_files->respond(req.target);
        break;
      }
      case RouteKind::not_found:
        res = text(404, "not found\n");
        break;
    }
  }
  metrics.http_response(res.status);
  return res;
}

std::optional<net::HttpResponse> RelayServer::Impl::on_upgrade(const net::HttpRequest& req) {
  std::optional<net::HttpResponse> refusal;
  if (shutting_down) {
    refusal = text(503, "relay stopping\n");
  } else if (!is_websocket_route(route_for(req.target).kind)) {
    refusal = text(404, "not found\n");
  }
  if (refusal) metrics.http_response(refusal->status);
  return refusal;
}

void RelayServer::Impl::on_websocket(const std::shared_ptr<net::WebSocket>& ws, const net::HttpRequest& req) {
  // A plain pointer (kept inside std::function, no allocation per socket): every socket
  // is in `conns` until its on_end, and ~Impl clears the handlers of those still there.
  ws->set_handlers(net::WsHandlers{
      [this](net::WebSocket& w, std::string&& data, bool binary) { on_message(w.id(), std::move(data), binary); },
      [this](net::WebSocket& w, const net::WsEnd& end) { on_end(w.id(), end); },
  });
  const ConnId id = ws->id();
  conns[id].ws = ws;
  const Route route = route_for(req.target);
  switch (route.kind) {
    case RouteKind::daemon_link: start_link(id); break;
    case RouteKind::connect: start_connect(id, route.param); break;
    case RouteKind::accept: start_accept(id, route.param); break;
    default: close(id, tether::link::close_code::kBadMessage, "unknown endpoint", "bad_path"); break;
  }
}

void RelayServer::Impl::start_link(ConnId id) {
  Conn& c = conns[id];
  c.role = Role::link_pending;
  c.link = std::make_unique<LinkState>();
  c.link->nonce = tether::link::random_bytes(tether::link::kNonceSize);
  c.ws->send(tether::link::encode(tether::link::Challenge{core::base64url_encode(c.link->nonce)}), false);
  std::weak_ptr<Impl> weak = weak_from_this();
  c.cancel_timer = runtime.after(options.header_timeout, [weak, id] {
    auto self = weak.lock();
    if (!self) return;
    auto it = self->conns.find(id);
    if (it != self->conns.end() && it->second.role == Role::link_pending) {
      self->close(id, tether::link::close_code::kTimeout, "no hello in time", "hello_timeout");
    }
  });
}

void RelayServer::Impl::start_connect(ConnId id, const std::string& daemon_id) {
  Conn& c = conns[id];
  c.role = Role::client_pending;
  std::string token = core::base64url_encode(tether::link::random_bytes(tether::link::kTokenSize));
  auto link = router.begin_connect(daemon_id, id, token, Clock::now());
  if (!link) {
    c.role = Role::refused;
    if (link.error().code == core::Errc::not_linked) {
      close(id, tether::link::close_code::kDaemonNotLinked, "daemon not linked", "daemon_not_linked");
    } else {
      metrics.limit_hit("pending_per_daemon");
      close(id, tether::link::close_code::kTooManyPending, "too many pending connections for this daemon", "pending_per_daemon");
    }
    return;
  }
  c.ws->pause_reading();  // the client's first frames wait (one, then TCP) until spliced
  conns[*link].ws->send(tether::link::encode(tether::link::Accept{std::move(token)}), false);
  spdlog::debug("connection {}: connect to a linked daemon, accept requested", id);
}

void RelayServer::Impl::start_accept(ConnId id, const std::string& token) {
  Conn& d = conns[id];
  d.role = Role::refused;
  auto pending = router.take_accept(token, Clock::now());
  auto client = pending ? conns.find(pending->client) : conns.end();
  if (client == conns.end()) {
    close(id, tether::link::close_code::kUnknownToken, "unknown or expired accept token", "unknown_token");
    return;
  }
  limiter.exempt(id);  // the daemon's data sockets do not count against its address
  const auto now = Clock::now();
  Conn& c = client->second;
  d.role = Role::daemon_side;
  d.peer = client->first;
  d.bucket.emplace(options.rate_bytes_per_second, options.burst_bytes, now);
  c.role = Role::client;
  c.peer = id;
  c.bucket.emplace(options.rate_bytes_per_second, options.burst_bytes, now);
  ++spliced_pairs;
  metrics.spliced();
  c.ws->resume_reading();
  spdlog::debug("connections {} and {} spliced", client->first, id);
}

void RelayServer::Impl::on_message(ConnId id, std::string&& data, bool binary) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  Conn& c = it->second;
  switch (c.role) {
    case Role::link_pending: link_hello(id, c, data, binary); break;
    case Role::link: close(id, tether::link::close_code::kBadMessage, "unexpected message on the link", "bad_message"); break;
    case Role::client:
    case Role::daemon_side: forward(id, c, std::move(data), binary); break;
    case Role::client_pending:
    case Role::refused: break;
  }
}

void RelayServer::Impl::link_hello(ConnId id, Conn& c, const std::string& data, bool binary) {
  auto message = binary ? core::Result<tether::link::LinkMessage>(core::make_error(core::Errc::bad_message, "binary frame"))
                        : tether::link::parse_link_message(data);
  if (!message || !std::holds_alternative<tether::link::Hello>(*message)) {
    close(id, tether::link::close_code::kBadMessage, "expected a hello message", "bad_message");
    return;
  }
  auto daemon_id = tether::link::verify_hello(std::get<tether::link::Hello>(*message), c.link->nonce);
  c.link->nonce.clear();  // one answer per challenge
  if (!daemon_id) {
    close(id, tether::link::close_code::kAuthFailed, "authentication failed: " + daemon_id.error().message, "auth_failed");
    return;
  }
  if (c.cancel_timer) c.cancel_timer();
  c.cancel_timer = nullptr;
  if (!admit_link(id, c, *daemon_id)) return;
  c.role = Role::link;
  c.link->daemon_id = *daemon_id;
  limiter.exempt(id);  // counted by `links` from now on
  if (auto old = router.link(c.link->daemon_id, id)) {
    close(*old, tether::link::close_code::kLinkReplaced, "replaced by a newer link for this daemon", "link_replaced");
  }
  metrics.linked();
  c.ws->send(tether::link::encode(tether::link::Linked{}), false);
  spdlog::info("daemon {} linked from {}", c.link->daemon_id, c.ws->remote_address());
}

// A link of an id already linked takes that link's place in the bounds; any other needs
// room at its address and in the total. A refused link leaves the id's link as it was.
bool RelayServer::Impl::admit_link(ConnId id, Conn& c, const std::string& daemon_id) {
  switch (links.admit(id, c.ws->remote_address(), router.link_of(daemon_id))) {
    case LinkLimiter::Admission::admitted:
      return true;
    case LinkLimiter::Admission::address_full:
      c.role = Role::refused;
      metrics.limit_hit("links_per_ip");
      close(id, tether::link::close_code::kTooManyLinks, "too many links from your address", "links_per_ip");
      return false;
    case LinkLimiter::Admission::relay_full:
      c.role = Role::refused;
      metrics.limit_hit("links_total");
      close(id, tether::link::close_code::kRelayFull, "relay full: too many links", "links_total");
      return false;
  }
  return false;
}

void RelayServer::Impl::forward(ConnId id, Conn& c, std::string&& data, bool binary) {
  if (!binary) {
    close(id, tether::link::close_code::kUnsupportedData, "binary frames only", "text_frame");
    return;
  }
  auto peer = conns.find(c.peer);
  if (peer == conns.end()) return;
  const std::size_t n = data.size();
  metrics.relayed(c.role == Role::client ? Metrics::Direction::client_to_daemon : Metrics::Direction::daemon_to_client, n);
  // A peer that cannot take it is cut off (write_queue_full); its end closes this side.
  peer->second.ws->send(std::move(data), true);
  if (!c.bucket) return;
  const auto pause = c.bucket->consume(n, Clock::now());
  if (pause <= Clock::duration::zero()) return;
  metrics.limit_hit("rate");
  c.ws->pause_reading();
  std::weak_ptr<Impl> weak = weak_from_this();
  c.cancel_timer = runtime.after(pause, [weak, id] {
    auto self = weak.lock();
    if (!self) return;
    if (auto it = self->conns.find(id); it != self->conns.end()) {
      it->second.cancel_timer = nullptr;
      it->second.ws->resume_reading();
    }
  });
}

void RelayServer::Impl::on_end(ConnId id, const net::WsEnd& end) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  Conn c = std::move(it->second);
  conns.erase(it);
  if (c.cancel_timer) c.cancel_timer();
  const bool ours = end.cause == net::WsEndCause::closed_by_us && !c.close_key.empty();
  metrics.closed(ours ? c.close_key : net::to_string(end.cause));
  if (end.cause == net::WsEndCause::message_too_big) metrics.limit_hit("max_frame");
  if (end.cause == net::WsEndCause::idle_timeout) metrics.limit_hit("idle_timeout");
  if (end.cause == net::WsEndCause::write_queue_full) metrics.limit_hit("write_queue");
  switch (c.role) {
    case Role::link:
      router.unlink(c.link->daemon_id, id);
      links.release(id);  // a replaced link was released when its successor was admitted
      spdlog::info("daemon {} link ended ({})", c.link->daemon_id, ours ? c.close_key : net::to_string(end.cause));
      break;
    case Role::client_pending:
      router.cancel_client(id);
      break;
    case Role::client:
    case Role::daemon_side:
      if (auto peer = conns.find(c.peer); peer != conns.end()) {
        peer->second.peer = 0;
        --spliced_pairs;
        if (end.cause == net::WsEndCause::closed_by_peer && sendable(end.code)) {
          close(c.peer, end.code, end.reason, "peer_closed");
        } else {
          close(c.peer, tether::link::close_code::kGoingAway, "peer went away", "peer_closed");
        }
      }
      break;
    case Role::link_pending:
    case Role::refused:
      break;
  }
  maybe_drained();
}

void RelayServer::Impl::close(ConnId id, std::uint16_t code, std::string reason, std::string_view key) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  if (it->second.close_key.empty()) it->second.close_key = key;
  it->second.ws->close(code, std::move(reason));
}

void RelayServer::Impl::on_event(net::HttpEvent e) {
  switch (e) {
    case net::HttpEvent::header_timeout: metrics.limit_hit("header_timeout"); break;
    case net::HttpEvent::header_too_large:
      metrics.limit_hit("header_size");
      metrics.http_response(431);
      break;
    case net::HttpEvent::bad_request:
    case net::HttpEvent::websocket_handshake_failed: metrics.http_response(400); break;
    case net::HttpEvent::tls_handshake_failed: metrics.closed("tls_handshake_failed"); break;
    case net::HttpEvent::over_capacity: metrics.limit_hit("connections_total"); break;  // no cap set: not seen
  }
}

void RelayServer::Impl::sweep() {
  for (const auto& p : router.expire(Clock::now())) {
    metrics.limit_hit("accept_timeout");
    if (auto it = conns.find(p.client); it != conns.end()) it->second.role = Role::refused;
    close(p.client, tether::link::close_code::kTimeout, "daemon did not accept in time", "accept_timeout");
  }
}

void RelayServer::Impl::maybe_drained() {
  if (!shutting_down || !conns.empty() || !on_drained) return;
  auto done = std::move(on_drained);
  on_drained = nullptr;
  done();
}

RelayServer::RelayServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

RelayServer::~RelayServer() {
  if (impl_->server) impl_->server->shutdown();
}

core::Result<std::unique_ptr<RelayServer>> RelayServer::start(net::Runtime& runtime, RelayOptions options) {
  auto impl = std::make_shared<Impl>(runtime, std::move(options));
  const auto& o = impl->options;
  if (o.web_root) {
    auto files = net::StaticFiles::open(*o.web_root);
    if (!files) return core::make_error(core::Errc::web_root, files.error().message);
    impl->static_files.emplace(std::move(files).value());
  }
  net::HttpServerOptions http;
  http.address = o.address;
  http.port = o.port;
  if (o.cert_file && o.key_file) http.tls = net::TlsFiles{*o.cert_file, *o.key_file};
  http.max_header_bytes = o.max_header_bytes;
  http.header_timeout = o.header_timeout;
  http.websocket.max_message_bytes = o.max_frame_bytes;
  http.websocket.max_queued_bytes = o.write_queue_bytes;
  http.websocket.idle_timeout = o.idle_timeout;
  auto server = net::HttpServer::listen(runtime, std::move(http), impl->http_handlers());
  if (!server) return server.error();
  impl->server = std::move(server).value();
  std::weak_ptr<Impl> weak = impl;
  runtime.every(kSweepEvery, [weak] {
    if (auto self = weak.lock()) self->sweep();
  });
  // The RelayServer holds the only strong reference; handlers and timers hold weak ones.
  return std::unique_ptr<RelayServer>(new RelayServer(std::move(impl)));
}

std::uint16_t RelayServer::port() const { return impl_->server ? impl_->server->port() : 0; }

void RelayServer::shutdown(std::function<void()> done) {
  impl_->shutting_down = true;
  if (impl_->server) impl_->server->shutdown();
  impl_->on_drained = std::move(done);
  std::vector<ConnId> ids;
  for (const auto& [id, c] : impl_->conns) ids.push_back(id);
  for (ConnId id : ids) impl_->close(id, tether::link::close_code::kGoingAway, "relay shutting down", "shutdown");
  impl_->maybe_drained();
}

}  // namespace tether::relay
