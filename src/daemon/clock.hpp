// The wall clock the daemon's parts read (tests give a fixed or stepped one).
#pragma once

#include <chrono>
#include <functional>

namespace tether::daemon {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace tether::daemon
