// libFuzzer: arbitrary bytes as `codex app-server` stdout, split at '\n' and fed line by line
// to one AppServerTranslator. Checks that nothing throws and every output is well formed.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_round_trip.hpp"

#include "providers/codex/app_server.hpp"

namespace {

namespace codex = tether::providers::codex;
namespace json = boost::json;

using tether::fuzz::check_round_trip;

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
