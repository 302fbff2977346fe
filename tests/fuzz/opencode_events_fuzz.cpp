// libFuzzer: arbitrary bytes as the body of OpenCode's event stream (`GET /event`), cut
// into events by SseParser and fed to one EventTranslator (its session set, a prompt
// open). Checks that nothing throws and every output is well formed.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_round_trip.hpp"

#include "net/sse_parser.hpp"
#include "providers/opencode/events.hpp"

namespace {

namespace opencode = tether::providers::opencode;
namespace json = boost::json;

using tether::fuzz::check_round_trip;

void check(const opencode::Output& output) {
  if (const auto* event = std::get_if<opencode::Event>(&output)) {
    check_round_trip(event->data);
    if (event->kind == "tool_result" && event->data.at("content").as_string().size() > (64 << 10)) __builtin_trap();
    if (event->kind == "error" && event->data.contains("line") && event->data.at("line").as_string().size() > 200) __builtin_trap();
  } else if (const auto* asked = std::get_if<opencode::PermissionAsked>(&output)) {
    check_round_trip(asked->input);
    if (asked->tool == "bash" && !asked->input.at("command").is_string()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  tether::net::SseParser sse(1 << 20);
  opencode::EventTranslator translator;
  translator.set_session("ses_f");
  translator.prompt_sent();
  // Fed in pieces of up to 64 bytes, as a socket might deliver them.
  while (!rest.empty()) {
    const auto piece = rest.substr(0, 64);
    rest.remove_prefix(piece.size());
    auto events = sse.feed(piece);
    if (!events) break;
    for (const auto& e : *events) {
      for (const auto& output : translator.on_event(e.data)) check(output);
    }
  }
  for (const auto& output : translator.fail_turn()) check(output);
  return 0;
}
