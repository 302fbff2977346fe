// The lines tether writes to the CLI's stdin, and the CLI's command line (see stream.hpp).
#include <boost/json/serialize.hpp>

#include "providers/claude/stream.hpp"

namespace tether::providers::claude {
namespace json = boost::json;

std::string user_message(std::string_view text) {
  const json::object line{{"type", "user"},
                          {"message", {{"role", "user"}, {"content", text}}},
                          {"parent_tool_use_id", nullptr},
                          {"session_id", ""}};
  return json::serialize(line);
}

// updatedInput is always sent: 2.1.197 refuses an allow without it and does not run the tool.
std::string allow_response(std::string_view request_id, const json::object& input) {
  const json::object line{
      {"type", "control_response"},
      {"response",
       {{"subtype", "success"}, {"request_id", request_id}, {"response", {{"behavior", "allow"}, {"updatedInput", input}}}}}};
  return json::serialize(line);
}

std::string deny_response(std::string_view request_id, std::string_view message) {
  const json::object line{
      {"type", "control_response"},
      {"response",
       {{"subtype", "success"}, {"request_id", request_id}, {"response", {{"behavior", "deny"}, {"message", message}}}}}};
  return json::serialize(line);
}

std::string interrupt_request(std::string_view request_id) {
  const json::object line{
      {"type", "control_request"}, {"request_id", request_id}, {"request", {{"subtype", "interrupt"}}}};
  return json::serialize(line);
}

std::vector<std::string> command_line(const LaunchOptions& options) {
  std::vector<std::string> argv{options.claude_bin,
                                "-p",
                                "--input-format",
                                "stream-json",
                                "--output-format",
                                "stream-json",
                                "--verbose",
                                "--permission-prompt-tool",
                                "stdio",
                                "--include-partial-messages"};
  if (!options.session_id.empty()) {
    argv.emplace_back(options.resume ? "--resume" : "--session-id");
    argv.push_back(options.session_id);
  }
  if (!options.model.empty()) {
    argv.emplace_back("--model");
    argv.push_back(options.model);
  }
  return argv;
}

}  // namespace tether::providers::claude
