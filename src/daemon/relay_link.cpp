#include "daemon/relay_link.hpp"

#include "daemon/served_socket.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unordered_map>
#include <variant>

#include "core/encoding.hpp"
#include "core/files.hpp"
#include "net/websocket.hpp"
#include "net/ws_client.hpp"
#include "link/backoff.hpp"
#include "link/close_codes.hpp"
#include "link/link_auth.hpp"
#include "link/link_config.hpp"
#include "link/random.hpp"
#include "link/wire.hpp"

namespace tether::daemon {
namespace {

constexpr auto kBackoffInitial = std::chrono::milliseconds(500);
constexpr auto kLinkDeadline = std::chrono::seconds(20);  // from socket open to "linked"
constexpr std::size_t kMaxConfigBytes = 64 * 1024;


std::string describe(const net::WsEnd& end) {
  if (end.cause == net::WsEndCause::closed_by_peer) {
    return fmt::format("the relay closed the link: {} {}", end.code, end.reason);
  }
  return fmt::format("link ended: {} {}", net::to_string(end.cause), end.reason);
}

}  // namespace


core::Result<std::optional<RelayLinkSettings>> load_relay_settings(const core::HomePaths& home,
                                                                  const std::optional<std::string>& url_flag,
                                                                  const std::optional<std::string>& ca_flag,
                                                                  std::optional<double> backoff_max_flag) {
  tether::link::LinkSettings file;
  const auto config = home.dir / "config.json";
  std::error_code ec;
  if (std::filesystem::exists(config, ec)) {
    auto text = core::read_file(config, kMaxConfigBytes);
    if (!text) return core::make_error(core::Errc::bad_config, fmt::format("{}: {}", config.string(), text.error().message));
    auto parsed = tether::link::parse_config_json(*text);
    if (!parsed) return core::make_error(core::Errc::bad_config, fmt::format("{}: {}", config.string(), parsed.error().message));
    file = std::move(parsed).value();
  }
  const auto url_text = url_flag ? url_flag : file.url;
  if (!url_text || url_text->empty()) return std::optional<RelayLinkSettings>();
  auto url = tether::link::parse_relay_url(*url_text);
  if (!url) return url.error();
  RelayLinkSettings s;
  s.url = std::move(url).value();
  if (const auto ca = ca_flag ? ca_flag : file.ca_file) {
    if (!std::filesystem::is_regular_file(*ca, ec)) {
      return core::make_error(core::Errc::bad_config, fmt::format("relay CA file {} does not exist", *ca));
    }
    s.ca_file = std::filesystem::path(*ca);
  }
  if (const auto b = backoff_max_flag ? backoff_max_flag : file.backoff_max_seconds) {
    s.backoff_max = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(*b));
  }
  return std::optional<RelayLinkSettings>(std::move(s));
}

struct RelayLink::Impl : std::enable_shared_from_this<RelayLink::Impl> {
  Impl(net::Runtime& rt, const crypto::Identity& id, RelayLinkSettings s)
      : runtime(rt), identity(id), settings(std::move(s)),
        backoff(kBackoffInitial, settings.backoff_max) {
    status.url = settings.url.text;
  }

  net::WsClientOptions client_options(std::string path) const {
    net::WsClientOptions o;
    o.tls = settings.url.tls;
    o.host = settings.url.host;
    o.port = settings.url.port;
    o.target = settings.url.target(path);
    o.ca_file = settings.ca_file;
    return o;
  }

  void set_state(RelayLinkStatus::State s) {
    if (status.state != s) status.since = std::chrono::system_clock::now();
    status.state = s;
  }

  void connect();
  void on_link_open(core::Result<std::shared_ptr<net::WebSocket>> r);
  void on_link_message(std::string_view text);
  void on_link_end(const net::WsEnd& end);
  void retry_later(std::string why);
  void open_data(const std::string& token);
  void on_data_open(std::uint64_t attempt, core::Result<std::shared_ptr<net::WebSocket>> r);
  void maybe_stopped();

  net::Runtime& runtime;
  const crypto::Identity& identity;
  RelayLinkSettings settings;
  HandlerFactory factory;
  tether::link::Backoff backoff;
  RelayLinkStatus status;
  std::shared_ptr<net::WebSocket> link;
  bool linked = false;
  std::function<void()> cancel_connect;
  std::function<void()> cancel_retry;
  std::function<void()> cancel_link_deadline;
  std::unordered_map<std::uint64_t, std::function<void()>> data_attempts;  // attempt -> cancel
  std::uint64_t next_attempt = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<net::WebSocket>> data;  // socket id -> data socket
  bool stopping = false;
  std::function<void()> on_stopped;
};

void RelayLink::Impl::connect() {
  cancel_retry = nullptr;
  if (stopping) return;
  set_state(RelayLinkStatus::State::connecting);
  auto o = client_options("/v1/daemon");
  o.limits.max_message_bytes = 64 * 1024;
  std::weak_ptr<Impl> weak = weak_from_this();
  cancel_connect = net::connect_websocket(runtime, std::move(o), [weak](core::Result<std::shared_ptr<net::WebSocket>> r) {
    if (auto self = weak.lock()) {
      self->on_link_open(std::move(r));
    } else if (r) {
      (*r)->abort();
    }
  });
}

void RelayLink::Impl::on_link_open(core::Result<std::shared_ptr<net::WebSocket>> r) {
  cancel_connect = nullptr;
  if (!r) {
    if (stopping) return maybe_stopped();
    return retry_later(r.error().message);
  }
  if (stopping) {
    (*r)->abort();
    return;
  }
  link = *r;
  std::weak_ptr<Impl> weak = weak_from_this();
  link->set_handlers(net::WsHandlers{
      [weak](net::WebSocket& ws, std::string&& text, bool binary) {
        auto self = weak.lock();
        if (!self) return;
        if (binary) {
          ws.close(tether::link::close_code::kBadMessage, "expected text frames");
          return;
        }
        self->on_link_message(text);
      },
      [weak](net::WebSocket&, const net::WsEnd& end) {
        if (auto self = weak.lock()) self->on_link_end(end);
      },
  });
  cancel_link_deadline = runtime.after(kLinkDeadline, [weak] {
    auto self = weak.lock();
    if (self && self->link && !self->linked) self->link->close(4408, "no challenge or linked in time");
  });
}

void RelayLink::Impl::on_link_message(std::string_view text) {
  auto message = tether::link::parse_link_message(text);
  if (!message) {
    link->close(tether::link::close_code::kBadMessage, "malformed message");
    return;
  }
  if (auto* challenge = std::get_if<tether::link::Challenge>(&*message); challenge && !linked) {
    auto nonce = core::base64url_decode(challenge->nonce);
    if (!nonce || nonce->size() != tether::link::kNonceSize) {
      link->close(tether::link::close_code::kBadMessage, "malformed challenge");
      return;
    }
    link->send(tether::link::encode(tether::link::make_hello(identity, *nonce)), false);
  } else if (std::holds_alternative<tether::link::Linked>(*message) && !linked) {
    linked = true;
    if (cancel_link_deadline) cancel_link_deadline();
    cancel_link_deadline = nullptr;
    backoff.reset();
    status.last_error.clear();
    set_state(RelayLinkStatus::State::connected);
    spdlog::info("relay link up: {}", settings.url.text);
  } else if (auto* accept = std::get_if<tether::link::Accept>(&*message); accept && linked) {
    open_data(accept->token);
  } else {
    link->close(tether::link::close_code::kBadMessage, "unexpected message");
  }
}

void RelayLink::Impl::on_link_end(const net::WsEnd& end) {
  link = nullptr;
  const bool was_linked = linked;
  linked = false;
  if (cancel_link_deadline) cancel_link_deadline();
  cancel_link_deadline = nullptr;
  if (stopping) return maybe_stopped();
  const std::string why = describe(end);
  if (was_linked) spdlog::warn("relay link down ({})", why);
  retry_later(why);
}

void RelayLink::Impl::retry_later(std::string why) {
  status.last_error = std::move(why);
  set_state(RelayLinkStatus::State::connecting);
  const auto delay = backoff.next(tether::link::random_unit());
  spdlog::info("relay link: {}; retrying in {} ms", status.last_error,
               std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
  std::weak_ptr<Impl> weak = weak_from_this();
  cancel_retry = runtime.after(delay, [weak] {
    if (auto self = weak.lock()) self->connect();
  });
}

void RelayLink::Impl::open_data(const std::string& token) {
  auto bytes = core::base64url_decode(token);
  if (!bytes || bytes->size() != tether::link::kTokenSize) {
    spdlog::warn("relay link: ignoring a malformed accept");
    return;
  }
  const std::uint64_t attempt = next_attempt++;
  std::weak_ptr<Impl> weak = weak_from_this();
  data_attempts[attempt] = net::connect_websocket(
      runtime, client_options("/v1/accept/" + token), [weak, attempt](core::Result<std::shared_ptr<net::WebSocket>> r) {
        if (auto self = weak.lock()) {
          self->on_data_open(attempt, std::move(r));
        } else if (r) {
          (*r)->abort();
        }
      });
}

void RelayLink::Impl::on_data_open(std::uint64_t attempt, core::Result<std::shared_ptr<net::WebSocket>> r) {
  data_attempts.erase(attempt);
  if (!r) {
    if (!stopping) spdlog::warn("relay: cannot open a data connection: {}", r.error().message);
    return maybe_stopped();
  }
  auto ws = *r;
  if (stopping) {
    ws->abort();
    return;
  }
  data[ws->id()] = ws;
  std::weak_ptr<Impl> weak = weak_from_this();
  serve_websocket(ws, factory, [weak, id = ws->id()] {
    if (auto self = weak.lock()) {
      self->data.erase(id);
      self->maybe_stopped();
    }
  });
}

void RelayLink::Impl::maybe_stopped() {
  if (!stopping || link || cancel_connect || !data_attempts.empty() || !data.empty() || !on_stopped) return;
  auto done = std::move(on_stopped);
  on_stopped = nullptr;
  done();
}

RelayLink::RelayLink(net::Runtime& runtime, const crypto::Identity& identity, RelayLinkSettings settings)
    : impl_(std::make_shared<Impl>(runtime, identity, std::move(settings))) {}

RelayLink::~RelayLink() = default;

void RelayLink::start(HandlerFactory handlers) {
  impl_->factory = std::move(handlers);
  impl_->connect();
}

void RelayLink::shutdown(std::function<void()> done) {
  auto& i = *impl_;
  i.stopping = true;
  i.on_stopped = std::move(done);
  i.set_state(RelayLinkStatus::State::disabled);
  if (i.cancel_retry) i.cancel_retry();
  i.cancel_retry = nullptr;
  if (i.cancel_link_deadline) i.cancel_link_deadline();
  i.cancel_link_deadline = nullptr;
  if (i.cancel_connect) i.cancel_connect();  // its callback reports "cancelled" and clears it
  auto attempts = i.data_attempts;
  for (auto& [id, cancel] : attempts) cancel();
  if (i.link) i.link->close(1000, "daemon shutting down");
  for (auto& [id, ws] : i.data) ws->close(tether::link::close_code::kDaemonStopping, "daemon stopping");
  i.maybe_stopped();
}

RelayLinkStatus RelayLink::status() const {
  RelayLinkStatus s = impl_->status;
  s.data_connections = impl_->data.size();
  return s;
}

}  // namespace tether::daemon
