// What `tether logs`, `run` and `attach` print of a session's events: the agent's text and
// tool output with terminal controls made visible, lines and tabs kept; a terminal
// session's own bytes as they are.
#include "cli/event_printer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cstdio>
#include <string>

#include "core/encoding.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

std::string printed(std::initializer_list<json::object> events, bool colour = false) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    EventPrinter printer(out, colour);
    for (const auto& e : events) printer.print(e);
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

json::object event(std::string_view kind, json::object data) { return json::object{{"kind", kind}, {"data", std::move(data)}}; }

constexpr std::string_view kHostile = "t\x1b]0;owned\x07 \x1b[2J \xc2\x9b" "31m \u202Eevil";
constexpr std::string_view kShown = "t\\x1b]0;owned\\x07 \\x1b[2J \\u009b31m \\u202eevil";

TEST(EventPrinter, AgentTextIsPrintedWithItsControlsVisible) {
  const std::string hostile(kHostile);
  const std::string out = printed({
      event("user_message", {{"text", hostile}}),
      event("assistant_delta", {{"text", hostile}}),
      event("assistant_text", {{"text", hostile}}),
      event("thinking", {{"text", hostile}}),
      event("tool_call", {{"tool", hostile}, {"input", json::object{{"command", hostile}}}}),
      event("tool_result", {{"content", hostile + "\nline two\tcol"}}),
      event("error", {{"message", hostile}}),
      event("notice", {{"text", hostile}}),
      event("approval_requested", {{"approval_id", "a1"}, {"tool", hostile}, {"input", json::object{{"path", hostile}}}}),
  });
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;
  EXPECT_EQ(out.find("\u202E"), std::string::npos) << out;
  std::size_t shown = 0;
  for (std::size_t at = out.find(kShown); at != std::string::npos; at = out.find(kShown, at + 1)) ++shown;
  EXPECT_GE(shown, 10u) << out;
  EXPECT_NE(out.find("line two\tcol"), std::string::npos) << out;  // lines and tabs stay
}

TEST(EventPrinter, ColoursAreTheOnlyEscapesAndOnlyWhenAsked) {
  const std::string out = printed({event("error", {{"message", "boom"}})}, true);
  EXPECT_EQ(out, "\x1b[31merror: boom\x1b[0m\n");
}

TEST(EventPrinter, ATerminalSessionsBytesAreWrittenAsTheyAre) {
  const std::string bytes = "\x1b[2J\x1b[1;1Hprompt$ ";
  const std::string out =
      printed({event("terminal_output", {{"data", core::base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                                                  bytes.size()))}})});
  EXPECT_EQ(out, bytes);
}

TEST(EventPrinter, LostOutputIsSaidWithItsCountsAndReason) {
  const std::string out = printed({event("output_lost", {{"events", 12}, {"bytes", 3456}, {"from", 1795467890123}, {"to", 1795467899000},
                                                         {"reason", "database or disk is full"}})});
  EXPECT_EQ(out.rfind("[output lost: 12 event(s), 3456 bytes, from ", 0), 0u) << out;
  EXPECT_NE(out.find(", not stored: database or disk is full]\n"), std::string::npos) << out;
  EXPECT_EQ(out.find(" - "), std::string::npos) << out;  // both times shown
}

}  // namespace
}  // namespace tether::cli
