#include "daemon/remote_session.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "core/utf8.hpp"
#include "crypto/key_pair.hpp"
#include "daemon/device_name.hpp"
#include "daemon/device_role.hpp"
#include "daemon/pairing.hpp"
#include "daemon/pairing_outcome.hpp"
#include "link/close_codes.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;

std::uint64_t next_session_id() {
  static std::uint64_t next = 1;
  return kRemoteConnectionBit | next++;
}

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string frame_of(const core::Bytes& b) { return std::string(b.begin(), b.end()); }

// Payload of IK message 1: empty for a paired device, {"pair": secret, "name": name} to pair.
struct Hello {
  std::string pair_secret;
  std::string name;
};

std::optional<Hello> parse_hello(const core::Bytes& payload) {
  if (payload.empty()) return Hello{};
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  Hello h;
  if (const auto* s = o.if_contains("pair")) {
    if (!s->is_string()) return std::nullopt;
    h.pair_secret = std::string(s->as_string());
  }
  if (const auto* n = o.if_contains("name"); n && n->is_string()) h.name = std::string(core::cut_utf8(n->as_string(), 4 * kMaxDeviceName));  // pairing checks and cuts it
  return h;
}

}  // namespace

RemoteSession::RemoteSession(const RemoteServices& services, FrameSink& sink, std::string source)
    : services_(services), sink_(sink), source_(std::move(source)), id_(next_session_id()) {}

RemoteSession::~RemoteSession() { unregister(); }

void RemoteSession::unregister() {
  if (!registered_) return;
  registered_ = false;
  services_.connections.leave(id_);
}

void RemoteSession::audit(std::string_view action, std::string_view detail_json) {
  services_.store.audit().record(services_.now(), device_id_.empty() ? "unknown" : device_id_, action, device_id_,
                               detail_json);
}

void RemoteSession::refuse(std::string_view reason) {
  spdlog::warn("remote {}: refused: {}", source_, reason);
  closed_ = true;
  sink_.close(link::close_code::kDeviceRefused, "refused");
}

core::Result<std::vector<std::string>> RemoteSession::on_frame(std::string_view frame) {
  if (closed_) return std::vector<std::string>{};
  if (!channel_) return handshake(frame);
  return request(frame);
}

core::Result<std::vector<std::string>> RemoteSession::handshake(std::string_view frame) {
  // Message 1 is encrypted to the key the device knows: the current one, or during a key
  // rotation the previous one (then the answer tells the device about the new key).
  auto respond_as = [&](const crypto::Identity& identity) -> core::Result<std::pair<crypto::IkHandshake, core::Bytes>> {
    auto static_key = crypto::KeyPair::from_secret(identity.x25519_secret());
    if (!static_key) return static_key.error();
    auto hs = crypto::IkHandshake::responder(std::move(*static_key));
    if (!hs) return hs.error();
    auto payload = hs->read_message(bytes_of(frame));
    if (!payload) return payload.error();
    return std::pair{std::move(*hs), std::move(*payload)};
  };
  auto answered = respond_as(services_.identity);
  bool on_previous_key = false;
  if (!answered && services_.previous) {
    if (auto old = respond_as(*services_.previous)) {
      answered = std::move(old);
      on_previous_key = true;
    }
  }
  if (!answered) {
    // Not encrypted to our key, or garbage: say nothing about why.
    refuse(fmt::format("handshake message 1: {}", core::to_string(answered.error().code)));
    return std::vector<std::string>{};
  }
  auto& hs = answered->first;
  const core::Bytes& payload = answered->second;
  const crypto::Key32 device_key = *hs.remote_static();
  const auto hello = parse_hello(payload);
  if (!hello) {
    refuse("malformed hello payload");
    return std::vector<std::string>{};
  }

  std::string mode;
  std::string name;
  std::optional<std::string> offer_id;
  if (!hello->pair_secret.empty()) {
    auto redeemed = services_.pairing.redeem(hello->pair_secret, device_key, hello->name, services_.now(), source_);
    if (!redeemed) {
      refuse(fmt::format("pairing: {}", core::to_string(redeemed.error().code)));
      return std::vector<std::string>{};
    }
    device_id_ = redeemed->device.id;
    mode = redeemed->device.mode;
    name = redeemed->device.name;
    offer_id = redeemed->offer_id;
    services_.connections.set_device_role(device_id_, proto::Role::pending);  // a device pairing again
  } else {
    auto device = services_.store.devices().find_by_key(core::base64url_encode(device_key));
    if (!device) return device.error();
    if (!*device || (*device)->revoked) {
      const std::string why = *device ? "revoked device " + (*device)->id : "unknown key";
      const auto now = services_.now();
      for (const auto& row : services_.refusals.refuse(core::base64url_encode(device_key), source_,
                                                       *device ? "revoked" : "unknown_key", *device ? (*device)->id : "", now)) {
        services_.store.audit().record(now, "unknown", "connect_refused", row.target, row.detail);
      }
      refuse(why);
      return std::vector<std::string>{};
    }
    if ((*device)->pending()) {
      // Its pairing is settled on the connection that did the handshake, and nowhere else.
      services_.store.audit().record(services_.now(), "unknown", "connect_refused", (*device)->id,
                                     json::serialize(json::object{{"reason", "unconfirmed"}, {"source", source_}}));
      refuse("device " + (*device)->id + " is not confirmed yet");
      return std::vector<std::string>{};
    }
    device_id_ = (*device)->id;
    mode = (*device)->mode;
    name = (*device)->name;
  }

  json::object answer{{"device_id", device_id_}, {"mode", mode}, {"name", name}};
  if (offer_id) answer["pending"] = true;  // until both ends confirm the SAS (pair.confirm)
  if (on_previous_key && services_.rotation) {
    const auto& r = *services_.rotation;
    answer["rotate"] = json::object{{"daemon_id", r.new_id}, {"noise_key", r.noise_key}, {"deadline", r.deadline_ms},
                                    {"signature", r.signature}};
  }
  const std::string reply = json::serialize(answer);
  auto message2 = hs.write_message(bytes_of(reply));
  if (!message2) return message2.error();
  auto channel = hs.finish();
  if (!channel) return channel.error();
  channel_.emplace(std::move(*channel));
  if (offer_id) services_.pairing.handshake_finished(*offer_id, channel_->sas(), id_, services_.now());

  // A mode of no known name may only watch; a pairing device may only answer its pairing.
  role_ = offer_id ? proto::Role::pending : device_role(mode).value_or(proto::Role::read_only);
  // Anyone can replay a device's recorded message 1 and get an answer, so the connection
  // counts (live, last seen, audited) only once a message on the channel decrypts.
  services_.connections.join_unconfirmed(id_, device_id_, weak_from_this());
  registered_ = true;
  paired_ = offer_id.has_value();
  spdlog::debug("remote {}: handshake of device {} answered ({})", source_, device_id_, mode);
  return std::vector<std::string>{frame_of(*message2)};
}

void RemoteSession::confirm() {
  confirmed_ = true;
  services_.connections.confirm(id_);
  if (auto ok = services_.store.devices().touch(device_id_, services_.now()); !ok) {
    spdlog::warn("remote {}: cannot record when device {} was last seen: {}", source_, device_id_, ok.error().message);
  }
  audit("connect", json::serialize(json::object{{"source", source_}, {"paired", paired_}}));
  spdlog::info("remote {}: device {} connected", source_, device_id_);
}

core::Result<std::vector<std::string>> RemoteSession::request(std::string_view frame) {
  auto chunk = channel_->decrypt(bytes_of(frame));
  if (!chunk) return core::make_error(core::Errc::noise, fmt::format("decryption failed ({})", core::to_string(chunk.error().code)));
  if (!confirmed_) confirm();
  auto message = reassembler_.push(*chunk);
  if (!message) return core::make_error(core::Errc::framing, fmt::format("bad framing ({})", core::to_string(message.error().code)));
  if (!*message) return std::vector<std::string>{};
  const std::string line((*message)->begin(), (*message)->end());
  const proto::Caller caller{role_, device_id_, id_};
  return seal(services_.dispatcher.handle(line, caller));
}

core::Result<std::vector<std::string>> RemoteSession::seal(std::string_view message) {
  std::vector<std::string> frames;
  for (const auto& part : crypto::split_message(bytes_of(message))) {
    auto sealed = channel_->encrypt(part);
    if (!sealed) return sealed.error();
    frames.push_back(frame_of(*sealed));
  }
  return frames;
}

void RemoteSession::push(std::string line) {
  if (closed_ || !channel_) return;
  auto frames = seal(line);
  if (!frames) {
    closed_ = true;
    spdlog::warn("remote {}: closing device {}: cannot encrypt", source_, device_id_);
    sink_.close(link::close_code::kGoingAway, "cannot encrypt");
    return;
  }
  for (auto& f : *frames) sink_.send(std::move(f));
}

void RemoteSession::revoke() {
  if (closed_) return;
  closed_ = true;
  spdlog::info("remote {}: closing device {}: revoked", source_, device_id_);
  sink_.close(link::close_code::kDeviceRevoked, "device revoked");
}

void RemoteSession::on_close() {
  if (!registered_) return;
  unregister();
  if (paired_) {
    if (auto settled = services_.pairing.connection_closed(id_, services_.now())) apply_pairing_outcome(*settled, services_.connections);
  }
  if (confirmed_) audit("disconnect", json::serialize(json::object{{"source", source_}}));
}

HandlerFactory remote_session_factory(const RemoteServices& services, std::string source) {
  return [&services, source](FrameSink& sink) -> std::shared_ptr<ConnectionHandler> {
    return std::make_shared<RemoteSession>(services, sink, source);
  };
}

}  // namespace tether::daemon
