// Runtime's insides, for src/net/*.cpp only: it includes Boost.Asio.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <list>
#include <memory>

#include "net/runtime.hpp"

namespace tether::net {

struct Runtime::Impl {
  boost::asio::io_context io{1};
  std::list<std::unique_ptr<boost::asio::signal_set>> signal_sets;
  std::list<std::unique_ptr<boost::asio::steady_timer>> timers;
  bool cancelled = false;  // set by cancel_timers_and_signals: handlers must not re-arm
};

}  // namespace tether::net
