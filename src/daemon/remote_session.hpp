// One remote device's connection, after the transport (relay or direct) has
// delivered its frames: the Noise IK responder, pairing or key check, then
// JSON-RPC requests in framed Noise messages through the one dispatcher.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "crypto/channel.hpp"
#include "crypto/framing.hpp"
#include "crypto/ik_handshake.hpp"
#include "crypto/identity.hpp"
#include "crypto/key_rotation.hpp"
#include "daemon/clock.hpp"
#include "daemon/connection_handler.hpp"
#include "daemon/live_connections.hpp"
#include "daemon/pairing.hpp"
#include "daemon/refusal_audit.hpp"
#include "proto/dispatcher.hpp"
#include "store/store.hpp"

namespace tether::daemon {

// What a remote connection uses; all of it outlives the connection.
struct RemoteServices {
  const crypto::Identity& identity;
  store::Store& store;
  PairingService& pairing;
  LiveConnections& connections;
  const proto::Dispatcher& dispatcher;
  RefusalAudit& refusals;  // shared by all connections: refused attempts at a bounded rate
  Clock now;
  // While a key rotation is under way: the identity before it, which still answers devices
  // that paired with it, and the statement they get to move to the new one.
  const crypto::Identity* previous = nullptr;
  const crypto::KeyRotation* rotation = nullptr;
};

// Owned by its transport (which calls on_close when the socket ends); it joins the
// registry of live connections, weakly held there, once its device is known, and counts
// as live once the device has spoken on the channel.
class RemoteSession final : public ConnectionHandler,
                            public Connection,
                            public std::enable_shared_from_this<RemoteSession> {
 public:
  RemoteSession(const RemoteServices& services, FrameSink& sink, std::string source);
  ~RemoteSession() override;

  core::Result<std::vector<std::string>> on_frame(std::string_view frame) override;
  void on_close() override;
  // Message 2 went out. A replayed message 1 of a paired device gets this far too.
  bool handshake_answered() const override { return channel_.has_value(); }

  void revoke() override;
  void set_role(proto::Role role) override { role_ = role; }

  // Notifications go out encrypted like replies.
  void push(std::string line) override;
  std::size_t queued_bytes() const override { return sink_.queued_bytes(); }

 private:
  core::Result<std::vector<std::string>> handshake(std::string_view frame);
  core::Result<std::vector<std::string>> request(std::string_view frame);
  core::Result<std::vector<std::string>> seal(std::string_view message);
  void unregister();
  // The first message on the channel decrypted: the peer holds the device's keys.
  void confirm();
  void refuse(std::string_view reason);
  void audit(std::string_view action, std::string_view detail_json);

  const RemoteServices& services_;
  FrameSink& sink_;
  std::string source_;
  std::uint64_t id_;
  std::optional<crypto::IkHandshake> handshake_;
  std::optional<crypto::Channel> channel_;
  crypto::Reassembler reassembler_;
  std::string device_id_;
  proto::Role role_ = proto::Role::read_only;
  bool registered_ = false;
  bool confirmed_ = false;
  bool paired_ = false;  // this handshake redeemed a pairing offer
  bool closed_ = false;
};

// The handler factory both transports use: a RemoteSession per connection.
// `services` outlives the factory.
HandlerFactory remote_session_factory(const RemoteServices& services, std::string source);

}  // namespace tether::daemon
