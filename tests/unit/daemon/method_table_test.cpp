// The daemon's real method table held against docs/protocol.md's "## Methods" table: every
// method documented once with its permission, and nothing documented that is not a method.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "proto/method_docs.hpp"
#include "test_daemon.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

using MethodTable = tether::testing::TempDirTest;

TEST_F(MethodTable, MatchesProtocolDoc) {
  std::ifstream in(TETHER_DOCS_DIR "/protocol.md");
  ASSERT_TRUE(in) << "cannot read " TETHER_DOCS_DIR "/protocol.md";
  std::stringstream doc;
  doc << in.rdbuf();

  ASSERT_TRUE(crypto::init());
  // The whole table, as run_daemon builds it.
  const testing::TestDaemon daemon(dir_);
  const auto& methods = daemon.dispatcher.methods();
  ASSERT_FALSE(methods.empty());
  std::string problems;
  for (const auto& p : proto::method_docs_problems(doc.str(), methods)) problems += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << "docs/protocol.md and the daemon's method table disagree:" << problems;
}

}  // namespace
}  // namespace tether::daemon
