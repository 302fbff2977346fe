// The CLI's way to the local daemon: one JSON-RPC call over the unix socket.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <string_view>

#include "core/home.hpp"
#include "core/result.hpp"

namespace tether::cli {

// Error codes: "not_running" (no daemon), the daemon's error.data.code, or "io".
core::Result<boost::json::value> call_daemon(const core::HomePaths& home, std::string_view method,
                                             const boost::json::object& params = {},
                                             std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace tether::cli
