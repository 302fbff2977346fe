// The CLI's way to the local daemon: one JSON-RPC call over the unix socket.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/home.hpp"
#include "core/result.hpp"
#include "net/unix_client.hpp"

namespace tether::cli {

// The daemon every call goes to: the local one, or the paired host named by the
// global `--host NAME` (then the call travels as that device, through Noise).
void set_remote_host(std::string name);
std::optional<std::string> current_remote_host();

// A connection to the local daemon's socket. Error code daemon_not_running when nothing
// listens there — never not_running, which is the daemon's answer about a session's agent.
core::Result<net::UnixClient> connect_local(const core::HomePaths& home);

struct RemoteReply;
// The remote host `name` answered with its new key (a rotation): keep it, and say so on stderr.
void keep_rotation(const core::HomePaths& home, const std::string& name, const RemoteReply& reply);

// Error codes: daemon_not_running (no local daemon), refused, the daemon's error.data.code (rpc_error when
// it sent none or one this build does not know; an unknown one is added to the message), or io.
core::Result<boost::json::value> call_daemon(const core::HomePaths& home, std::string_view method,
                                             const boost::json::object& params = {},
                                             std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A JSON-RPC reply line → its result, or its error as call_daemon reports it.
core::Result<boost::json::value> reply_result(std::string_view line);

}  // namespace tether::cli
