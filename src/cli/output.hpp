// Small helpers the commands share: reading fields of a reply, reporting a
// failed call the same way everywhere, formatting times.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/home.hpp"
#include "core/result.hpp"
#include "core/text.hpp"
#include "proto/json_fields.hpp"

namespace tether::cli {

// A reply's fields (proto/json_fields.hpp); strings as copies, for printing and joining.
// Every string a reply holds came from outside (an agent, a device, a file name), so its
// control characters come back visible (core::visible_controls; '\n' and '\t' kept):
// what the CLI prints cannot retitle, clear or recolour the user's terminal. Only an
// agent's own terminal bytes (terminal_output, base64) are written as they are.
inline std::string string_at(const boost::json::object& o, std::string_view key) {
  return core::visible_controls(proto::fields::string_at(o, key));
}
using proto::fields::bool_at;
using proto::fields::int_at;

// How a command prints: for people, or JSON for scripts (--json).
enum class Format { text, json };
inline Format format_of(bool json) { return json ? Format::json : Format::text; }

// Prints "daemon not running — start it with `tether daemon`" (Errc::daemon_not_running: no
// daemon listens; a session's not_running is the daemon's answer and printed as such) or "tether <command>: <message>"
// to stderr; with Format::json also {"error":{"code":…,"message":…}} as one line on stdout,
// so that a script reading stdout always gets JSON. Returns kExitFailure.
int report_failure(std::string_view command, const core::HomePaths& home, const core::Error& error,
                   Format format = Format::text);

// "2026-11-23 21:05:00" in local time, or "-" for a null/absent time (unix ms).
std::string format_time_ms(const boost::json::value* unix_ms);
std::string format_duration(std::int64_t seconds);

}  // namespace tether::cli
