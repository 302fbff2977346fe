#include "cli/remote_client.hpp"

#include "link/close_codes.hpp"

#include <atomic>
#include <charconv>
#include <thread>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "core/encoding.hpp"
#include "core/link_states.hpp"
#include "crypto/framing.hpp"
#include "crypto/ik_handshake.hpp"
#include "net/runtime.hpp"
#include "net/websocket.hpp"
#include "net/ws_client.hpp"
#include "proto/json_fields.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

std::span<const std::uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// "scheme://host[:port][/prefix]" → client options; `path` is appended to the prefix.
core::Result<net::WsClientOptions> endpoint(std::string_view url, std::string_view path) {
  net::WsClientOptions o;
  std::string_view rest;
  if (url.starts_with("https://") || url.starts_with("wss://")) {
    o.tls = true;
    o.port = 443;
    rest = url.substr(url.find("//") + 2);
  } else if (url.starts_with("http://") || url.starts_with("ws://")) {
    o.tls = false;
    o.port = 80;
    rest = url.substr(url.find("//") + 2);
  } else {
    return core::make_error(core::Errc::bad_url, fmt::format("cannot connect to \"{}\"", url));
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return core::make_error(core::Errc::bad_url, "bad IPv6 address in " + std::string(url));
    o.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    o.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return core::make_error(core::Errc::bad_url, "bad port in " + std::string(url));
    }
    o.port = static_cast<std::uint16_t>(port);
  }
  if (o.host.empty()) return core::make_error(core::Errc::bad_url, "no host in " + std::string(url));
  o.target = prefix + std::string(path);
  return o;
}

// One exchange on the event loop; ends by stopping the runtime.
struct Exchange {
  net::Runtime& runtime;
  std::optional<crypto::IkHandshake> handshake;
  std::optional<crypto::Channel> channel;
  crypto::Reassembler reassembler;
  std::optional<std::string> request;
  RemoteReply reply;
  std::optional<core::Error> error;
  bool done = false;
  bool hold_open = false;
  RemoteMessageHandler on_line;
  PairConfirm confirm{};        // pairing: asks whether the codes match, on `asker`
  std::string daemon_id{};      // the id this side knows the daemon by
  std::thread asker{};
  std::atomic<bool> finished{false};

  void finish(std::optional<core::Error> e, net::WebSocket* ws) {
    if (done) return;
    done = true;
    finished = true;
    error = std::move(e);
    if (ws) ws->close(1000, "done");
    runtime.stop();
  }

  void on_message(net::WebSocket& ws, std::string&& frame) {
    if (!channel) {
      auto payload = handshake->read_message(bytes_of(frame));
      if (!payload) return finish(core::make_error(core::Errc::noise, "the daemon's handshake answer did not verify"), &ws);
      boost::system::error_code ec;
      json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(payload->data()), payload->size()), ec);
      if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        if (const auto* d = o.if_contains("device_id"); d && d->is_string()) reply.device_id = std::string(d->as_string());
        if (const auto* m = o.if_contains("mode"); m && m->is_string()) reply.mode = std::string(m->as_string());
        if (const auto* r = o.if_contains("rotate"); r && r->is_object()) {
          const auto& rot = r->as_object();
          const auto* deadline = rot.if_contains("deadline");
          reply.rotation = crypto::KeyRotation{daemon_id, std::string(proto::fields::string_at(rot, "daemon_id")),
                                               std::string(proto::fields::string_at(rot, "noise_key")),
                                               deadline && deadline->is_int64() ? deadline->as_int64() : 0,
                                               std::string(proto::fields::string_at(rot, "signature"))};
        }
      }
      auto ch = handshake->finish();
      if (!ch) return finish(ch.error(), &ws);
      channel.emplace(std::move(*ch));
      reply.sas = channel->sas();
      if (confirm) {
        asker = std::thread([this, &ws] {
          const bool match = confirm(reply.sas, [this] { return !finished.load(); });
          runtime.post([this, &ws, match] {
            if (!done) send_line(ws, proto::make_request(1, "pair.confirm", json::object{{"match", match}}));
          });
        });
        return;
      }
      if (hold_open && !request) return;
      if (!request) return finish(std::nullopt, &ws);
      send_line(ws, *request);
      return;
    }
    auto chunk = channel->decrypt(bytes_of(frame));
    if (!chunk) return finish(core::make_error(core::Errc::noise, "a reply failed to decrypt"), &ws);
    auto message = reassembler.push(*chunk);
    if (!message) return finish(core::make_error(core::Errc::noise, "a reply was badly framed"), &ws);
    if (*message) {
      reply.reply_line.assign((*message)->begin(), (*message)->end());
      const RemoteSend send = [this, &ws](std::string_view line) { send_line(ws, line); };
      if (!on_line || !on_line(reply.reply_line, send)) finish(std::nullopt, &ws);
    }
  }

  void send_line(net::WebSocket& ws, std::string_view line) {
    for (const auto& chunk : crypto::split_message(bytes_of(line))) {
      auto sealed = channel->encrypt(chunk);
      if (!sealed) return finish(sealed.error(), &ws);
      ws.send(std::string(sealed->begin(), sealed->end()), true);
    }
  }

  void on_end(const net::WsEnd& end) {
    if (done) return;
    reply.close_code = end.code;
    reply.close_reason = end.reason;
    if (channel && (hold_open || on_line)) return finish(std::nullopt, nullptr);
    if (end.code == link::close_code::kDeviceRefused) return finish(core::make_error(core::Errc::refused, "the daemon refused this device (unknown or revoked key, or a bad pairing link)"), nullptr);
    if (end.code == link::close_code::kDeviceRevoked) return finish(core::make_error(core::Errc::revoked, "this device was revoked"), nullptr);
    finish(core::make_error(core::Errc::connect, fmt::format("the connection ended ({} {})", end.code, end.reason)), nullptr);
  }
};

}  // namespace

namespace {

core::Result<RemoteReply> run_exchange(const RemoteHost& host, const std::string& hello, Exchange& ex, std::chrono::seconds timeout) {
  auto daemon_key = core::base64url_decode(host.noise_key);
  auto secret = core::base64url_decode(host.device_secret);
  if (!daemon_key || daemon_key->size() != 32 || !secret) return core::make_error(core::Errc::corrupt, "the stored host entry is damaged");
  auto device_key = crypto::KeyPair::from_secret(*secret);
  crypto::wipe(*secret);
  if (!device_key) return device_key.error();
  crypto::Key32 responder{};
  std::copy(daemon_key->begin(), daemon_key->end(), responder.begin());

  auto options = host.direct.empty() ? endpoint(host.relay, "/v1/connect/" + host.daemon_id) : endpoint(host.direct, "/v1/direct");
  if (!options) return options.error();
  if (!host.relay_ca.empty() && host.direct.empty()) options->ca_file = host.relay_ca;

  auto hs = crypto::IkHandshake::initiator(std::move(*device_key), responder);
  if (!hs) return hs.error();
  ex.handshake.emplace(std::move(*hs));
  auto message1 = ex.handshake->write_message(bytes_of(hello));
  if (!message1) return message1.error();

  ex.daemon_id = host.daemon_id;
  net::Runtime& runtime = ex.runtime;
  std::shared_ptr<net::WebSocket> socket;
  const auto cancel = net::connect_websocket(runtime, *options, [&](core::Result<std::shared_ptr<net::WebSocket>> r) {
    if (!r) return ex.finish(core::make_error(core::Errc::connect, r.error().message), nullptr);
    socket = *r;
    socket->set_handlers(net::WsHandlers{
        [&](net::WebSocket& ws, std::string&& data, bool) { ex.on_message(ws, std::move(data)); },
        [&](net::WebSocket&, const net::WsEnd& end) { ex.on_end(end); },
    });
    socket->send(std::string(message1->begin(), message1->end()), true);
  });
  runtime.after(timeout, [&] { ex.finish(core::make_error(core::Errc::timeout, "no answer from the daemon in time"), socket.get()); });
  runtime.run();
  cancel();
  ex.finished = true;
  if (ex.asker.joinable()) ex.asker.join();
  if (!ex.done) ex.error = core::make_error(core::Errc::timeout, "no answer from the daemon in time");
  if (ex.error) return *ex.error;
  return ex.reply;
}

}  // namespace

core::Result<RemoteReply> remote_exchange(const RemoteHost& host, const std::string& hello,
                                          const std::optional<std::string>& request_line, std::chrono::seconds timeout,
                                          bool hold_open, RemoteMessageHandler on_message) {
  net::Runtime runtime;
  Exchange ex{runtime, std::nullopt, std::nullopt, crypto::Reassembler(), request_line, {}, std::nullopt, false, hold_open,
              std::move(on_message), nullptr};
  return run_exchange(host, hello, ex, timeout);
}

core::Result<RemoteReply> remote_pair(const RemoteHost& host, const std::string& hello, PairConfirm confirm,
                                      std::chrono::seconds timeout) {
  net::Runtime runtime;
  // The answer to pair.confirm ends the exchange unless the other end has yet to answer;
  // then pair.changed (paired) ends it, or the daemon closes it (declined).
  RemoteMessageHandler settled = [](std::string_view line, const RemoteSend&) {
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) return false;
    const auto* result = v.as_object().if_contains("result");
    return result && result->is_object() &&
           core::parse_pairing_state(proto::fields::string_at(result->as_object(), "state")) == core::PairingState::confirming;
  };
  Exchange ex{runtime, std::nullopt, std::nullopt, crypto::Reassembler(), std::nullopt, {}, std::nullopt, false, false,
              std::move(settled), std::move(confirm)};
  return run_exchange(host, hello, ex, timeout);
}

}  // namespace tether::cli
