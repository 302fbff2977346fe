// OpenCode's local HTTP API as tether uses it (`opencode serve`; docs/providers/opencode.md):
// the command line and environment serve starts with, the permission rules tether imposes,
// the request bodies, and the parsing of the answers. Pure: no I/O.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

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

// OPENCODE_PERMISSION: the user's own (`user`, a JSON object, or empty) with
// {"**":"ask","question":"deny"} added. OpenCode merges it key by key over every config
// file and uses it for subagents, whose sessions inherit only the parent's deny rules;
// "**" matches every permission as "*" does without overwriting the user's own "*" rule,
// so GET /config still shows the user's rules as they wrote them.
std::string permission_config(std::string_view user);

// The session's rules (POST /session "permission"), evaluated after every config file,
// the last matching rule winning: tether's (permission_rules), then the user's own from
// `config` (GET /config: its "permission", then that of the agent the session runs,
// `default_agent` or "build"; without tether's "**"), then "question" denied. So a user's
// deny wins in every mode, a user's allow runs without asking tether (as Claude Code's
// settings do), and everything else asks tether.
boost::json::array session_permission(const boost::json::object& config);

// The plugin serve loads (a JavaScript module, written to a file): it removes the server's
// credentials (OPENCODE_SERVER_PASSWORD, OPENCODE_SERVER_USERNAME, OPENCODE_PID) from serve's
// own environment once serve has read them, and from every shell a tool starts.
std::string_view env_guard_plugin();

// serve's environment: the agent's `env` without the variables tether sets itself
// (OPENCODE_PERMISSION, OPENCODE_SERVER_PASSWORD, OPENCODE_SERVER_USERNAME,
// OPENCODE_CONFIG_CONTENT), then OPENCODE_PERMISSION (permission_config of the user's),
// OPENCODE_CONFIG_CONTENT (the user's with `plugin_url` added to its "plugin" list),
// OPENCODE_SERVER_PASSWORD (`password`: serve then wants HTTP Basic auth on every route)
// and, unless `env` sets them, OPENCODE_DISABLE_MODELS_FETCH=1 and
// OPENCODE_DISABLE_AUTOUPDATE=1 (no network at start). Error "invalid_params" when the
// user's OPENCODE_CONFIG_CONTENT is not a JSON object, or OPENCODE_PURE is set (serve
// would not load the plugin).
core::Result<std::vector<std::string>> serve_environment(const std::vector<std::string>& env, std::string_view password,
                                                         std::string_view plugin_url);

// The port from serve's "opencode server listening on http://127.0.0.1:PORT" line.
std::optional<std::uint16_t> listening_port(std::string_view stdout_line);

// "Basic <base64(opencode:password)>".
std::string basic_auth(std::string_view password);

// RFC 3986 percent-encoding of everything but unreserved characters and '/' (for the
// x-opencode-directory header and ids in paths).
std::string percent_encode(std::string_view text);

// POST /session: a title (so OpenCode asks the model for none) and session_permission(config).
std::string create_session_body(std::string_view title, const boost::json::object& config);

// The JSON object in a body (GET /config). Error "bad_response".
core::Result<boost::json::object> object_of(std::string_view body);

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
