// The detach key of `tether attach` on a terminal: Ctrl-\ then d detaches; anything
// else after Ctrl-\ goes through with it; Ctrl-\ twice sends one; a prefix split
// across reads still works.
#include "cli/terminal_attach.hpp"

#include <gtest/gtest.h>

namespace tether::cli {
namespace {

TEST(KeyFilter, PassesOrdinaryKeys) {
  KeyFilter k;
  EXPECT_EQ(k.feed("ls -la\r"), "ls -la\r");
  EXPECT_FALSE(k.detached);
}

TEST(KeyFilter, PrefixThenDDetachesAndDropsWhatFollows) {
  KeyFilter k;
  EXPECT_EQ(k.feed("ab\x1c" "dcd"), "ab");
  EXPECT_TRUE(k.detached);
}

TEST(KeyFilter, PrefixSplitAcrossReads) {
  KeyFilter k;
  EXPECT_EQ(k.feed("x\x1c"), "x");
  EXPECT_FALSE(k.detached);
  EXPECT_EQ(k.feed("d"), "");
  EXPECT_TRUE(k.detached);
}

TEST(KeyFilter, PrefixThenAnotherKeySendsBoth) {
  KeyFilter k;
  EXPECT_EQ(k.feed("\x1c" "q"), "\x1c" "q");
  EXPECT_FALSE(k.detached);
}

TEST(KeyFilter, PrefixTwiceSendsOnePrefix) {
  KeyFilter k;
  EXPECT_EQ(k.feed("\x1c\x1c" "d"), "\x1c" "d");
  EXPECT_FALSE(k.detached);
}

}  // namespace
}  // namespace tether::cli
