// What the daemon's method handlers share: identity, store, clock, and the
// hooks back into the running daemon. Built once in daemon.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "core/home.hpp"
#include "crypto/identity.hpp"
#include "store/store.hpp"

namespace tether::daemon {

struct DaemonState {
  core::HomePaths home;
  crypto::Identity identity;
  std::unique_ptr<store::Store> store;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::function<std::size_t()> connection_count;
  std::function<void()> request_shutdown;
};

}  // namespace tether::daemon
