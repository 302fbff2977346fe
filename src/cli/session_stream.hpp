// Following a session from the CLI: subscribe, then hand every message (the reply,
// then session.event / session.overflow notifications) to a callback until it says
// stop or the connection ends. Works locally and, with --host, as a paired device.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <string>

#include "core/home.hpp"
#include "core/result.hpp"

namespace tether::cli {

// Return false to stop following.
using MessageHandler = std::function<bool(const boost::json::object& message)>;

// Sends `session.subscribe(session, since)` and streams what comes back. Errors as
// call_daemon's; a refused subscribe comes back as its error. A stream that ends without
// the handler saying stop is an error too: "revoked" (this device was revoked),
// "stopping" (the daemon stopped), or "closed" (the connection was lost: the relay
// restarted, the network went away — worth following again from the last seq).
core::Result<void> follow_session(const core::HomePaths& home, const std::string& session, std::int64_t since,
                                  const MessageHandler& on_message);

}  // namespace tether::cli
