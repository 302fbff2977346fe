// The daemon's real method table held against docs/protocol.md's "## Methods" table: every
// method documented once with its permission, and nothing documented that is not a method.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "daemon/daemon_methods.hpp"
#include "proto/method_docs.hpp"

namespace tether::daemon {
namespace {

// The whole table as all_methods builds it. Its handlers are never called here, so the state
// they refer to is the least that builds it: an identity, no store, no sessions, no event loop.
std::vector<proto::Method> daemon_method_table() {
  static DaemonState state = [] {
    EXPECT_TRUE(crypto::init());
    return DaemonState{.identity = crypto::Identity::generate()};
  }();
  return all_methods(state);
}

TEST(MethodTable, MatchesProtocolDoc) {
  std::ifstream in(TETHER_DOCS_DIR "/protocol.md");
  ASSERT_TRUE(in) << "cannot read " TETHER_DOCS_DIR "/protocol.md";
  std::stringstream doc;
  doc << in.rdbuf();

  const auto methods = daemon_method_table();
  ASSERT_FALSE(methods.empty());
  std::string problems;
  for (const auto& p : proto::method_docs_problems(doc.str(), methods)) problems += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << "docs/protocol.md and the daemon's method table disagree:" << problems;
}

}  // namespace
}  // namespace tether::daemon
