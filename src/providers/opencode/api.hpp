// OpenCode's local HTTP API as tether uses it (`opencode serve`; docs/providers/opencode.md):
// the command line and environment serve starts with, the permission rules tether imposes,
// the request bodies, and the parsing of the answers. Pure: no I/O.
#pragma once

#include <boost/json/array.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tether::providers::opencode {

// argv: `<bin> serve --hostname 127.0.0.1 --port 0` (0: serve picks a port and prints it).
std::vector<std::string> command_line(const std::string& bin);

// What OpenCode does before running a tool that needs a permission ("ask": ask tether).
struct PermissionRule {
  std::string_view permission;  // OpenCode's permission name; "*" is every permission
  std::string_view action;      // "ask" | "allow" | "deny"
};

// Every permission asks — bash, edit (which covers write and patch), webfetch, MCP tools,
// external_directory, doom_loop, anything new — except reads and searches (tether's safe
// tier), the agent's todo list and subagents (whose own tool calls ask in turn); `question`
// is denied because nothing in tether can answer OpenCode's questions. Later rules win.
const std::vector<PermissionRule>& permission_rules();

// The rules as OPENCODE_PERMISSION wants them: {"*":"ask","read":"allow",...}.
std::string permission_config();

// The rules as a session's own (POST /session "permission"): [{permission, pattern:"*", action}].
// OpenCode evaluates them after every config file, so a project's opencode.json cannot loosen them.
boost::json::array session_permission();

// serve's environment: the agent's `env` without the variables tether sets itself
// (OPENCODE_PERMISSION, OPENCODE_SERVER_PASSWORD, OPENCODE_SERVER_USERNAME), then
// OPENCODE_PERMISSION (permission_config), OPENCODE_SERVER_PASSWORD (`password`: serve
// then wants HTTP Basic auth on every route) and, unless `env` sets them,
// OPENCODE_DISABLE_MODELS_FETCH=1 and OPENCODE_DISABLE_AUTOUPDATE=1 (no network at start).
std::vector<std::string> serve_environment(const std::vector<std::string>& env, std::string_view password);

// The port from serve's "opencode server listening on http://127.0.0.1:PORT" line.
std::optional<std::uint16_t> listening_port(std::string_view stdout_line);

// "Basic <base64(opencode:password)>".
std::string basic_auth(std::string_view password);

// RFC 3986 percent-encoding of everything but unreserved characters and '/' (for the
// x-opencode-directory header and ids in paths).
std::string percent_encode(std::string_view text);

// POST /session: a title (so OpenCode asks the model for none) and session_permission().
std::string create_session_body(std::string_view title);

// POST /session/:id/prompt_async. `model` is "provider/model" or empty (serve's default);
// error "invalid_params" for anything else.
core::Result<std::string> prompt_body(std::string_view text, std::string_view model);

// POST /permission/:id/reply: "once" for an allow (never "always": tether keeps its own
// rules), "reject" with `message` as the model's feedback for a deny.
std::string reply_body(bool allow, std::string_view message);

// The "id" of a session object (POST /session, GET /session/:id). Error "bad_response".
core::Result<std::string> session_id_of(std::string_view body);

// A failed call's answer for an error message: its status and the message OpenCode gave
// (data.message, message) or the start of the body.
std::string describe_failure(int status, std::string_view body);

}  // namespace tether::providers::opencode
