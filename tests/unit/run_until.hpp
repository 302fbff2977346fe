// Runs an event loop until a condition holds, checking it every 5 ms, or until `limit`
// passes (then the test's own expectations report what is missing). Returns the condition.
#pragma once

#include <chrono>
#include <functional>

#include "net/runtime.hpp"

namespace tether::testing {

inline bool run_until(net::Runtime& runtime, const std::function<bool()>& done,
                      std::chrono::steady_clock::duration limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::function<void()> cancel;
  std::function<void()> poll = [&] {
    if (done() || std::chrono::steady_clock::now() >= deadline) {
      runtime.stop();
      return;
    }
    cancel = runtime.after(std::chrono::milliseconds(5), poll);
  };
  cancel = runtime.after(std::chrono::milliseconds(0), poll);
  runtime.restart();
  runtime.run();
  runtime.restart();
  cancel();
  return done();
}

}  // namespace tether::testing
