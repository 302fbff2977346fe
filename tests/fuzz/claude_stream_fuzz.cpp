// libFuzzer: arbitrary bytes as Claude Code stdout, split at '\n' and fed line by line to
// one StreamTranslator. Checks that nothing throws and every output is well formed.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_round_trip.hpp"

#include "providers/claude/stream.hpp"

namespace {

namespace claude = tether::providers::claude;
namespace json = boost::json;

using tether::fuzz::check_round_trip;

void check(const claude::Output& output) {
  if (const auto* event = std::get_if<claude::Event>(&output)) {
    check_round_trip(event->data);
    if (event->kind == "tool_result" && event->data.at("content").as_string().size() > (64 << 10)) __builtin_trap();
    if (event->kind == "error" && event->data.contains("line") && event->data.at("line").as_string().size() > 200) __builtin_trap();
  } else if (const auto* reply = std::get_if<claude::Reply>(&output)) {
    boost::system::error_code ec;
    const json::value line = json::parse(reply->line, ec);
    if (ec || !line.is_object() || reply->line.find('\n') != std::string::npos) __builtin_trap();
  } else if (const auto* request = std::get_if<claude::PermissionRequest>(&output)) {
    check_round_trip(request->input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  claude::StreamTranslator translator;
  while (true) {
    const std::size_t end = rest.find('\n');
    for (const auto& output : translator.on_line(rest.substr(0, end))) check(output);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return 0;
}
