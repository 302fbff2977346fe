#include "providers/opencode/api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <charconv>

#include "core/env.hpp"
#include "core/utf8.hpp"
#include "providers/common/agent_process.hpp"
#include "proto/json_fields.hpp"

namespace tether::providers::opencode {
namespace json = boost::json;
using proto::fields::string_at;

namespace {
constexpr std::size_t kFailureExcerpt = 300;
}  // namespace

std::vector<std::string> command_line(const std::string& bin) {
  return {bin, "serve", "--hostname", "127.0.0.1", "--port", "0"};
}

const std::vector<PermissionRule>& permission_rules() {
  static const std::vector<PermissionRule> rules = {
      {"*", "ask"},
      {"read", "allow"},
      {"glob", "allow"},
      {"grep", "allow"},
      {"list", "allow"},
      {"todowrite", "allow"},
      {"todoread", "allow"},
      {"task", "allow"},
      {"question", "deny"},
  };
  return rules;
}

namespace {
constexpr std::string_view kEveryPermission = "**";  // tether's config-level "*" (api.hpp)

bool is_action(const json::value& v) {
  return v.is_string() && (v.get_string() == "ask" || v.get_string() == "allow" || v.get_string() == "deny");
}

// OpenCode's config form ({"bash": "ask"} or {"bash": {"rm *": "deny"}}, or one action for
// everything) as rules in its order, without tether's own "**".
void append_rules(const json::value& permission, json::array& rules) {
  auto rule = [&rules](std::string_view name, std::string_view pattern, const json::value& action) {
    rules.push_back(json::object{{"permission", name}, {"pattern", pattern}, {"action", action}});
  };
  if (is_action(permission)) return rule("*", "*", permission);
  const json::object* by_name = permission.if_object();
  if (!by_name) return;
  for (const auto& [name, value] : *by_name) {
    if (name == kEveryPermission) continue;
    if (is_action(value)) {
      rule(name, "*", value);
    } else if (const json::object* patterns = value.if_object()) {
      for (const auto& [pattern, action] : *patterns) {
        if (is_action(action)) rule(name, pattern, action);
      }
    }
  }
}
}  // namespace

std::string permission_config(std::string_view user) {
  // Built by hand: the order of the user's keys is meaning, and is kept as written.
  boost::system::error_code ec;
  const json::value parsed = user.empty() ? json::value() : json::parse(user, ec);
  std::string out = "{";
  if (const json::object* own = ec ? nullptr : parsed.if_object()) {
    for (const auto& [name, value] : *own) {
      if (name == kEveryPermission || name == "question") continue;
      out += json::serialize(json::string(name)) + ':' + json::serialize(value) + ',';
    }
  }
  return out + R"("**":"ask","question":"deny"})";
}

json::array session_permission(const json::object& config) {
  json::array rules;
  for (const auto& r : permission_rules()) {
    if (r.permission == "question") continue;  // last, below
    rules.push_back(json::object{{"permission", r.permission}, {"pattern", "*"}, {"action", r.action}});
  }
  if (const json::value* permission = config.if_contains("permission")) append_rules(*permission, rules);
  std::string_view agent = string_at(config, "default_agent");
  if (agent.empty()) agent = "build";
  if (const json::object* agents = proto::fields::object_at(config, "agent")) {
    if (const json::object* own = proto::fields::object_at(*agents, agent)) {
      if (const json::value* permission = own->if_contains("permission")) append_rules(*permission, rules);
    }
  }
  rules.push_back(json::object{{"permission", "question"}, {"pattern", "*"}, {"action", "deny"}});
  return rules;
}

std::string_view env_guard_plugin() {
  return R"js(// Loaded by tether into `opencode serve`: the server's credentials stay out of tools.
const names = ["OPENCODE_SERVER_PASSWORD", "OPENCODE_SERVER_USERNAME", "OPENCODE_PID"];
export const TetherEnvGuard = async () => {
  for (const name of names) delete process.env[name];
  return {
    "shell.env": async (_input, output) => {
      for (const name of names) output.env[name] = undefined;
    },
  };
};
)js";
}

core::Result<std::vector<std::string>> serve_environment(const std::vector<std::string>& env, std::string_view password,
                                                         std::string_view plugin_url) {
  std::vector<std::string> out;
  bool models_fetch_set = false;
  bool autoupdate_set = false;
  std::string user_permission;
  std::string user_config = "{}";
  for (const auto& e : env) {
    const std::string_view value = std::string_view(e).substr(std::min(e.find('=') + 1, e.size()));
    if (core::env_names(e, "OPENCODE_PURE")) {
      return core::make_error(core::Errc::invalid_params,
                              "OPENCODE_PURE is set: OpenCode would not load tether's plugin that keeps its password from tools");
    }
    if (core::env_names(e, "OPENCODE_PERMISSION")) {
      user_permission = value;
      continue;
    }
    if (core::env_names(e, "OPENCODE_CONFIG_CONTENT")) {
      user_config = value;
      continue;
    }
    if (core::env_names(e, "OPENCODE_SERVER_PASSWORD") || core::env_names(e, "OPENCODE_SERVER_USERNAME")) continue;
    models_fetch_set = models_fetch_set || core::env_names(e, "OPENCODE_DISABLE_MODELS_FETCH");
    autoupdate_set = autoupdate_set || core::env_names(e, "OPENCODE_DISABLE_AUTOUPDATE");
    out.push_back(e);
  }
  boost::system::error_code ec;
  json::value config = json::parse(user_config, ec);
  if (ec || !config.is_object()) {
    return core::make_error(core::Errc::invalid_params,
                            "OPENCODE_CONFIG_CONTENT must be a plain JSON object for tether to add its plugin to it");
  }
  json::value& plugins = config.as_object()["plugin"];
  if (!plugins.is_array()) plugins = json::array();
  plugins.as_array().push_back(json::string(plugin_url));
  out.push_back("OPENCODE_PERMISSION=" + permission_config(user_permission));
  out.push_back("OPENCODE_CONFIG_CONTENT=" + json::serialize(config));
  out.push_back("OPENCODE_SERVER_PASSWORD=" + std::string(password));
  if (!models_fetch_set) out.emplace_back("OPENCODE_DISABLE_MODELS_FETCH=1");
  if (!autoupdate_set) out.emplace_back("OPENCODE_DISABLE_AUTOUPDATE=1");
  return out;
}

std::optional<std::uint16_t> listening_port(std::string_view line) {
  constexpr std::string_view kMarker = "listening on http://";
  const auto at = line.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + kMarker.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  rest = rest.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  if (ec != std::errc() || port == 0 || port > 65535) return std::nullopt;
  if (end != rest.data() + rest.size() && *end != '/' && *end != ' ' && *end != '\r') return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

std::string basic_auth(std::string_view password) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string plain = "opencode:" + std::string(password);
  std::string out = "Basic ";
  std::size_t i = 0;
  for (; i + 2 < plain.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(plain[i]) << 16) | (static_cast<unsigned char>(plain[i + 1]) << 8) |
                       static_cast<unsigned char>(plain[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (const std::size_t left = plain.size() - i; left > 0) {
    unsigned n = static_cast<unsigned char>(plain[i]) << 16;
    if (left == 2) n |= static_cast<unsigned char>(plain[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += left == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
                            u == '.' || u == '_' || u == '~' || u == '/';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string create_session_body(std::string_view title, const json::object& config) {
  return json::serialize(json::object{{"title", title}, {"permission", session_permission(config)}});
}

core::Result<json::object> object_of(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return core::make_error(core::Errc::bad_response,
                            fmt::format("OpenCode answered with no JSON object: {}", core::utf8_excerpt(body, kFailureExcerpt)));
  }
  return std::move(v.as_object());
}

core::Result<std::string> prompt_body(std::string_view text, std::string_view model) {
  json::object body{{"parts", json::array{json::object{{"type", "text"}, {"text", text}}}}};
  if (!model.empty()) {
    const auto slash = model.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == model.size()) {
      return core::make_error(core::Errc::invalid_params,
                              fmt::format("OpenCode models are named provider/model (e.g. anthropic/claude-sonnet-4), not \"{}\"", model));
    }
    body["model"] = json::object{{"providerID", model.substr(0, slash)}, {"modelID", model.substr(slash + 1)}};
  }
  return json::serialize(body);
}

std::string reply_body(bool allow, std::string_view message) {
  if (allow) return R"({"reply":"once"})";
  json::object body{{"reply", "reject"}};
  if (!message.empty()) body["message"] = message;
  return json::serialize(body);
}

core::Result<std::string> session_id_of(std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o || string_at(*o, "id").empty()) {
    return core::make_error(core::Errc::bad_response, fmt::format("OpenCode answered without a session id: {}",
                                                                  core::utf8_excerpt(body, kFailureExcerpt)));
  }
  return std::string(string_at(*o, "id"));
}

std::string describe_failure(int status, std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  std::string_view message;
  if (const json::object* o = ec ? nullptr : v.if_object()) {
    if (const json::object* data = proto::fields::object_at(*o, "data")) message = string_at(*data, "message");
    if (message.empty()) message = string_at(*o, "message");
  }
  if (message.empty()) message = body;
  return fmt::format("HTTP {}: {}", status, core::utf8_excerpt(message, kFailureExcerpt));
}

}  // namespace tether::providers::opencode
