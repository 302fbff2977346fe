// The accept loop of every listening socket (the unix line server, the HTTP server): each
// accepted socket goes to `serve`; a failed accept is decided on in one place, so that both
// servers live through running out of descriptors or buffer space alike. For src/net/*.cpp
// only: it includes Boost.Asio (not Beast).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <utility>

namespace tether::net::detail {

// What a failed accept calls for. Out of descriptors (the process's or the system's),
// buffer space or memory, another try at once fails the same way: pause, so that some
// connections end first. A closed acceptor (or a server shutting down) stops the loop;
// anything else (the peer gave up) is passed over.
enum class AcceptFailure { stop, retry, pause_then_retry };

inline AcceptFailure accept_failure(const boost::system::error_code& ec, bool shutting_down) {
  if (shutting_down || ec == boost::asio::error::operation_aborted) return AcceptFailure::stop;
  if (ec.category() == boost::system::system_category()) {
    switch (ec.value()) {
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM: return AcceptFailure::pause_then_retry;
      default: break;
    }
  }
  return AcceptFailure::retry;
}

// The text of an accept's error. Not ec.message(): that is a virtual call, which the
// sanitizers' type check verifies by writing to a pipe it opens; out of descriptors that
// fails and the check reports a bad vptr (and aborts the sanitizer build). strerror needs
// no descriptor.
inline std::string accept_error_text(const boost::system::error_code& ec) {
  if (ec.category() == boost::system::system_category()) return std::strerror(ec.value());
  return "error " + std::to_string(ec.value());
}

inline constexpr std::chrono::milliseconds kAcceptPause{50};

// Accepts until `shutting_down` is set or the acceptor is closed. `serve(socket)` runs on the
// loop's thread and must not block; it owns the socket from then on.
template <class Acceptor, class Serve>
boost::asio::awaitable<void> accept_loop(Acceptor& acceptor, const bool& shutting_down, Serve serve) {
  constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  std::size_t failed_in_a_row = 0;  // accepts paused for want of descriptors, buffers or memory
  while (!shutting_down) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) {
      const AcceptFailure failure = accept_failure(ec, shutting_down);
      if (failure == AcceptFailure::stop) break;
      if (failure == AcceptFailure::retry) {
        spdlog::warn("accept failed: {}", accept_error_text(ec));
        continue;
      }
      // Said once for a run of failures, not every pause.
      if (failed_in_a_row++ == 0) spdlog::warn("accept failed: {}; pausing accepts", accept_error_text(ec));
      boost::asio::steady_timer pause(acceptor.get_executor(), kAcceptPause);
      co_await pause.async_wait(use_tuple);
      continue;
    }
    if (failed_in_a_row != 0) {
      spdlog::info("accepting again, after {} failed accepts", failed_in_a_row);
      failed_in_a_row = 0;
    }
    // An accept that completed as the server began to shut down: its connection would
    // arrive after the drain and hold the stop up until the deadline. Refused instead.
    if (shutting_down) break;
    serve(std::move(socket));
  }
}

}  // namespace tether::net::detail
