// libFuzzer: arbitrary bytes as `codex app-server` stdout, split at '\n' and fed line by line
// to one AppServerTranslator. Checks that nothing throws and every output is well formed.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/codex/app_server.hpp"

namespace {

namespace codex = tether::providers::codex;
namespace json = boost::json;

// Equal, but doubles only to 12 digits: Boost.JSON 1.81 does not parse every double's
// shortest form back to the same double (a raw line's 40-digit id, say).
bool same(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const auto& o = a.get_object();
    const auto& p = b.get_object();
    if (o.size() != p.size()) return false;
    for (const auto& [key, v] : o) {
      const json::value* w = p.if_contains(key);
      if (!w || !same(v, *w)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!same(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

// What we hand on must be JSON we can read back: valid UTF-8, the same after a round trip.
void check_round_trip(const json::object& data) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 256;
  const json::value back = json::parse(json::serialize(data), ec, {}, options);
  if (ec || !back.is_object() || !same(back, json::value(data))) __builtin_trap();
}

void check_line(const std::string& line) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(line, ec);
  if (ec || !parsed.is_object() || line.find('\n') != std::string::npos) __builtin_trap();
}

void check(const codex::Output& output) {
  if (const auto* event = std::get_if<codex::Event>(&output)) {
    check_round_trip(event->data);
    if (event->kind == "tool_result" && event->data.at("content").as_string().size() > (64 << 10)) __builtin_trap();
    if (event->kind == "error" && event->data.contains("line") && event->data.at("line").as_string().size() > 200) __builtin_trap();
  } else if (const auto* reply = std::get_if<codex::Reply>(&output)) {
    check_line(reply->line);
  } else if (const auto* request = std::get_if<codex::ApprovalRequest>(&output)) {
    check_round_trip(request->input);
    if (request->tool == "command_execution") {
      const json::value* command = request->input.if_contains("command");
      if (!command || !command->is_string()) __builtin_trap();  // one string, always
    }
    // The answer built for it is one JSON line too.
    check_line(codex::approval_answer(request->id, request->approval, false, "no"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  codex::AppServerTranslator translator;
  while (true) {
    const std::size_t end = rest.find('\n');
    for (const auto& output : translator.on_line(rest.substr(0, end))) check(output);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return 0;
}
