// The CLI as a paired device: one WebSocket to a daemon (direct or through the
// relay), the Noise IK handshake as initiator, then one JSON-RPC call.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "cli/remote_hosts.hpp"
#include "core/result.hpp"
#include "crypto/key_rotation.hpp"

namespace tether::cli {

struct RemoteReply {
  std::string device_id;  // from the daemon's handshake answer
  std::string mode;
  std::string sas;
  std::string reply_line;  // the JSON-RPC reply, when a request was sent
  std::uint16_t close_code = 0;  // with hold_open or on_message: how the connection ended (0: this side closed it)
  std::string close_reason;
  // The daemon answered on the key it is rotating away from, with its new one; not yet
  // checked (adopt_rotation does, against the daemon id this CLI paired with).
  std::optional<crypto::KeyRotation> rotation;
};

// Connects to `host` (direct listener when it has one, else the relay), sends
// `hello` in message 1, then `request_line` if given. Error codes: "refused" (the
// daemon does not know this key or refused the pairing), "connect", "timeout", "noise".
// Sends one more message on the open channel; valid inside a RemoteMessageHandler call.
using RemoteSend = std::function<void(std::string_view line)>;
// Gets each message from the daemon; returns false to close the connection.
using RemoteMessageHandler = std::function<bool(std::string_view line, const RemoteSend& send)>;

// With `hold_open` and no request, the connection stays up until the daemon closes it.
// With `on_message`, every message from the daemon (the reply, then notifications) goes
// to it until it returns false or the daemon closes the connection.
core::Result<RemoteReply> remote_exchange(const RemoteHost& host, const std::string& hello,
                                          const std::optional<std::string>& request_line,
                                          std::chrono::seconds timeout = std::chrono::seconds(20), bool hold_open = false,
                                          RemoteMessageHandler on_message = nullptr);

// Pairing: whether the person says the codes match, given the SAS; may take its time (it
// runs on a thread of its own while the connection stays up) and should give up once
// `keep_waiting` returns false (the daemon ended the connection).
using PairConfirm = std::function<bool(const std::string& sas, const std::function<bool()>& keep_waiting)>;

// Pairs with `hello` (holding the offer's secret), asks `confirm`, sends the answer
// (pair.confirm) and returns once the pairing is settled: reply_line is the daemon's last
// message (pair.confirm's result, or the pair.changed notification once the owner
// confirmed too). A pairing declined by either end ends with the error "refused".
core::Result<RemoteReply> remote_pair(const RemoteHost& host, const std::string& hello, PairConfirm confirm,
                                      std::chrono::seconds timeout);

}  // namespace tether::cli
