// The CLI as a paired device: one WebSocket to a daemon (direct or through the
// relay), the Noise IK handshake as initiator, then one JSON-RPC call.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "cli/remote_hosts.hpp"
#include "core/result.hpp"

namespace tether::cli {

struct RemoteReply {
  std::string device_id;  // from the daemon's handshake answer
  std::string mode;
  std::string sas;
  std::string reply_line;  // the JSON-RPC reply, when a request was sent
  std::uint16_t close_code = 0;  // with hold_open: how the daemon ended the connection
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

}  // namespace tether::cli
