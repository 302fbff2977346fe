// The local API: the dispatcher on $TETHER_HOME/tether.sock for callers with
// this user's uid (checked with SO_PEERCRED); they get the owner role. Each connection
// joins `connections` (it can be sent session events) and leaves it when it ends.
#pragma once

#include <memory>

#include "core/result.hpp"
#include "net/line_server.hpp"
#include "daemon/live_connections.hpp"
#include "proto/dispatcher.hpp"

namespace tether::daemon {

core::Result<std::unique_ptr<net::UnixLineServer>> start_local_api(net::Runtime& runtime,
                                                                   const std::filesystem::path& socket_path,
                                                                   const proto::Dispatcher& dispatcher,
                                                                   LiveConnections& connections);

}  // namespace tether::daemon
