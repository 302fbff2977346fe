// Environment entries: a name is set by its whole name, and the first entry that sets it wins.
#include "core/env.hpp"

#include <gtest/gtest.h>

namespace tether::core {
namespace {

TEST(Env, AnEntrySetsANameByItsWholeName) {
  EXPECT_TRUE(env_names("PATH=/bin", "PATH"));
  EXPECT_TRUE(env_names("EMPTY=", "EMPTY"));
  EXPECT_FALSE(env_names("PATHX=/bin", "PATH"));
  EXPECT_FALSE(env_names("PATH", "PATH"));
}

TEST(Env, TheFirstEntryWinsAsWithGetenv) {
  const std::vector<std::string> env{"PATHX=no", "PATH=/first", "EMPTY=", "PATH=/later"};
  EXPECT_EQ(env_value(env, "PATH"), "/first");
  EXPECT_EQ(env_value(env, "EMPTY"), "");
  EXPECT_EQ(env_value(env, "HOME"), "");
}

}  // namespace
}  // namespace tether::core
