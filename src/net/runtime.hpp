// The event loop every socket of a process runs on (one thread), with signals
// and periodic timers. Boost.Asio stays behind this header (pimpl).
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>

namespace tether::net {

class Runtime {
 public:
  Runtime();
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs until no work is left or stop() is called.
  void run();
  // Ends run() at once, abandoning pending work.
  void stop();
  // Lets run() be called again after stop() (tests that run the loop in steps).
  void restart();
  // Runs `fn` on the loop thread; safe to call from any thread.
  void post(std::function<void()> fn);
  // Calls `fn(signal)` on the loop each time one of `signals` arrives, until cancel_timers_and_signals().
  void on_signals(std::initializer_list<int> signals, std::function<void(int)> fn);
  // Calls `fn` every `period` until cancel_timers_and_signals().
  void every(std::chrono::steady_clock::duration period, std::function<void()> fn);
  // Calls `fn` once after `delay` unless the returned canceller runs first
  // (cancel_timers_and_signals does not touch it: use it for deadlines).
  std::function<void()> after(std::chrono::steady_clock::duration delay, std::function<void()> fn);
  // Lets run() return once the remaining connections finish.
  void cancel_timers_and_signals();

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether::net
