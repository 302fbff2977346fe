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

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace tether::net::detail {

// What a failed accept calls for. Out of descriptors or buffer space, another try at once
// fails the same way: pause, so that some connections end first. A closed acceptor (or a
// server shutting down) stops the loop; anything else (the peer gave up) is passed over.
enum class AcceptFailure { stop, retry, pause_then_retry };

inline AcceptFailure accept_failure(const boost::system::error_code& ec, bool shutting_down) {
  namespace error = boost::asio::error;
  if (shutting_down || ec == error::operation_aborted) return AcceptFailure::stop;
  if (ec == error::no_descriptors || ec == error::no_buffer_space) return AcceptFailure::pause_then_retry;
  return AcceptFailure::retry;
}

inline constexpr std::chrono::milliseconds kAcceptPause{50};

// Accepts until `shutting_down` is set or the acceptor is closed. `serve(socket)` runs on the
// loop's thread and must not block; it owns the socket from then on.
template <class Acceptor, class Serve>
boost::asio::awaitable<void> accept_loop(Acceptor& acceptor, const bool& shutting_down, Serve serve) {
  constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  while (!shutting_down) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) {
      const AcceptFailure failure = accept_failure(ec, shutting_down);
      if (failure == AcceptFailure::stop) break;
      spdlog::warn("accept failed: {}", ec.message());
      if (failure == AcceptFailure::pause_then_retry) {
        boost::asio::steady_timer pause(acceptor.get_executor(), kAcceptPause);
        co_await pause.async_wait(use_tuple);
      }
      continue;
    }
    // An accept that completed as the server began to shut down: its connection would
    // arrive after the drain and hold the stop up until the deadline. Refused instead.
    if (shutting_down) break;
    serve(std::move(socket));
  }
}

}  // namespace tether::net::detail
