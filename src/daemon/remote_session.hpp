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
#include "daemon/daemon_state.hpp"
#include "daemon/device_connections.hpp"
#include "daemon/outlets.hpp"
#include "daemon/connection_handler.hpp"
#include "proto/dispatcher.hpp"

namespace tether::daemon {

class RemoteSession final : public ConnectionHandler,
                            public LiveConnection,
                            public Outlet,
                            public std::enable_shared_from_this<RemoteSession> {
 public:
  RemoteSession(DaemonState& state, const proto::Dispatcher& dispatcher, FrameSink& sink, std::string source);
  ~RemoteSession() override;

  core::Result<std::vector<std::string>> on_frame(std::string_view frame) override;
  void on_close() override;

  void revoke() override;
  void set_role(proto::Role role) override { role_ = role; }

  // Outlet: notifications go out encrypted like replies.
  void push(std::string line) override;
  std::size_t queued_bytes() const override { return sink_.queued_bytes(); }

 private:
  core::Result<std::vector<std::string>> handshake(std::string_view frame);
  core::Result<std::vector<std::string>> request(std::string_view frame);
  core::Result<std::vector<std::string>> seal(std::string_view message);
  void unregister();
  void refuse(std::string_view reason);
  void audit(std::string_view action, std::string_view detail_json);

  DaemonState& state_;
  const proto::Dispatcher& dispatcher_;
  FrameSink& sink_;
  std::string source_;
  std::uint64_t id_;
  std::optional<crypto::IkHandshake> handshake_;
  std::optional<crypto::Channel> channel_;
  crypto::Reassembler reassembler_;
  std::string device_id_;
  proto::Role role_ = proto::Role::read_only;
  bool registered_ = false;
  bool closed_ = false;
};

// The handler factory both transports use: a RemoteSession per connection.
HandlerFactory remote_session_factory(DaemonState& state, const proto::Dispatcher& dispatcher, std::string source);

}  // namespace tether::daemon
