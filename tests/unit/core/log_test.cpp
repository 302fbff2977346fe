// Log lines quote text from outside as it is, but with its control characters visible: a
// name or a Host header holding ESC or a line break can neither steer the terminal that
// shows the log nor forge a second line.
#include "core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include <fstream>
#include <sstream>

#include "unit/temp_dir.hpp"

namespace tether::core {
namespace {

class LogTest : public tether::testing::TempDirTest {};

TEST_F(LogTest, ControlCharactersInAMessageAreWrittenVisibly) {
  const auto file = dir_ / "daemon.log";
  init_logging(file, false);
  spdlog::info("device {} connected", "esc\x1b]0;owned\x07\nforged 2026-01-01T00:00:00.000 info line\u202E");
  spdlog::info("plain {}", "caf\u00e9");
  spdlog::default_logger()->flush();
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
  EXPECT_EQ(log.find('\x07'), std::string::npos) << log;
  EXPECT_NE(log.find("esc\\x1b]0;owned\\x07\\x0aforged 2026-01-01T00:00:00.000 info line\\u202e"), std::string::npos) << log;
  EXPECT_NE(log.find("plain caf\u00e9"), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2) << log;  // two messages, two lines
  spdlog::set_default_logger(spdlog::stderr_color_mt("test-stderr"));  // let go of the file
}

}  // namespace
}  // namespace tether::core
