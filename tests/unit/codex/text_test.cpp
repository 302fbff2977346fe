#include "providers/codex/text.hpp"

#include <gtest/gtest.h>

namespace tether::providers::codex {
namespace {

TEST(CodexText, CutUtf8StopsAtACharacterBoundary) {
  EXPECT_EQ(cut_utf8("abc", 10), "abc");
  EXPECT_EQ(cut_utf8("abc", 2), "ab");
  EXPECT_EQ(cut_utf8("a\xC3\xA9", 2), "a");          // é does not fit
  EXPECT_EQ(cut_utf8("\xE2\x82\xAC\xE2\x82\xAC", 4), "\xE2\x82\xAC");  // € then half a €
  EXPECT_EQ(cut_utf8("", 0), "");
}

TEST(CodexText, Utf8PrefixReplacesInvalidBytes) {
  std::string out;
  EXPECT_FALSE(utf8_prefix("a\xFF" "b", 100, out));
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b");
  EXPECT_TRUE(utf8_prefix("abcdef", 3, out));
  EXPECT_EQ(out, "abc");
  EXPECT_TRUE(utf8_prefix("\xC3", 100, out) == false);
  EXPECT_EQ(out, "\xEF\xBF\xBD");  // a truncated sequence is one bad byte
}

TEST(CodexText, StripAnsiRemovesColours) {
  EXPECT_EQ(strip_ansi("\x1b[2m2026\x1b[0m \x1b[31mERROR\x1b[0m codex"), "2026 ERROR codex");
  EXPECT_EQ(strip_ansi("plain"), "plain");
  EXPECT_EQ(strip_ansi("cut \x1b["), "cut ");
  EXPECT_EQ(strip_ansi("\x1b"), "");
}

}  // namespace
}  // namespace tether::providers::codex
