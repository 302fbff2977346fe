#include "daemon/local_api.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "proto/jsonrpc.hpp"

namespace tether::daemon {
namespace {

class LocalConnection final : public Connection {
 public:
  explicit LocalConnection(net::LineConnection& conn) : conn_(conn) {}
  void push(std::string line) override { conn_.send(std::move(line)); }
  std::size_t queued_bytes() const override { return conn_.queued_bytes(); }

 private:
  net::LineConnection& conn_;
};

}  // namespace

core::Result<std::unique_ptr<net::UnixLineServer>> start_local_api(net::Runtime& runtime,
                                                                   const std::filesystem::path& socket_path,
                                                                   const proto::Dispatcher& dispatcher,
                                                                   LiveConnections& connections) {
  net::LineHandlers handlers;
  auto locals = std::make_shared<std::unordered_map<std::uint64_t, std::shared_ptr<LocalConnection>>>();
  handlers.on_open = [&connections, locals](net::LineConnection& conn) {
    const auto peer = conn.peer();
    if (peer.uid == ::geteuid()) {
      auto& local = (*locals)[conn.id()];
      local = std::make_shared<LocalConnection>(conn);
      connections.join(conn.id(), "", local);
      return true;
    }
    spdlog::warn("local api: refused a connection from uid {} (pid {})", peer.uid, peer.pid);
    conn.send(proto::make_error({nullptr, proto::rpc_code::kPermissionDenied,
                                 fmt::format("connection refused: uid {} is not the daemon's user", peer.uid),
                                 core::Errc::permission_denied}));
    return false;
  };
  handlers.on_line = [&dispatcher](net::LineConnection& conn, std::string_view line) {
    const proto::Caller caller{proto::Role::owner, "", conn.id()};
    conn.send(dispatcher.handle(line, caller));
  };
  handlers.on_oversized_line = [](net::LineConnection& conn) {
    spdlog::warn("local api: connection {} sent a line over 1 MiB; closing it", conn.id());
    conn.send(proto::make_error({nullptr, proto::rpc_code::kInvalidRequest,
                                 "request line is longer than 1 MiB; closing the connection", core::Errc::too_large}));
  };
  handlers.on_close = [&connections, locals](net::LineConnection& conn) {
    connections.leave(conn.id());
    locals->erase(conn.id());
  };
  net::LineServerOptions options;
  options.socket_path = socket_path;
  return net::UnixLineServer::listen(runtime, options, std::move(handlers));
}

}  // namespace tether::daemon
