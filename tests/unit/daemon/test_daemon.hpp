// The daemon's parts wired as run_daemon wires them — store, pairing, live connections,
// sessions, the whole method table and what remote connections use — on a store in a
// test's directory, with no transport and no agent.
#pragma once

#include <filesystem>
#include <memory>

#include "daemon/daemon_methods.hpp"
#include "daemon/remote_session.hpp"
#include "net/runtime.hpp"

namespace tether::daemon::testing {

struct TestDaemon {
  explicit TestDaemon(const std::filesystem::path& dir) : home{dir} {}

  net::Runtime runtime;
  core::HomePaths home;
  crypto::Identity identity = crypto::Identity::generate();
  std::unique_ptr<store::Store> store = std::move(store::Store::open(home.dir / "t.db")).value();
  Clock now = system_clock();
  PairingService pairing{*store};
  LiveConnections connections{runtime, store->events()};
  SessionManager sessions{runtime, *store, connections, SessionsConfig{}, now};
  Endpoints endpoints{.direct_origin = "http://127.0.0.1:7777"};
  bool shutdown_requested = false;
  proto::Dispatcher dispatcher{all_methods({DaemonInfo{identity, home, std::chrono::steady_clock::now(), nullptr,
                                                       [this] { shutdown_requested = true; }},
                                            endpoints, *store, pairing, connections, sessions, now})};
  RefusalAudit refusals;
  RemoteServices remote{identity, *store, pairing, connections, dispatcher, refusals, now};
};

}  // namespace tether::daemon::testing
