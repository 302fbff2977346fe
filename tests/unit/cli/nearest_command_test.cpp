#include "cli/nearest_command.hpp"

#include <gtest/gtest.h>

namespace tether::cli {
namespace {

const std::vector<std::string> kNames{"daemon", "relay", "status", "pair", "devices", "audit", "remote",
                                      "run", "ls", "logs", "attach", "send", "approve", "deny", "approvals"};

TEST(NearestCommand, ATranspositionIsOneEdit) { EXPECT_EQ(nearest_command("stauts", kNames), "status"); }

TEST(NearestCommand, AMissingOrExtraLetter) {
  EXPECT_EQ(nearest_command("devics", kNames), "devices");
  EXPECT_EQ(nearest_command("attachh", kNames), "attach");
  EXPECT_EQ(nearest_command("daemom", kNames), "daemon");
}

TEST(NearestCommand, AUniquePrefix) {
  EXPECT_EQ(nearest_command("dev", kNames), "devices");
  EXPECT_EQ(nearest_command("devi", kNames), "devices");
}

TEST(NearestCommand, NothingForAWordTooFarOrAnAmbiguousPrefix) {
  EXPECT_EQ(nearest_command("frobnicate", kNames), std::nullopt);
  EXPECT_EQ(nearest_command("re", kNames), std::nullopt);  // relay or remote
  EXPECT_EQ(nearest_command("xy", kNames), std::nullopt);  // two edits from "ls": half the word
  EXPECT_EQ(nearest_command("", kNames), std::nullopt);
}

}  // namespace
}  // namespace tether::cli
