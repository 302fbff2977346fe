#include "daemon/local_api.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "proto/jsonrpc.hpp"

namespace tether::daemon {

core::Result<std::unique_ptr<net::UnixLineServer>> start_local_api(net::Runtime& runtime,
                                                                   const std::filesystem::path& socket_path,
                                                                   const proto::Dispatcher& dispatcher) {
  net::LineHandlers handlers;
  handlers.on_open = [](net::LineConnection& conn) {
    const auto peer = conn.peer();
    if (peer.uid == ::geteuid()) return true;
    spdlog::warn("local api: refused a connection from uid {} (pid {})", peer.uid, peer.pid);
    conn.send(proto::make_error({nullptr, proto::rpc_code::kPermissionDenied,
                                 fmt::format("connection refused: uid {} is not the daemon's user", peer.uid),
                                 "permission_denied"}));
    return false;
  };
  handlers.on_line = [&dispatcher](net::LineConnection& conn, std::string_view line) {
    const proto::Caller caller{proto::Role::owner, "", conn.id()};
    conn.send(dispatcher.handle(line, caller));
  };
  handlers.on_oversized_line = [](net::LineConnection& conn) {
    spdlog::warn("local api: connection {} sent a line over 1 MiB; closing it", conn.id());
    conn.send(proto::make_error({nullptr, proto::rpc_code::kInvalidRequest,
                                 "request line is longer than 1 MiB; closing the connection", "too_large"}));
  };
  net::LineServerOptions options;
  options.socket_path = socket_path;
  return net::UnixLineServer::listen(runtime, options, std::move(handlers));
}

}  // namespace tether::daemon
